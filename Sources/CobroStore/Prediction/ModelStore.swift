import CobroCore
import Foundation

/// Trained payment models (one version per training, with its evaluation) and the customer risk scores of the
/// latest one (issue 6, point 2). The worklist reads the scores; they change only when a model is trained.
public enum ModelStore {
    /// What a training stored.
    public struct Trained: Sendable {
        public var version: Int64
        public var trainingRows: Int
        public var customersScored: Int
        /// Customers whose risk worsened enough for an alert (a `risk_alert` task and a `customer.risk_alert` event).
        public var alerts: Int
        /// The out-of-time evaluation at `evaluationCut` stored with the version (`nil` when the history is too short).
        public var evaluation: ModelEvaluation.Report?
        public var evaluationCut: LocalDate
        /// Wall time of each phase, in order: read, features, training, evaluation, scoring (risk of every customer with
        /// an open invoice and the cash forecast: features and predictions for all open invoices), storing.
        public var phases: [(name: String, duration: Duration)]
    }

    /// How far back the stored evaluation's cut lies.
    public static let evaluationMonths = 6

    /// Trains on everything known on `today`, evaluates out of time at `today − evaluationMonths`, stores the version
    /// and replaces the customer risk scores, in one transaction (audited). `nil` when the history is too short.
    /// `progress` is told each step as it begins, in words (for a status line while it runs).
    public static func train(
        _ db: any Database, company: Int64, today: LocalDate, lateDays: Int, actor: String, now: Int64, progress: (String) -> Void = { _ in }
    ) async throws -> Trained? {
        let clock = ContinuousClock()
        var phases: [(name: String, duration: Duration)] = []
        var mark = clock.now
        func phase(_ name: String, next: String? = nil) {
            phases.append((name, clock.now - mark))
            mark = clock.now
            if let next { progress(next) }
        }
        progress("reading the ledger")
        let (invoices, history) = try await db.read { c in
            (try await PredictionStore.invoices(c, company: company), try await PredictionStore.events(c, company: company))
        }
        phase("read", next: "computing features")
        let x = PaymentFeatures.vectors(invoices, lateDays: lateDays, events: history)
        phase("features", next: "training, and evaluating out of time alongside")
        // The out-of-time evaluation trains a second model of its own: it runs on the other core meanwhile. Both run on
        // threads of their own, so the server's requests keep the cooperative pool (two threads on two cores).
        let cut = today.adding(months: -evaluationMonths)
        async let evaluated = onOwnThread { ModelEvaluation.run(invoices, x: x, cutDate: cut, dataEnd: today, lateDays: lateDays) }
        guard let (model, rows) = await onOwnThread({ ModelEvaluation.fit(invoices, x: x, at: today.adding(days: 1), lateDays: lateDays) }) else {
            return nil
        }
        phase("training", next: "finishing the evaluation")
        let evaluation = await evaluated
        phase("evaluation (beyond the training's time)", next: "scoring customers and the cash forecast")
        let risks = CustomerRisk.scores(model, invoices: invoices, events: history)
        let forecast = CashForecast.forecast(model, invoices: invoices, events: history, today: today, weeks: CashForecast.standardWeeks)
        phase("scoring", next: "storing")
        let modelJSON = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        let evaluationJSON = try evaluation.map { r in
            String(decoding: try JSONEncoder().encode(StoredEvaluation(cut: cut.iso, nTrain: r.nTrain, nTest: r.nTest, model: r.model,
                                                                          baselines: Dictionary(uniqueKeysWithValues: r.baselines.map { ($0.name, $0.scores) }))),
                   as: UTF8.self)
        }
        let (version, alerts) = try await db.transaction { c -> (Int64, Int) in
            var alerts = 0
            let v = try await c.first(
                """
                INSERT INTO model_version (company_id, trained_at, trained_on_day, late_days, training_rows, model_json, evaluation_json, trained_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
                """,
                [.int(company), .int(now), .int(Int64(today.dayNumber)), .int(Int64(lateDays)), .int(Int64(rows)), .text(modelJSON), .of(evaluationJSON), .text(actor)])!.int(0)
            var previous: [Int64: (score: Int, expectedDaysLate: Double)] = [:]
            try await c.forEach("SELECT customer_id, score, expected_days_late_hundredths FROM customer_risk WHERE company_id = $1", [.int(company)]) { r in
                previous[r.int(0)] = (Int(r.int(1)), Double(r.int(2)) / 100)
            }
            try await c.execute("DELETE FROM customer_risk WHERE company_id = $1", [.int(company)])
            try await c.insertRows(
                "customer_risk", columns: ["company_id", "customer_id", "model_version", "score", "expected_days_late_hundredths", "reasons"],
                risks.map { r in
                    [.int(company), .int(r.customer), .int(v), .int(Int64(r.score)), .int(Int64((r.expectedDaysLate * 100).rounded())), .text(r.reasons.map(\.stored).joined(separator: "\n"))]
                })
            // Alerts: a task for the customer's collector and a webhook event, once per customer and model version.
            let events = try await EventSink.load(c, company: company)
            for r in risks {
                guard let old = previous[r.customer], let why = r.alert(previous: old) else { continue }
                try await c.execute(
                    """
                    INSERT INTO task (company_id, customer_id, kind, status, due_day, title, detail, created_at)
                    SELECT $1, id, 'risk_alert', 'open', $3, 'Payment risk of ' || customer_ref || ' worsened', $4, $5 FROM customer WHERE company_id = $1 AND id = $2
                    """, [.int(company), .int(r.customer), .int(Int64(today.dayNumber)), .text(([why] + r.reasons.compactMap { $0.words() }).joined(separator: "; ")), .int(now)])
                let ref = try await c.first("SELECT customer_ref FROM customer WHERE company_id = $1 AND id = $2", [.int(company), .int(r.customer)])?.text(0) ?? ""
                try await events.emit(
                    c, .customerRiskAlert, eventID: "customer.risk_alert:\(r.customer):\(v)",
                    data: ["customer_ref": ref, "score": r.score, "previous_score": old.score, "reason": why, "model_version": v], now: now)
                alerts += 1
            }
            try await saveForecast(c, company: company, madeOn: today, version: v, forecast)
            try await Audit.record(
                c, company: company, actor: actor, action: "model.train", entity: "model", ref: String(v), before: nil,
                after: ["training_rows": String(rows), "late_days": String(lateDays), "customers_scored": String(risks.count),
                        "auc": evaluation?.model.auc.map { String(format: "%.4f", $0) } ?? "not evaluated", "alerts": String(alerts)], at: now)
            return (v, alerts)
        }
        phase("storing")
        return Trained(
            version: version, trainingRows: rows, customersScored: risks.count, alerts: alerts, evaluation: evaluation, evaluationCut: cut, phases: phases)
    }

    struct StoredEvaluation: Codable {
        var cut: String
        var nTrain: Int
        var nTest: Int
        var model: ModelEvaluation.Scores
        var baselines: [String: ModelEvaluation.Scores]
    }

    /// A customer's risk under the latest model.
    public struct Risk: Sendable, Hashable {
        public var score: Int
        /// Strongest first; a score stored before reasons had a stored form has none until the next training.
        public var reasons: [CustomerRisk.Reason]
        public var expectedDaysLate: Double
        public var modelVersion: Int64
        public var trainedAt: Int64
    }

    /// The risk of customer `customerRef`; `nil` when no model has scored it (no model yet, or nothing open then).
    public static func risk(_ c: any Connection, company: Int64, customerRef: String) async throws -> Risk? {
        guard let r = try await c.first(
            """
            SELECT r.score, r.reasons, r.expected_days_late_hundredths, r.model_version, m.trained_at FROM customer_risk r
            JOIN customer cu ON cu.company_id = r.company_id AND cu.id = r.customer_id
            JOIN model_version m ON m.company_id = r.company_id AND m.id = r.model_version
            WHERE r.company_id = $1 AND cu.customer_ref = $2
            """, [.int(company), .text(customerRef)])
        else { return nil }
        return Risk(
            score: Int(r.int(0)), reasons: r.text(1).split(separator: "\n").compactMap { CustomerRisk.Reason(stored: $0) }, expectedDaysLate: Double(r.int(2)) / 100,
            modelVersion: r.int(3), trainedAt: r.int(4))
    }

    /// The latest trained model and its version; `nil` before the first training.
    public static func latest(_ c: any Connection, company: Int64) async throws -> (version: Int64, model: LateModel)? {
        guard let r = try await c.first(
            "SELECT id, model_json FROM model_version WHERE company_id = $1 ORDER BY id DESC LIMIT 1", [.int(company)])
        else { return nil }
        return (r.int(0), try JSONDecoder().decode(LateModel.self, from: Data(r.text(1).utf8)))
    }

    /// Expected collections per week for `weeks` weeks from `today` under the latest model; `nil` before the first
    /// training.
    public static func cashForecast(_ c: any Connection, company: Int64, today: LocalDate, weeks: Int) async throws -> (version: Int64, forecast: CashForecast.Forecast)? {
        guard let (version, model) = try await latest(c, company: company) else { return nil }
        let invoices = try await PredictionStore.invoices(c, company: company)
        let events = try await PredictionStore.events(c, company: company)
        return (version, CashForecast.forecast(model, invoices: invoices, events: events, today: today, weeks: weeks))
    }

    /// Keeps the forecast made on `madeOn` (replacing one made the same day) for the actual-vs-forecast report.
    public static func saveForecast(_ c: any Connection, company: Int64, madeOn: LocalDate, version: Int64, _ f: CashForecast.Forecast) async throws {
        try await c.execute("DELETE FROM cash_forecast_week WHERE company_id = $1 AND made_on = $2", [.int(company), .int(Int64(madeOn.dayNumber))])
        try await c.insertRows(
            "cash_forecast_week", columns: ["company_id", "made_on", "model_version", "week_start", "currency", "expected"],
            f.weeks.flatMap { w in
                w.amounts.sorted { $0.key.code < $1.key.code }.map { cur, minor -> [SQLValue] in
                    [.int(company), .int(Int64(madeOn.dayNumber)), .int(version), .int(Int64(w.start.dayNumber)), .text(cur.code), .int(minor)]
                }
            })
    }

    /// A stored forecast next to the payments received in its weeks.
    public struct ForecastComparison: Sendable {
        public var madeOn: LocalDate
        public var modelVersion: Int64
        public var weeks: [LocalDate]
        public var rows: [ForecastAccuracy.Row]
        public var summary: [ForecastAccuracy.Summary]
    }

    /// The forecast made on `madeOn`, or by default the latest made at least a week before `today` (else the first),
    /// compared with the payments received; `nil` when no forecast was kept on that day (or none at all).
    public static func forecastAccuracy(_ c: any Connection, company: Int64, madeOn: LocalDate?, today: LocalDate) async throws -> ForecastComparison? {
        var chosen = madeOn.map { Int64($0.dayNumber) }
        if chosen == nil {
            chosen = try await c.first(
                "SELECT MAX(made_on) FROM cash_forecast_week WHERE company_id = $1 AND made_on <= $2", [.int(company), .int(Int64(today.adding(days: -7).dayNumber))]
            )?.intOrNil(0)
        }
        if chosen == nil { chosen = try await c.first("SELECT MIN(made_on) FROM cash_forecast_week WHERE company_id = $1", [.int(company)])?.intOrNil(0) }
        guard let day = chosen else { return nil }
        var version: Int64?
        var forecast: [(week: LocalDate, currency: Currency, minor: Int64)] = []
        try await c.forEach(
            "SELECT model_version, week_start, currency, expected FROM cash_forecast_week WHERE company_id = $1 AND made_on = $2 ORDER BY week_start, currency",
            [.int(company), .int(day)]
        ) { r in
            version = r.int(0)
            if let cur = Currency(code: r.text(2)) { forecast.append((LocalDate(dayNumber: Int(r.int(1))), cur, r.int(3))) }
        }
        guard let version else { return nil }
        let made = LocalDate(dayNumber: Int(day))
        let weeks = CashForecast.weekStarts(today: made, weeks: CashForecast.standardWeeks)
        var payments: [(day: LocalDate, currency: Currency, minor: Int64)] = []
        try await c.forEach(
            """
            SELECT payment_day, currency, CAST(SUM(amount) AS BIGINT) FROM payment WHERE company_id = $1 AND payment_day BETWEEN $2 AND $3
            GROUP BY payment_day, currency
            """, [.int(company), .int(Int64(weeks[0].dayNumber)), .int(Int64(weeks[weeks.count - 1].adding(days: 6).dayNumber))]
        ) { r in
            if let cur = Currency(code: r.text(1)) { payments.append((LocalDate(dayNumber: Int(r.int(0))), cur, r.int(2))) }
        }
        let (rows, summary) = ForecastAccuracy.compare(weeks: weeks, forecast: forecast, payments: payments, today: today)
        return ForecastComparison(madeOn: made, modelVersion: version, weeks: weeks, rows: rows, summary: summary)
    }
}

/// Runs `work` on a new thread and returns its result: a computation of seconds on Swift's cooperative pool would hold
/// one of its few threads for all that time, and every request of a running server waits for those threads.
private func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { done in
        Thread { done.resume(returning: work()) }.start()
    }
}
