import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

@Suite("Write-offs and agency placements") struct HandOverTests {
    static let now: Int64 = 1_719_835_200_000  // 2024-07-01T12:00:00Z
    static let today = d("2024-07-01")

    func agingTotal(_ db: any Database, _ co: CompanyRecord) async throws -> Int64 {
        let report = try await db.read { c in
            try await ReportStore(c, company: co.id).aging(asOf: Self.today, basis: .dueDate, buckets: .standard, base: usd, rates: [])
        }
        return report.total(for: usd)?.totalMinor ?? -1
    }

    func open(_ db: any Database, _ co: CompanyRecord, _ ref: String) async throws -> Int64 {
        try await db.read { c in try await c.first("SELECT open_amount FROM invoice WHERE company_id = $1 AND ref = $2", [.int(co.id), .text(ref)])!.int(0) }
    }

    func fields(_ error: (any Error)?) -> [String] {
        switch error as? StoreError {
        case .invalid(let f, _)?: return [f]
        case .invalidFields(let all)?: return all.map(\.field)
        default: return []
        }
    }

    func attempt<T: Sendable>(_ db: any Database, _ body: @escaping @Sendable (any Connection) async throws -> T) async -> (any Error)? {
        do {
            _ = try await db.transaction(body)
            return nil
        } catch { return error }
    }

    @Test("a write-off is requested, refused to its requester, approved by another and booked as a credit note", arguments: TestDatabases.kinds)
    func writeOff(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let id = co.id
            #expect(fields(await attempt(db) { c in try await WriteOffStore.request(c, company: id, invoiceRef: "INV-8", amountText: "1000.01", reason: .uncollectible, note: nil, actor: "ana", now: Self.now) }) == ["amount"])
            #expect(fields(await attempt(db) { c in try await WriteOffStore.request(c, company: id, invoiceRef: "INV-10", amountText: nil, reason: .uncollectible, note: nil, actor: "ana", now: Self.now) }) == ["invoice_ref"], "paid")
            #expect(fields(await attempt(db) { c in try await WriteOffStore.request(c, company: id, invoiceRef: "NOPE", amountText: nil, reason: .other, note: nil, actor: "ana", now: Self.now) }) == ["invoice_ref"])

            let w = try await db.transaction { c in
                try await WriteOffStore.request(c, company: id, invoiceRef: "INV-8", amountText: nil, reason: .uncollectible, note: "company closed", actor: "ana", now: Self.now)
            }
            #expect(w.status == "pending" && w.amountMinor == 100_000 && w.customerRef == "K2")
            #expect(await attempt(db) { c in try await WriteOffStore.request(c, company: id, invoiceRef: "INV-8", amountText: "5", reason: .other, note: nil, actor: "bo", now: Self.now) } as? StoreError
                == .conflict("a write-off of INV-8 is already waiting for approval"))
            #expect(await attempt(db) { c in try await WriteOffStore.decide(c, company: id, id: w.id, approve: true, note: nil, today: Self.today, actor: "ana", now: Self.now) } is FourEyesViolation)
            #expect(try await open(db, co, "INV-8") == 100_000, "nothing booked by the refused approval")

            let approved = try await db.transaction { c in
                try await WriteOffStore.decide(c, company: id, id: w.id, approve: true, note: "ok", today: Self.today, actor: "boss", now: Self.now)
            }
            #expect(approved.status == "approved" && approved.decidedBy == "boss" && approved.creditNoteRef == "WO-\(w.id)")
            #expect(try await open(db, co, "INV-8") == 0)
            #expect(try await agingTotal(db, co) == 2_020_000 - 100_000, "aging of the worked example (20,200.00) less the 1,000.00 written off")
            #expect(await attempt(db) { c in try await WriteOffStore.decide(c, company: id, id: w.id, approve: false, note: nil, today: Self.today, actor: "boss", now: Self.now) } as? StoreError
                == .conflict("write-off \(w.id) is already approved"))
            let actions = try await db.read { c in
                try await c.query("SELECT action FROM audit_event WHERE company_id = $1 AND action LIKE 'write_off.%' ORDER BY id", [.int(id)]).map { $0.text(0) }
            }
            #expect(actions == ["write_off.request", "write_off.approve"])
        }
    }

    @Test("a payment between request and approval stops the approval; the rejection books nothing", arguments: TestDatabases.kinds)
    func writeOffOvertaken(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let id = co.id
            let w = try await db.transaction { c in
                try await WriteOffStore.request(c, company: id, invoiceRef: "INV-6", amountText: "2000.00", reason: .smallBalance, note: nil, actor: "ana", now: Self.now)
            }
            _ = try await importer(db, co).run(.payments, csv: "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\nP-6,K2,2024-07-01,USD,500.00,INV-6\n")
            let refused = await attempt(db) { c in try await WriteOffStore.decide(c, company: id, id: w.id, approve: true, note: nil, today: Self.today, actor: "boss", now: Self.now) }
            guard case .conflict(let why)? = refused as? StoreError else { Issue.record("expected a conflict, got \(String(describing: refused))"); return }
            #expect(why.contains("1500.00 open"))
            let rejected = try await db.transaction { c in
                try await WriteOffStore.decide(c, company: id, id: w.id, approve: false, note: "paid in part", today: Self.today, actor: "boss", now: Self.now)
            }
            #expect(rejected.status == "rejected" && rejected.creditNoteRef == nil)
            #expect(try await open(db, co, "INV-6") == 150_000)
        }
    }

    @Test("placing with an agency: bad input, the hand-over file, collections with commission, closing by payment", arguments: TestDatabases.kinds)
    func placement(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let id = co.id
            let bad = await attempt(db) { c in
                try await AgencyStore.place(c, company: id, customerRef: "K1", agency: " ", kind: .agency, rateText: "101", currency: nil, invoiceRefs: nil,
                                            on: d("2024-07-02"), today: Self.today, actor: "ana", now: Self.now)
            }
            #expect(fields(bad) == ["agency", "commission_rate", "date"])
            #expect(fields(await attempt(db) { c in
                try await AgencyStore.place(c, company: id, customerRef: "K1", agency: "X", kind: .agency, rateText: "20", currency: nil, invoiceRefs: ["INV-9", "INV-3"],
                                            on: Self.today, today: Self.today, actor: "ana", now: Self.now)
            }) == ["invoices[0]", "invoices[1]"], "INV-9 is paid, INV-3 is K2's")

            let p = try await db.transaction { c in
                try await AgencyStore.place(c, company: id, customerRef: "K1", agency: "Cobranzas del Norte", kind: .agency, rateText: "25", currency: nil, invoiceRefs: nil,
                                            on: Self.today, today: Self.today, actor: "ana", now: Self.now)
            }
            #expect(p.placedMinor == 1_350_000 && p.outstandingMinor == 1_350_000 && p.status == "active")
            #expect(p.items.map(\.invoiceRef) == ["INV-7", "INV-5", "INV-2", "INV-1"], "oldest due first")
            let handedOver = try await db.read { c in try await c.first("SELECT handed_over, hand_over FROM customer WHERE company_id = $1 AND customer_ref = 'K1'", [.int(id)])! }
            #expect(handedOver.bool(0) && handedOver.text(1) == "agency")
            #expect(await attempt(db) { c in
                try await AgencyStore.place(c, company: id, customerRef: "K1", agency: "Other", kind: .legal, rateText: "10", currency: nil, invoiceRefs: nil,
                                            on: Self.today, today: Self.today, actor: "ana", now: Self.now)
            } as? StoreError == .conflict("K1 is already placed; recall that placement first"))

            let csv = try await db.read { c in try await AgencyStore.exportCSV(c, company: id, id: p.id, today: Self.today) }
            let lines = csv.split(separator: "\n").map(String.init)
            #expect(lines.count == 5)
            #expect(lines[0].hasPrefix("placement_id,agency,placed_date,commission_rate,customer_ref,customer_name,email"))
            #expect(lines[1] == "\(p.id),Cobranzas del Norte,2024-07-01,25.00,K1,Kappa Industrial S.A.,cxp@kappa.example,,,CO,INV-7,invoice,2024-03-01,2024-03-31,USD,1500.00,1500.00,1500.00,92,")

            // 1,234.57 collected: commission 25 % = 308.6425 → 308.64; applied to INV-7 first.
            let (after, got) = try await db.transaction { c in
                try await AgencyStore.collect(c, company: id, id: p.id, amountText: "1234.57", on: Self.today, today: Self.today, paymentRef: nil, actor: "ana", now: Self.now)
            }
            #expect(got.paymentRef == "AG-\(p.id)-1" && got.commissionMinor == 30_864 && got.remittedMinor == 92_593)
            #expect(after.collectedMinor == 123_457 && after.commissionMinor == 30_864 && after.outstandingMinor == 1_350_000 - 123_457)
            #expect(try await open(db, co, "INV-7") == 150_000 - 123_457)
            #expect(try await agingTotal(db, co) == 2_020_000 - 123_457)

            #expect(fields(await attempt(db) { c in
                try await AgencyStore.collect(c, company: id, id: p.id, amountText: "20000", on: d("2024-06-01"), today: Self.today, paymentRef: nil, actor: "ana", now: Self.now)
            }) == ["amount", "date"])
            let (closed, _) = try await db.transaction { c in
                try await AgencyStore.collect(c, company: id, id: p.id, amountText: "12265.43", on: Self.today, today: Self.today, paymentRef: "AG-FINAL", actor: "ana", now: Self.now)
            }
            #expect(closed.status == "closed" && closed.outstandingMinor == 0 && closed.endedOn == Self.today)
            #expect(closed.commissionMinor == 30_864 + 306_636, "25 % of 12,265.43 = 3,066.3575 → 3,066.36")
            let back = try await db.read { c in try await c.first("SELECT handed_over FROM customer WHERE company_id = $1 AND customer_ref = 'K1'", [.int(id)])!.bool(0) }
            #expect(!back)
        }
    }

    @Test("a recalled placement returns the customer to dunning and collects nothing more", arguments: TestDatabases.kinds)
    func recall(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let id = co.id
            let p = try await db.transaction { c in
                try await AgencyStore.place(c, company: id, customerRef: "K2", agency: "Abogados SC", kind: .legal, rateText: "12.5", currency: nil, invoiceRefs: ["INV-8", "INV-6"],
                                            on: Self.today, today: Self.today, actor: "ana", now: Self.now)
            }
            #expect(p.placedMinor == 300_000 && p.kind == "legal" && p.commissionBasisPoints == 1250)
            let r = try await db.transaction { c in try await AgencyStore.recall(c, company: id, id: p.id, reason: "customer paying us directly", on: Self.today, actor: "boss", now: Self.now) }
            #expect(r.status == "recalled" && r.recallReason == "customer paying us directly")
            let handed = try await db.read { c in try await c.first("SELECT handed_over FROM customer WHERE company_id = $1 AND customer_ref = 'K2'", [.int(id)])!.bool(0) }
            #expect(!handed)
            #expect(await attempt(db) { c in
                try await AgencyStore.collect(c, company: id, id: p.id, amountText: "10", on: Self.today, today: Self.today, paymentRef: nil, actor: "ana", now: Self.now)
            } as? StoreError == .conflict("placement \(p.id) is recalled; only an active placement collects"))
            let actions = try await db.read { c in
                try await c.query("SELECT action FROM audit_event WHERE company_id = $1 AND entity_ref = 'K2' AND action LIKE 'placement.%' OR (company_id = $1 AND action = 'customer.placed') ORDER BY id", [.int(id)]).map { $0.text(0) }
            }
            #expect(actions == ["customer.placed", "placement.recalled"])
        }
    }
}
