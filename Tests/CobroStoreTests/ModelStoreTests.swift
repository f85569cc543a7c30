import CobroCore
import CobroStore
import CobroTestSupport
import Testing

/// A generated history: 30 customers with 13 monthly invoices of 1,000.00 from 2024-01-10 (due 30 days later); the
/// even customers pay 25 days late, the odd ones 2 days early; the last invoice of each (due 2025-02-09) is open and
/// not yet due on 2025-02-08, the training day.
@Suite("Model store")
struct ModelStoreTests {
    static func load(_ db: any Database, _ co: CompanyRecord) async throws {
        var customers = "customer_ref,name,currency\n", invoices = "invoice_ref,customer_ref,issue_date,due_date,currency,amount\n"
        var payments = "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\n"
        for c in 0..<30 {
            customers += "M\(c),Customer \(c),USD\n"
            for m in 0..<13 {
                let issue = d("2024-01-10").adding(months: m), due = issue.adding(days: 30)
                invoices += "I\(c)-\(m),M\(c),\(issue.iso),\(due.iso),USD,1000.00\n"
                if m < 12 { payments += "P\(c)-\(m),M\(c),\(due.adding(days: c % 2 == 0 ? 25 : -2).iso),USD,1000.00,I\(c)-\(m)\n" }
            }
        }
        let imp = Importer(db: db, company: co, actor: "test", clock: .fixed(0))
        for (k, csv) in [(ImportKind.customers, customers), (.invoices, invoices), (.payments, payments)] {
            let s = try await imp.run(k, csv: csv, strict: true)
            #expect(s.committed && s.rejected == 0)
        }
    }

    @Test("training stores a version, scores every customer with an open invoice, and the worklist ranks by the risk", arguments: TestDatabases.kinds)
    func trainAndScore(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            #expect(try await ModelStore.train(db, company: co.id, today: d("2025-02-08"), lateDays: 0, actor: "t", now: 1) == nil)  // nothing yet
            try await Self.load(db, co)
            var steps: [String] = []
            let trained = try #require(try await ModelStore.train(db, company: co.id, today: d("2025-02-08"), lateDays: 0, actor: "t", now: 1) { steps.append($0) })
            #expect(trained.customersScored == 30 && trained.trainingRows >= 360)
            // The status line is told each step as it begins, in order, and each once.
            #expect(steps == ["reading the ledger", "computing features", "training, and evaluating out of time alongside", "finishing the evaluation",
                              "scoring customers and the cash forecast", "storing"])
            #expect(trained.phases.count == steps.count)
            let late = try #require(try await db.read { c in try await ModelStore.risk(c, company: co.id, customerRef: "M0") })
            let punctual = try #require(try await db.read { c in try await ModelStore.risk(c, company: co.id, customerRef: "M1") })
            #expect(late.score >= 80 && punctual.score <= 20 && late.modelVersion == trained.version, "\(late) \(punctual)")
            #expect(late.expectedDaysLate > 15 && punctual.expectedDaysLate < 5)
            // The reasons come back from the store with their words, in English and in Spanish.
            #expect(late.reasons.contains { $0.words()?.contains("late") == true })
            #expect(late.reasons.contains { ($0.words("es") ?? "").contains("tarde") || ($0.words("es") ?? "").contains("retraso") })

            // Ten days after the last invoices fell due, the worklist's risk factor carries the prediction (score ÷ 10 points).
            let list = try await db.read { c in try await WorklistStore.worklist(c, company: co.id, base: usd, scope: .all, today: d("2025-02-19"), limit: 50) }
            let m0 = try #require(list.first { $0.customerRef == "M0" })
            #expect(m0.facts.risk == late.score)
            #expect(m0.factors.first { $0.factor == "risk" }?.detail == "predicted risk \(late.score)/100")

            // Cash forecast on Saturday 2025-02-08 (weeks from Monday 02-03): the punctual half's 15 × 1,000.00 (due 02-09, paid
            // early) is expected in the first week; the late half's 15,000.00 about 25 days after due (early March), and
            // nothing is lost or counted twice.
            let (_, forecast) = try #require(try await db.read { c in try await ModelStore.cashForecast(c, company: co.id, today: d("2025-02-08"), weeks: 13) })
            #expect(forecast.weeks.first?.start == d("2025-02-03") && forecast.weeks[0].amounts[usd] == 1_500_000)
            #expect(forecast.weeks[2...].reduce(0) { $0 + ($1.amounts[usd] ?? 0) } + (forecast.later[usd] ?? 0) == 1_500_000)
            #expect(forecast.weeks.reduce(0) { $0 + ($1.amounts[usd] ?? 0) } + (forecast.later[usd] ?? 0) == 3_000_000)

            #expect(trained.alerts == 0)  // a first model has nothing to compare with
            // Dunning sees the score too, for a high-risk policy rule: M0 resolves to the high-risk policy, M1 does not.
            var withRule = DunningPolicyAssignment.standard
            withRule.highRisk = .init(policyID: "strategic_statement", minScore: 70)
            let assignment = withRule
            let (input, _) = try await db.read { c in
                try await DunningStore(c, company: co.id).planInput(asOf: d("2025-02-19"), baseCurrency: usd, rates: [], assignment: assignment)
            }
            let in0 = try #require(input.customers.first { $0.ref == "M0" }), in1 = try #require(input.customers.first { $0.ref == "M1" })
            #expect(in0.risk == late.score && in1.risk == punctual.score)
            #expect((try assignment.resolve(override: nil, strategic: false, segment: nil, risk: in0.risk).get()).source == .highRisk)
            #expect((try assignment.resolve(override: nil, strategic: false, segment: nil, risk: in1.risk).get()).source == .companyDefault)
            // A second training replaces the scores under a new version. M0 had looked safe before (score set to 10
            // here): crossing into high risk raises one alert, as a task for its collector.
            try await db.transaction { c in
                try await c.execute("UPDATE customer_risk SET score = 10 WHERE company_id = $1 AND customer_id = (SELECT id FROM customer WHERE company_id = $1 AND customer_ref = 'M0')", [.int(co.id)])
            }
            let again = try #require(try await ModelStore.train(db, company: co.id, today: d("2025-02-08"), lateDays: 0, actor: "t", now: 2))
            #expect(again.version > trained.version && again.alerts == 1)
            let alertTasks = try await db.read { c in
                try await c.query("SELECT t.title, t.detail FROM task t WHERE t.company_id = $1 AND t.kind = 'risk_alert'", [.int(co.id)]).map { "\($0.text(0)) | \($0.text(1))" }
            }
            #expect(alertTasks.count == 1 && alertTasks[0].hasPrefix("Payment risk of M0 worsened | risk rose from 10 to"))
            let listed = try await db.read { c in try await TaskStore.list(c, company: co.id, status: .open, kind: .riskAlert, customerRef: nil, after: 0, limit: 10) }
            #expect(listed.map(\.customerRef) == ["M0"] && listed.allSatisfy { $0.kind == .riskAlert }, "the task reads back as a risk alert")
            #expect(try await db.read { c in try await ModelStore.risk(c, company: co.id, customerRef: "M0") }?.modelVersion == again.version)
            let audits = try await db.read { c in try await c.query("SELECT COUNT(*) FROM audit_event WHERE company_id = $1 AND action = 'model.train'", [.int(co.id)]).first!.int(0) }
            #expect(audits == 2)
        }
    }

    @Test("a training keeps its 13-week cash forecast; the report sets it against the payments received in each week", arguments: TestDatabases.kinds)
    func forecastAgainstActual(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await Self.load(db, co)
            let trained = try #require(try await ModelStore.train(db, company: co.id, today: d("2025-02-08"), lateDays: 0, actor: "t", now: 1))
            // The 30 open invoices (1,000.00 each, due Sunday 2025-02-09) are all expected within the 13 weeks.
            let kept = try await db.read { c in
                try await c.first("SELECT CAST(SUM(expected) AS BIGINT), COUNT(DISTINCT week_start) FROM cash_forecast_week WHERE company_id = $1 AND made_on = $2",
                                  [.int(co.id), .int(Int64(d("2025-02-08").dayNumber))])!
            }
            #expect(kept.int(0) == 3_000_000)
            // Then the odd customers pay on the due date (the week of Monday 2025-02-03) and the even ones on 2025-03-06
            // (the week of 2025-03-03), 15 × 1,000.00 each. The week of 2025-02-03 also holds the even customers' payments
            // of the previous invoices (due 2025-01-09, paid 25 days late on 2025-02-03): 15 × 1,000.00 more.
            var payments = "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\n"
            for c in 0..<30 { payments += "Q\(c),M\(c),\(c % 2 == 1 ? "2025-02-09" : "2025-03-06"),USD,1000.00,I\(c)-12\n" }
            let s = try await Importer(db: db, company: co, actor: "test", clock: .fixed(0)).run(.payments, csv: payments, strict: true)
            #expect(s.committed)
            let r = try #require(try await db.read { c in try await ModelStore.forecastAccuracy(c, company: co.id, madeOn: nil, today: d("2025-06-01")) })
            #expect(r.madeOn == d("2025-02-08") && r.modelVersion == trained.version && r.weeks.count == 13 && r.weeks[0] == d("2025-02-03"))
            let actual = Dictionary(grouping: r.rows, by: \.weekStart).mapValues { $0.reduce(0) { $0 + $1.actualMinor } }
            #expect(actual[d("2025-02-03")] == 3_000_000 && actual[d("2025-03-03")] == 1_500_000)
            #expect(r.rows.reduce(0) { $0 + $1.forecastMinor } == 3_000_000 && r.rows.allSatisfy(\.complete))
            #expect(r.summary.count == 1 && r.summary[0].actualMinor == 4_500_000 && r.summary[0].forecastMinor == 3_000_000)
            #expect(try await db.read { c in try await ModelStore.forecastAccuracy(c, company: co.id, madeOn: d("2025-02-09"), today: d("2025-06-01")) } == nil)
        }
    }
}
