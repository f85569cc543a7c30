import CobroCore
import CobroStore
import Foundation
import Testing

/// Databases the storage tests run against: a fresh SQLite file always, and PostgreSQL when
/// `COBRO_TEST_POSTGRES_URL` is set (scripts/test starts a throwaway server and sets it).
enum TestDatabases {
    static var postgresURL: String? { ProcessInfo.processInfo.environment["COBRO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    static var kinds: [SQLDialect] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

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

    /// Runs `body` with a migrated database of `kind` and a new company of its own (so tests sharing one
    /// PostgreSQL database never see each other's rows — the tenant key at work).
    static func with(
        _ kind: SQLDialect, base: String = "USD", _ body: (any Database, CompanyRecord) async throws -> Void
    ) async throws {
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
        do {
            let slug = "t-\(UUID().uuidString.prefix(12).lowercased())"
            let company = try await db.transaction { c in
                try await CompanyStore.create(c, slug: slug, name: "Test \(slug)", baseCurrency: Currency(code: base)!, now: 1_700_000_000_000)
            }
            try await body(db, company)
        } catch {
            await db.close()
            if let file { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } }
            throw error
        }
        await db.close()
        if let file { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } }
    }
}

/// Feeds a string to the importer in small chunks (to exercise chunk boundaries).
final class StringChunks: @unchecked Sendable {
    let bytes: [UInt8]
    var pos = 0
    let size: Int
    init(_ s: String, chunk: Int = 37) {
        bytes = Array(s.utf8)
        size = chunk
    }
    func next() -> [UInt8]? {
        guard pos < bytes.count else { return nil }
        let end = min(bytes.count, pos + size)
        defer { pos = end }
        return Array(bytes[pos..<end])
    }
}

extension Importer {
    func run(_ kind: ImportKind, csv: String, strict: Bool = false) async throws -> ImportSummary {
        let chunks = StringChunks(csv)
        return try await run(kind, source: "test", strict: strict, next: { chunks.next() })
    }
}

func importer(_ db: any Database, _ co: CompanyRecord, now: Int64 = 1_700_000_000_000) -> Importer {
    Importer(db: db, company: co, actor: "test", clock: .fixed(now))
}

func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

let usd = Currency(code: "USD")!
let eur = Currency(code: "EUR")!

/// The worked example of reference §2.4 (as in shared/acceptance/aging-dso).
enum WorkedExample {
    static let customers = """
        customer_ref,name,email,currency,language,timezone,country,segment
        K1,Kappa Industrial S.A.,cxp@kappa.example,USD,es,America/Bogota,CO,industrial
        K2,Lambda Retail LLC,ap@lambda.example,USD,en,America/Chicago,US,retail

        """
    static let invoices = """
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
    static let payments = """
        payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
        PAY-9,K1,2024-05-08,USD,9000.00,INV-9
        PAY-10,K2,2024-06-01,USD,7800.00,INV-10

        """

    static func load(_ db: any Database, _ co: CompanyRecord) async throws {
        let imp = importer(db, co)
        for (k, csv) in [(ImportKind.customers, customers), (.invoices, invoices), (.payments, payments)] {
            let s = try await imp.run(k, csv: csv, strict: true)
            #expect(s.committed && s.rejected == 0, "worked example \(k) failed: \(s.issues)")
        }
    }
}
