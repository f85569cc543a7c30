import CobroCore
import Testing

@Suite("Collections reports: contactability, dispute SLA, default reasons") struct CollectionsReportsTests {
    @Test("reference §2.9 worked example: 1,000 dials, 400 connects, 250 RPC, 100 PTP")
    func contactabilityExample() throws {
        var calls: [Contactability.Call] = []
        func add(_ n: Int, _ o: CallOutcome) {
            for i in 0..<n { calls.append(.init(customer: "C\(calls.count % 300)", collector: i % 2 == 0 ? "ana" : "beto", outcome: o)) }
        }
        add(500, .noAnswer); add(100, .leftMessage)             // 600 not connected
        add(120, .thirdParty); add(30, .wrongNumber)            // 150 connected, not the payer
        add(130, .rightPartyContact); add(20, .refused); add(100, .promise)  // 250 RPC, 100 of them promises
        let f = Contactability.figures(calls)
        #expect(f.dials == 1000 && f.connects == 400 && f.rightPartyContacts == 250 && f.promises == 100)
        #expect(try #require(f.connectRate) == 0.40)
        #expect(try #require(f.rpcPerDial) == 0.25)
        #expect(try #require(f.rpcPerConnect) == 0.625)
        #expect(try #require(f.promisePerRPC) == 0.40)
        let split = Contactability.report(calls)
        #expect(split.byCollector.map(\.collector) == ["ana", "beto"])
        #expect(split.byCollector.map(\.figures.dials).reduce(0, +) == 1000)
    }

    @Test("contactability counts accounts: reached at least once over worked")
    func accounts() throws {
        let calls: [Contactability.Call] = [
            .init(customer: "A", collector: "x", outcome: .noAnswer), .init(customer: "A", collector: "x", outcome: .rightPartyContact),
            .init(customer: "B", collector: "x", outcome: .noAnswer), .init(customer: "C", collector: "x", outcome: .thirdParty),
        ]
        let f = Contactability.figures(calls)
        #expect(f.accountsWorked == 3 && f.accountsReached == 1)
        #expect(abs(try #require(f.contactability) - 1.0 / 3.0) < 1e-12)
        #expect(Contactability.figures([]).connectRate == nil, "no dials: no rate, not 0 %")
    }

    @Test("a dispute is overdue the day after its due date")
    func sla() {
        let due = LocalDate(iso: "2024-07-10")!
        #expect(DisputeSLA.of(dueDate: due, today: LocalDate(iso: "2024-07-10")!) == .withinSLA)
        #expect(DisputeSLA.of(dueDate: due, today: LocalDate(iso: "2024-07-11")!) == .overdue)
        #expect(DisputeSLA.of(dueDate: nil, today: due) == .noDueDate)
    }

    @Test("default reasons rank by count, with disputed amounts per currency; reaching the payer is not a reason")
    func reasons() {
        let rows = DefaultReasons.rank(
            disputes: [("pricing", "USD", 10_000), ("pricing", "EUR", 500), ("pricing", "USD", 2_500), ("quality", "USD", 100)],
            calls: [.noAnswer, .noAnswer, .refused, .promise, .rightPartyContact, .noAnswer, .noAnswer])
        #expect(rows.map { "\($0.source)/\($0.reason)=\($0.count)" } == ["call/no_answer=4", "dispute/pricing=3", "call/refused=1", "dispute/quality=1"])
        #expect(rows[1].amountMinorByCurrency == ["USD": 12_500, "EUR": 500])
        #expect(abs(rows[0].share - 4.0 / 9.0) < 1e-12)
    }
}
