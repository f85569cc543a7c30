import ArgumentParser
import CobroCore
import CobroStore
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL: a file path or sqlite:PATH (default ./cobro.sqlite), or postgres://USER:PASS@HOST:PORT/DB. Env: COBRO_DATABASE_URL.")
    var databaseURL: String?

    @Option(name: .long, help: "Company slug, needed when the database holds more than one company.")
    var company: String?

    var resolvedURL: String { databaseURL ?? ProcessInfo.processInfo.environment["COBRO_DATABASE_URL"] ?? "cobro.sqlite" }

    /// Opens the database and applies pending migrations.
    func open(clock: Clock = .system) async throws -> any Database {
        let db: any Database
        do {
            db = try openDatabase(url: resolvedURL)
        } catch {
            throw CLIError("cannot open database \(resolvedURL): \(error)")
        }
        do {
            if let pg = db as? PostgresDatabase { try await pg.checkReachable() }
            try await Migrator.migrate(db, now: clock.nowMillis())
        } catch {
            await db.close()
            throw CLIError("cannot migrate database \(resolvedURL): \(error)")
        }
        return db
    }

    func resolveCompany(_ db: any Database, clock: Clock = .system) async throws -> CompanyRecord {
        let base = ProcessInfo.processInfo.environment["COBRO_BASE_CURRENCY"].flatMap { Currency(code: $0) } ?? Currency(code: "USD")!
        do {
            return try await CompanyStore.resolve(db, slug: company, defaultCurrency: base, now: clock.nowMillis())
        } catch let e as StoreError {
            throw CLIError(e.description)
        }
    }
}

/// A failure reported as one line on stderr with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Runs a command body with an open database, closing it afterwards and turning errors into one-line reasons.
func withDatabase<T>(_ g: GlobalOptions, _ body: (any Database) async throws -> T) async throws -> T {
    let db: any Database
    do { db = try await g.open() } catch { fail(error) }
    do {
        let v = try await body(db)
        await db.close()
        return v
    } catch let e as ExitCode {
        await db.close()
        throw e
    } catch {
        await db.close()
        fail(error)
    }
}

func fail(_ error: any Error) -> Never {
    var line = "\(error)"
    if let r = line.firstIndex(of: "\n") { line = String(line[..<r]) }
    FileHandle.standardError.write(Data("cobro: error: \(line)\n".utf8))
    exit(1)
}

func parseDate(_ s: String?, flag: String) throws -> LocalDate? {
    guard let s else { return nil }
    guard let d = LocalDate(iso: s) else { throw ValidationError("\(flag) \"\(s)\" is not a date; use YYYY-MM-DD") }
    return d
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

func printOut(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
}

/// Parses repeated `--rate CUR=RATE` options into rates into `base`; the error names the flag and what is valid.
func parseRates(_ rates: [String], base: Currency) throws -> [ExchangeRate] {
    try rates.map { r in
        switch ExchangeRate.parse(r, base: base) {
        case .success(let v): return v
        case .failure(let e): throw CLIError("--rate: \(e.message)")
        }
    }
}

/// A whole-number setting from the environment: `fallback` when unset; an error naming the variable and the valid
/// range when it is not a whole number in `range`.
func environmentInt(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
    guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return fallback }
    guard let v = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
        throw CLIError("\(name) \"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    return v
}
