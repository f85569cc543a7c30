import Foundation

/// Out-of-time evaluation of the payment model (issue 6, point 3): train on invoices issued before a cut date with
/// what was known at the cut, test on later ones, next to two baselines.
public enum ModelEvaluation {
    /// Scores of one predictor on the test set.
    public struct Scores: Sendable, Hashable, Codable {
        public var auc: Double?
        public var accuracy: Double
        public var precisionLate: Double?
        public var recallLate: Double?
        public var f1Late: Double?
        public var brier: Double
        /// Over settled test invoices.
        public var maeDaysLate: Double?
        /// Over settled test invoices that were late, of the prediction of how late an invoice paid late is (the
        /// late-only regression; the published figures on invoice data measure the same).
        public var maeDaysLateLateOnly: Double?
        public var rmseDaysToSettle: Double?
    }

    /// A calibration bin: predicted probability in `[low, high)`.
    public struct CalibrationBin: Sendable, Hashable, Codable {
        public var low: Double
        public var high: Double
        public var count: Int
        public var meanPredicted: Double?
        public var observedLate: Double?
    }

    public struct Report: Sendable {
        public var cutDate: LocalDate
        public var lateDays: Int
        public var nTrain: Int
        public var nTest: Int
        public var lateShareTest: Double
        public var model: Scores
        public var calibration: [CalibrationBin]
        /// `always_on_time` (p = 0, 0 days late) and `customer_history` (the customer's share late and mean days late
        /// before each invoice).
        public var baselines: [(name: String, scores: Scores)]
    }

    /// Evaluates on `invoices` (the ledger as it stands on `dataEnd`). The test invoices are those issued from the cut
    /// that are more than `lateDays` past due on `dataEnd`: settled by then, or still open (late, days not yet known).
    /// Newer ones are left out even when paid, for the reason ``fit(_:x:at:lateDays:)`` gives. `nil` when either side
    /// has fewer than 20 known outcomes.
    public static func run(_ invoices: [ModelInvoice], events: [Int64: CustomerEvents] = [:], cutDate: LocalDate, dataEnd: LocalDate, lateDays: Int) -> Report? {
        run(invoices, x: PaymentFeatures.vectors(invoices, lateDays: lateDays, events: events), cutDate: cutDate, dataEnd: dataEnd, lateDays: lateDays)
    }

    /// ``run(_:events:cutDate:dataEnd:lateDays:)`` with the features `x` of `invoices` already computed.
    public static func run(_ invoices: [ModelInvoice], x: [[Double]], cutDate: LocalDate, dataEnd: LocalDate, lateDays: Int) -> Report? {
        // Training rows are ``fit(_:x:at:lateDays:)``'s (what was known at the cut); the test rows are the later
        // invoices whose outcome is known by `dataEnd`.
        struct Row { var i: Int; var late: Bool; var daysLate: Double? }
        var test: [Row] = []
        for (i, inv) in invoices.enumerated() where inv.issueDate >= cutDate && inv.canBeLate(by: dataEnd, lateDays: lateDays) {
            if let s = inv.settledOn, s <= dataEnd {
                test.append(Row(i: i, late: inv.daysLate! > lateDays, daysLate: Double(inv.daysLate!)))
            } else {
                test.append(Row(i: i, late: true, daysLate: nil))
            }
        }
        guard test.count >= 20, let (model, trainRows) = fit(invoices, x: x, at: cutDate, lateDays: lateDays) else { return nil }

        let labels = test.map(\.late)
        func scores(p: [Double], days: [Double], daysIfLate: [Double]? = nil) -> Scores {
            evaluate(p: p, labels: labels, predictedDaysLate: days, predictedDaysLateIfLate: daysIfLate, actualDaysLate: test.map(\.daysLate),
                     terms: test.map { Double(invoices[$0.i].dueDate.days(since: invoices[$0.i].issueDate)) }, lateDays: Double(lateDays))
        }
        let p = test.map { model.probability(x[$0.i]) }
        let days = test.map { model.expectedDaysLate(x[$0.i]) }, daysIfLate = test.map { model.expectedDaysLateIfLate(x[$0.i]) }
        let meanLate = PaymentFeatures.names.firstIndex(of: "mean_days_late")!, share = PaymentFeatures.names.firstIndex(of: "share_late")!
        return Report(
            cutDate: cutDate, lateDays: lateDays, nTrain: trainRows, nTest: test.count,
            lateShareTest: Double(labels.filter { $0 }.count) / Double(labels.count),
            model: scores(p: p, days: days, daysIfLate: daysIfLate), calibration: calibration(p: p, labels: labels),
            baselines: [
                ("always_on_time", scores(p: Array(repeating: 0, count: test.count), days: Array(repeating: 0, count: test.count))),
                ("customer_history", scores(p: test.map { x[$0.i][share] }, days: test.map { x[$0.i][meanLate] })),
            ])
    }

    /// The model trained on what was known on `day` about `invoices` (features `x`): the invoices that could be late
    /// by then — more than `lateDays` past due — whether settled before it, or still open (late; days late censored
    /// at `day`), in issue order. `nil` with fewer than 20 such invoices.
    ///
    /// An invoice not yet that far past due is left out even when it is already paid: only the early payers among
    /// the newest invoices are settled, so keeping them would teach the model — and above all its calibration, fitted
    /// on the newest rows — that recent invoices are paid on time.
    public static func fit(_ invoices: [ModelInvoice], x: [[Double]], at day: LocalDate, lateDays: Int) -> (model: LateModel, rows: Int)? {
        var rows: [(i: Int, late: Bool, days: Double, settled: Bool)] = []
        for (i, inv) in invoices.enumerated() where inv.issueDate < day && inv.canBeLate(by: day, lateDays: lateDays) {
            if let s = inv.settledOn, s < day {
                rows.append((i, inv.daysLate! > lateDays, Double(inv.daysLate!), true))
            } else {
                rows.append((i, true, Double(day.days(since: inv.dueDate)), false))
            }
        }
        rows.sort { (invoices[$0.i].issueDate, $0.i) < (invoices[$1.i].issueDate, $1.i) }
        guard rows.count >= 20, let model = LateModel.train(x: rows.map { x[$0.i] }, late: rows.map(\.late), daysLate: rows.map(\.days), settled: rows.map(\.settled), lateDays: lateDays)
        else { return nil }
        return (model, rows.count)
    }

    /// The scores of probabilities `p` (late when ≥ 0.5) and predicted days late against the outcomes; the late-only
    /// error is of `predictedDaysLateIfLate` when given (how late, once late), else of `predictedDaysLate`.
    public static func evaluate(
        p: [Double], labels: [Bool], predictedDaysLate: [Double], predictedDaysLateIfLate: [Double]? = nil, actualDaysLate: [Double?], terms: [Double],
        lateDays: Double
    ) -> Scores {
        var tp = 0.0, fp = 0.0, fn = 0.0, correct = 0.0, brier = 0.0
        for (q, y) in zip(p, labels) {
            let predicted = q >= 0.5
            if predicted == y { correct += 1 }
            if predicted && y { tp += 1 }
            if predicted && !y { fp += 1 }
            if !predicted && y { fn += 1 }
            brier += (q - (y ? 1 : 0)) * (q - (y ? 1 : 0))
        }
        let n = Double(p.count)
        let precision = tp + fp > 0 ? tp / (tp + fp) : nil
        let recall = tp + fn > 0 ? tp / (tp + fn) : nil
        let f1 = precision.flatMap { pr in recall.map { rc in pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0 } }
        var absAll: [Double] = [], absLate: [Double] = [], sq: [Double] = []
        for (k, actual) in actualDaysLate.enumerated() {
            guard let actual else { continue }
            let e = predictedDaysLate[k] - actual
            absAll.append(abs(e))
            if actual > lateDays { absLate.append(abs((predictedDaysLateIfLate?[k] ?? predictedDaysLate[k]) - actual)) }
            sq.append(e * e)  // days to settle = terms + days late, so its error is the same
        }
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        return Scores(
            auc: auc(p, labels), accuracy: n > 0 ? correct / n : 0, precisionLate: precision, recallLate: recall, f1Late: f1, brier: n > 0 ? brier / n : 0,
            maeDaysLate: mean(absAll), maeDaysLateLateOnly: mean(absLate), rmseDaysToSettle: mean(sq).map { $0.squareRoot() })
    }

    /// Area under the ROC curve by the rank-sum (Mann–Whitney) formula, ties counted half; `nil` without both classes.
    public static func auc(_ scores: [Double], _ labels: [Bool]) -> Double? {
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = Array(repeating: 0.0, count: scores.count)
        var k = 0
        while k < order.count {
            var j = k
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[k]] { j += 1 }
            let rank = Double(k + j) / 2 + 1
            for t in k...j { ranks[order[t]] = rank }
            k = j + 1
        }
        let sum = zip(ranks, labels).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        return (sum - Double(positives) * Double(positives + 1) / 2) / (Double(positives) * Double(negatives))
    }

    /// Ten equal-width bins of predicted probability.
    public static func calibration(p: [Double], labels: [Bool]) -> [CalibrationBin] {
        (0..<10).map { b in
            let low = Double(b) / 10, high = Double(b + 1) / 10
            let members = zip(p, labels).filter { $0.0 >= low && ($0.0 < high || (b == 9 && $0.0 <= 1)) }
            let n = members.count
            return CalibrationBin(
                low: low, high: high, count: n, meanPredicted: n == 0 ? nil : members.reduce(0) { $0 + $1.0 } / Double(n),
                observedLate: n == 0 ? nil : Double(members.filter { $0.1 }.count) / Double(n))
        }
    }
}
