import CobroCore
import CobroStore
import CobroTestSupport
import Testing

@Suite("Prediction store")
struct PredictionStoreTests {
    // The worked example: ten invoices, INV-9 settled on 05-08 and INV-10 on 06-01 (the last allocation), the rest open.
    @Test("the model reads every invoice with its settlement day, settled by the last allocation", arguments: TestDatabases.kinds)
    func readsTheLedger(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let invoices = try await db.read { c in try await PredictionStore.invoices(c, company: co.id) }
            #expect(invoices.count == 10)
            let settled = invoices.filter { $0.settledOn != nil }
            #expect(settled.map(\.settledOn) == [d("2024-05-08"), d("2024-06-01")])
            #expect(settled.map(\.daysLate) == [-2, -3])
            #expect(invoices.map(\.issueDate) == invoices.map(\.issueDate).sorted())
        }
    }
}
