import CobroCore
import CobroDelivery
import CobroStore
import CobroTestSupport
import Foundation
import Testing

@Suite("Letters to the print-batch folder") struct LetterPrinterTests {
    @Test("a final notice to a customer with a postal address becomes one A4 PDF letter in the day's folder", .enabled(if: Poppler.tool("pdftotext") != nil))
    func printsLetter() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            try await db.transaction { c in
                try await c.execute("UPDATE customer SET postal_address = $2 WHERE company_id = $1 AND customer_ref = 'K1'",
                                    [.int(co.id), .text("Calle 100 # 8-60\nBogotá D.C.\nColombia")])
            }
            let monday = Clock.fixed(1_719_842_400_000)
            let run = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: monday)
            #expect(run.messages.filter { $0.customerRef == "K1" }.map(\.channel).sorted { $0.rawValue < $1.rawValue } == [.email, .letter])
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cobro-letters-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let files = try await LetterPrinter(db: db, directory: dir, clock: monday).printDue()
            #expect(files.count == 1)
            let file = try #require(files.first)
            #expect(file.deletingLastPathComponent().lastPathComponent == "2024-06-30")
            let pdf = Array(try Data(contentsOf: file))
            #expect(try Poppler.info(pdf).pages >= 1)
            let text = Poppler.flat(try Poppler.text(pdf))
            for expected in ["Kappa Industrial S.A.", "Calle 100 # 8-60", "Bogotá D.C.", "INV-7", "INV-5", "INV-2", "Último aviso"] {
                #expect(text.contains(expected), "letter text lacks \(expected)")
            }
            // Printed letters are marked sent with their file; a second pass prints nothing.
            #expect(try await LetterPrinter(db: db, directory: dir, clock: monday).printDue().isEmpty)
        }
    }
}
