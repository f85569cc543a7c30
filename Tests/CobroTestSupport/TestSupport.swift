import CobroCore
import CobroStore
import Foundation

/// Databases the storage and API tests run against: a fresh SQLite file always, and PostgreSQL when
/// `COBRO_TEST_POSTGRES_URL` is set (scripts/test starts a throwaway server and sets it).
public enum TestDatabases {
    public static var postgresURL: String? { ProcessInfo.processInfo.environment["COBRO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    public static var kinds: [SQLDialect] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// Migrates the shared PostgreSQL database once per test process.
    actor PostgresOnce {
        static let shared = PostgresOnce()
        var task: Task<Void, any Error>?
        func migrate() async throws {
            if task == nil {
                task = Task {
                    guard let url = TestDatabases.postgresURL else { return }
                    let db = try PostgresDatabase(url: url)
                    do { try await Migrator.migrate(db, now: 0) } catch { await db.close(); throw error }
                    await db.close()
                }
            }
            try await task!.value
        }
    }

    /// Runs `body` with a migrated database of `kind`, closed (and for SQLite deleted) afterwards. PostgreSQL is
    /// one database shared by all tests, so tests must work inside companies of their own.
    public static func withDatabase(_ kind: SQLDialect, _ body: (any Database) async throws -> Void) async throws {
        let db: any Database
        var file: String?
        switch kind {
        case .sqlite:
            let path = NSTemporaryDirectory() + "cobro-test-\(UUID().uuidString).sqlite"
            file = path
            db = try SQLiteDatabase(path: path)
            try await Migrator.migrate(db, now: 0)
        case .postgres:
            try await PostgresOnce.shared.migrate()
            db = try PostgresDatabase(url: postgresURL!)
        }
        defer { if let file { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } } }
        do {
            try await body(db)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    /// Runs `body` with a migrated database and a new company of its own (so tests sharing one PostgreSQL
    /// database never see each other's rows — the tenant key at work).
    public static func with(_ kind: SQLDialect, base: String = "USD", _ body: (any Database, CompanyRecord) async throws -> Void) async throws {
        try await withDatabase(kind) { db in
            let slug = "t-\(UUID().uuidString.prefix(12).lowercased())"
            let company = try await db.transaction { c in
                try await CompanyStore.create(c, slug: slug, name: "Test \(slug)", baseCurrency: Currency(code: base)!, now: 1_700_000_000_000)
            }
            try await body(db, company)
        }
    }
}

/// Feeds a string to the importer in small chunks (to exercise chunk boundaries).
public final class StringChunks: @unchecked Sendable {
    let bytes: [UInt8]
    var pos = 0
    let size: Int
    public init(_ s: String, chunk: Int = 37) {
        bytes = Array(s.utf8)
        size = chunk
    }
    public func next() -> [UInt8]? {
        guard pos < bytes.count else { return nil }
        let end = min(bytes.count, pos + size)
        defer { pos = end }
        return Array(bytes[pos..<end])
    }
}

extension Importer {
    public func run(_ kind: ImportKind, csv: String, strict: Bool = false) async throws -> ImportSummary {
        let chunks = StringChunks(csv)
        return try await run(kind, source: "test", strict: strict, next: { chunks.next() })
    }
}

public func importer(_ db: any Database, _ co: CompanyRecord, now: Int64 = 1_700_000_000_000) -> Importer {
    Importer(db: db, company: co, actor: "test", clock: .fixed(now))
}

public func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

public let usd = Currency(code: "USD")!
public let eur = Currency(code: "EUR")!

/// The worked example of reference §2.4 (as in shared/acceptance/aging-dso).
public enum WorkedExample {
    public static let customers = """
        customer_ref,name,email,currency,language,timezone,country,segment
        K1,Kappa Industrial S.A.,cxp@kappa.example,USD,es,America/Bogota,CO,industrial
        K2,Lambda Retail LLC,ap@lambda.example,USD,en,America/Chicago,US,retail

        """
    public static let invoices = """
        invoice_ref,customer_ref,issue_date,due_date,currency,amount,terms
        INV-1,K1,2024-06-20,2024-07-20,USD,5000.00,net 30
        INV-2,K1,2024-05-31,2024-06-30,USD,4000.00,net 30
        INV-3,K2,2024-05-20,2024-06-19,USD,1200.00,net 30
        INV-4,K2,2024-04-01,2024-05-31,USD,2500.00,net 60
        INV-5,K1,2024-04-25,2024-05-25,USD,3000.00,net 30
        INV-6,K2,2024-03-20,2024-04-19,USD,2000.00,net 30
        INV-7,K1,2024-03-01,2024-03-31,USD,1500.00,net 30
        INV-8,K2,2024-01-15,2024-02-14,USD,1000.00,net 30
        INV-9,K1,2024-04-10,2024-05-10,USD,9000.00,net 30
        INV-10,K2,2024-05-05,2024-06-04,USD,7800.00,net 30

        """
    public static let payments = """
        payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
        PAY-9,K1,2024-05-08,USD,9000.00,INV-9
        PAY-10,K2,2024-06-01,USD,7800.00,INV-10

        """

    public struct LoadFailed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Imports the example (strict); throws if any file is not committed whole.
    public static func load(_ db: any Database, _ co: CompanyRecord, clock: Clock = .fixed(1_700_000_000_000)) async throws {
        let imp = Importer(db: db, company: co, actor: "test", clock: clock)
        for (k, csv) in [(ImportKind.customers, customers), (.invoices, invoices), (.payments, payments)] {
            let s = try await imp.run(k, csv: csv, strict: true)
            guard s.committed && s.rejected == 0 else { throw LoadFailed(description: "worked example \(k) failed: \(s.issues)") }
        }
    }
}
