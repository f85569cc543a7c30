import CobroCore
import Testing

@Suite("Portfolios: assignment rules") struct PortfolioAssignmentTests {
    let team = [
        Collector(key: "bea", name: "Bea", team: "north"), Collector(key: "ana", name: "Ana", team: "north"),
        Collector(key: "cruz", name: "Cruz", team: "north", active: false), Collector(key: "kam", name: "Kam", team: "key-accounts"),
    ]

    func customer(_ ref: String, segment: String? = nil, country: String? = nil, balance: Int64 = 0, collector: String? = nil, manual: Bool = false) -> PortfolioCustomer {
        PortfolioCustomer(id: Int64(ref.hashValue & 0xffff), ref: ref, segment: segment, country: country, balanceBase: balance, collector: collector, manual: manual)
    }

    @Test("first matching rule wins; team targets rotate over active members sorted by key and the cursor carries over runs")
    func roundRobin() {
        let rules = [
            PortfolioRule(name: "big", minBalance: 10_000_000, target: .collector("kam")),
            PortfolioRule(name: "mexico retail", segments: ["Retail"], countries: ["MX"], target: .team("north")),
        ]
        let customers = [
            customer("C1", segment: "retail", country: "mx", balance: 50_000), customer("C2", segment: "retail", country: "MX", balance: 20_000_000),
            customer("C3", segment: "retail", country: "MX"), customer("C4", segment: "retail", country: "MX"), customer("C5", segment: "industrial", country: "MX"),
        ]
        let (moves, cursors) = PortfolioAssignment.plan(customers: customers, rules: rules, collectors: team, reassign: false, cursors: [:])
        // cruz is inactive: north rotates ana, bea, ana …; C2 is above the band of "big"; C5 matches nothing.
        #expect(moves.map { "\($0.customerRef)→\($0.to) (\($0.rule))" } == ["C1→ana (mexico retail)", "C2→kam (big)", "C3→bea (mexico retail)", "C4→ana (mexico retail)"])
        #expect(cursors == ["north": 1])
        let next = PortfolioAssignment.plan(customers: [customer("C6", segment: "retail", country: "MX")], rules: rules, collectors: team, reassign: false, cursors: cursors)
        #expect(next.moves.map(\.to) == ["bea"])
    }

    @Test("hand-assigned customers never move; assigned ones move only with reassign; an unchanged collector is no move")
    func manualAndReassign() {
        let rules = [PortfolioRule(name: "all", target: .collector("ana"))]
        let customers = [customer("C1", collector: "bea", manual: true), customer("C2", collector: "bea"), customer("C3", collector: "ana"), customer("C4")]
        #expect(PortfolioAssignment.plan(customers: customers, rules: rules, collectors: team, reassign: false, cursors: [:]).moves.map(\.customerRef) == ["C4"])
        let all = PortfolioAssignment.plan(customers: customers, rules: rules, collectors: team, reassign: true, cursors: [:]).moves
        #expect(all.map(\.customerRef) == ["C2", "C4"])
        #expect(all.first?.from == "bea")
    }

    @Test("balance bands are [min, max): a customer at the max belongs to the next band")
    func bands() {
        let r = PortfolioRule(name: "mid", minBalance: 100_000, maxBalance: 500_000, target: .collector("ana"))
        #expect(!r.matches(customer("A", balance: 99_999)) && r.matches(customer("B", balance: 100_000)) && r.matches(customer("C", balance: 499_999)))
        #expect(!r.matches(customer("D", balance: 500_000)))
    }

    @Test("rule problems name their path: unknown or inactive collector, empty team, inverted band, duplicate name")
    func problems() {
        let rules = [
            PortfolioRule(name: "a", target: .collector("cruz")), PortfolioRule(name: "b", target: .team("south")),
            PortfolioRule(name: "c", minBalance: 500, maxBalance: 100, target: .collector("ana")), PortfolioRule(name: "a", target: .collector("ana")),
        ]
        #expect(PortfolioAssignment.problems(rules, collectors: team).map(\.field) == ["rules[0].collector", "rules[1].team", "rules[2].max_balance", "rules[3].name"])
        #expect(Collector.problems(key: "Ana Smith", name: " ").map(\.field) == ["key", "name"])
        #expect(Collector.problems(key: "ana.smith-2", name: "Ana").isEmpty)
    }
}

@Suite("Worklist: priority score and next action") struct WorklistScoreTests {
    let usd = { (m: Int64) in "\(m) USD" }

    @Test("amount points are 40 × A / (A + 10,000 units), in hundredths rounded half up, scaled by the currency's decimals")
    func amountPoints() {
        #expect(WorklistScore.amountPoints(0, exponent: 2) == 0)
        #expect(WorklistScore.amountPoints(1_000_000, exponent: 2) == 2000)  // 10,000.00 → 20 points
        #expect(WorklistScore.amountPoints(3_000_000, exponent: 2) == 3000)  // 30,000.00 → 30
        #expect(WorklistScore.amountPoints(850_000, exponent: 2) == 1838)  // 8,500.00 → 18.378…
        #expect(WorklistScore.amountPoints(10_000, exponent: 0) == 2000)  // ¥10,000
        #expect(WorklistScore.amountPoints(Int64.max, exponent: 3) == 4000)  // never above the cap, never overflows
    }

    @Test("a worked example: every factor, and disputes and promises lower the score")
    func breakdown() {
        // 12,000.00 overdue, 2,000.00 of it disputed, 3,000.00 promised; oldest item 45 days; 1 broken promise; a call task.
        let f = WorklistFacts(
            overdueBase: 1_200_000, disputedBase: 200_000, coveredBase: 300_000, oldestDaysPastDue: 45, brokenPromises: 1,
            dueTasks: [WorklistTask(id: 1, kind: "call", title: "Call", due: LocalDate(iso: "2024-06-30")!)])
        let factors = WorklistScore.factors(f, exponent: 2, money: usd)
        // 40×12000/22000 = 21.818 → 2182; 40×10000/20000 = 2000 → −182; 40×7000/17000 = 16.470 → 1647 → −353.
        #expect(factors.map(\.factor) == ["overdue_amount", "disputed", "promised_or_planned", "days_past_due", "broken_promises", "risk", "tasks_due"])
        #expect(factors.map(\.points) == [2182, -182, -353, 1500, 1000, 0, 1000])
        #expect(WorklistScore.total(factors) == 5147)
        #expect(factors[5].detail == "no prediction yet")
        #expect(WorklistScore.nextAction(f).kind == .call)
    }

    @Test("caps: age at 30 points (90 days), broken promises at 20, risk at 10")
    func caps() {
        let f = WorklistFacts(overdueBase: 0, oldestDaysPastDue: 400, brokenPromises: 5, risk: 250)
        #expect(WorklistScore.factors(f, exponent: 2, money: usd).map(\.points) == [0, 3000, 2000, 1000])
    }

    @Test("next best action: hand-over, then the due task that matters most, then wait, find contact, hand-over, call or statement")
    func nextAction() {
        func task(_ kind: String) -> WorklistTask { WorklistTask(id: 1, kind: kind, title: kind, due: LocalDate(iso: "2024-06-30")!) }
        var f = WorklistFacts(overdueBase: 100_000, oldestDaysPastDue: 10, dueTasks: [task("call"), task("promise_broken")], handOver: "legal")
        #expect(WorklistScore.nextAction(f).kind == .followUpAgency)
        f.handOver = nil
        #expect(WorklistScore.nextAction(f).kind == .callBrokenPromise)
        f.dueTasks.append(task("dispute_overdue"))
        #expect(WorklistScore.nextAction(f).kind == .resolveDispute)
        f.dueTasks = [task("delivery_failed")]
        #expect(WorklistScore.nextAction(f).kind == .fixContact)
        f.dueTasks = []
        f.disputedBase = 40_000
        f.coveredBase = 60_000
        #expect(WorklistScore.nextAction(f).kind == .wait)
        f.coveredBase = 0
        f.hasPhone = false
        f.hasEmail = false
        #expect(WorklistScore.nextAction(f).kind == .findContact)
        f.hasEmail = true
        #expect(WorklistScore.nextAction(f).kind == .sendStatement)
        f.oldestDaysPastDue = 121
        #expect(WorklistScore.nextAction(f).kind == .considerHandOver)
        f.oldestDaysPastDue = 10
        f.hasPhone = true
        #expect(WorklistScore.nextAction(f).kind == .call)
    }
}
