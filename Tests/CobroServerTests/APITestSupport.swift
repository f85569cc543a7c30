import CobroCore
import CobroServer
import CobroStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A database with two companies, each with its own token and the worked example loaded.
struct APIFixture {
    let db: any Database
    let a: CompanyRecord
    let b: CompanyRecord
    let tokenA: String
    let tokenB: String
    let clock: Clock
}

enum APITest {
    static var postgresURL: String? { ProcessInfo.processInfo.environment["COBRO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var kinds: [SQLDialect] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    static let now: Int64 = 1_719_835_200_000  // 2024-07-01T12:00:00Z

    actor Once {
        static let shared = Once()
        var task: Task<Void, any Error>?
        func migratePostgres() async throws {
            if task == nil {
                task = Task {
                    let db = try PostgresDatabase(url: APITest.postgresURL!)
                    do { try await Migrator.migrate(db, now: 0) } catch { await db.close(); throw error }
                    await db.close()
                }
            }
            try await task!.value
        }
    }

    static func withFixture(_ kind: SQLDialect = .sqlite, _ body: (APIFixture) async throws -> Void) async throws {
        let db: any Database
        var file: String?
        if kind == .postgres {
            try await Once.shared.migratePostgres()
            db = try PostgresDatabase(url: postgresURL!)
        } else {
            let path = NSTemporaryDirectory() + "cobro-api-\(UUID().uuidString).sqlite"
            file = path
            db = try SQLiteDatabase(path: path)
            try await Migrator.migrate(db, now: 0)
        }
        defer { if let file { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } } }
        do {
            let clock = Clock.fixed(now)
            let suffix = UUID().uuidString.prefix(8).lowercased()
            let (a, b, ta, tb) = try await db.transaction { c in
                let a = try await CompanyStore.create(c, slug: "a-\(suffix)", name: "A", baseCurrency: Currency(code: "USD")!, now: now)
                let b = try await CompanyStore.create(c, slug: "b-\(suffix)", name: "B", baseCurrency: Currency(code: "USD")!, now: now)
                return (a, b, try await TokenStore.create(c, company: a.id, name: "a", now: now), try await TokenStore.create(c, company: b.id, name: "b", now: now))
            }
            for co in [a, b] {
                let imp = Importer(db: db, company: co, actor: "test", clock: clock)
                for (k, csv) in [(ImportKind.customers, Worked.customers), (.invoices, Worked.invoices), (.payments, Worked.payments)] {
                    let bytes = Array(csv.utf8)
                    let once = Once1(bytes)
                    _ = try await imp.run(k, source: "test", strict: true, next: { once.take() })
                }
            }
            try await body(APIFixture(db: db, a: a, b: b, tokenA: ta, tokenB: tb, clock: clock))
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    static func app(_ f: APIFixture) -> some ApplicationProtocol {
        Application(router: buildRouter(AppDependencies(db: f.db, clock: f.clock)))
    }
}

final class Once1: @unchecked Sendable {
    var b: [UInt8]?
    init(_ b: [UInt8]) { self.b = b }
    func take() -> [UInt8]? { defer { b = nil }; return b }
}

enum Worked {
    static let customers = "customer_ref,name,email,currency\nK1,Kappa Industrial S.A.,cxp@kappa.example,USD\nK2,Lambda Retail LLC,ap@lambda.example,USD\n"
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
    static let payments = "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\nPAY-9,K1,2024-05-08,USD,9000.00,INV-9\nPAY-10,K2,2024-06-01,USD,7800.00,INV-10\n"
}

/// A parsed JSON response body.
func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
}

func auth(_ token: String, _ extra: HTTPFields = [:]) -> HTTPFields {
    var h = extra
    h[.authorization] = "Bearer \(token)"
    return h
}

extension ByteBuffer {
    static func text(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }
}
