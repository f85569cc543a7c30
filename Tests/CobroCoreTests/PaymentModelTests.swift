import Foundation
@testable import CobroCore
import Testing

private func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

@Suite("Payment model")
struct PaymentModelTests {
    // Scores 0.1, 0.4, 0.35, 0.8 with labels no, no, yes, yes: of the 4 (positive, negative) pairs, 3 are ordered
    // right (0.35 < 0.4 is the wrong one): AUC 0.75. Ties count half.
    @Test func aucByRankSum() {
        #expect(ModelEvaluation.auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) == 0.75)
        #expect(ModelEvaluation.auc([0.5, 0.5], [false, true]) == 0.5)
        #expect(ModelEvaluation.auc([0.2, 0.3], [true, true]) == nil)
    }

    // p = 0.9 late, 0.2 on time, 0.6 on time, 0.4 late: predicted late (≥ 0.5) are the 1st and 3rd: TP 1, FP 1, FN 1:
    // precision 0.5, recall 0.5, F1 0.5, accuracy 2/4. Brier (0.01 + 0.04 + 0.36 + 0.36) / 4 = 0.1925.
    // Days late predicted 10, 0, 5, — against 12, −1, 0 (the 4th unsettled): MAE (2 + 1 + 5) / 3, late-only 2.
    @Test func classificationAndDaysScores() throws {
        let s = ModelEvaluation.evaluate(
            p: [0.9, 0.2, 0.6, 0.4], labels: [true, false, false, true], predictedDaysLate: [10, 0, 5, 3], actualDaysLate: [12, -1, 0, nil],
            terms: [30, 30, 30, 30], lateDays: 0)
        #expect(s.accuracy == 0.5 && s.precisionLate == 0.5 && s.recallLate == 0.5 && s.f1Late == 0.5)
        #expect(abs(s.brier - 0.1925) < 1e-12)
        let mae = try #require(s.maeDaysLate), rmse = try #require(s.rmseDaysToSettle)
        let expectedRMSE: Double = (30.0 / 3).squareRoot()
        #expect(abs(mae - 8.0 / 3) < 1e-12 && s.maeDaysLateLateOnly == 2)
        #expect(abs(rmse - expectedRMSE) < 1e-12)
        // With a separate "how late, once late" prediction (11 for the late 1st invoice), the late-only error is its:
        // |11 − 12| = 1; the all-invoices error stays the general prediction's.
        let ifLate = ModelEvaluation.evaluate(
            p: [0.9, 0.2, 0.6, 0.4], labels: [true, false, false, true], predictedDaysLate: [10, 0, 5, 3], predictedDaysLateIfLate: [11, 40, 40, 40],
            actualDaysLate: [12, -1, 0, nil], terms: [30, 30, 30, 30], lateDays: 0)
        #expect(ifLate.maeDaysLateLateOnly == 1 && ifLate.maeDaysLate == s.maeDaysLate)
    }

    // Features use only what was settled before the issue date: settling a later invoice differently does not change
    // an earlier invoice's features.
    @Test func noLookAhead() {
        func ledger(lastSettled: String?) -> [ModelInvoice] {
            [
                ModelInvoice(customer: 1, issueDate: day("2024-01-01"), dueDate: day("2024-01-31"), amountMinor: 100, settledOn: day("2024-02-10")),
                ModelInvoice(customer: 1, issueDate: day("2024-03-01"), dueDate: day("2024-03-31"), amountMinor: 300, settledOn: day("2024-03-20")),
                ModelInvoice(customer: 1, issueDate: day("2024-04-01"), dueDate: day("2024-05-01"), amountMinor: 100, settledOn: lastSettled.map(day)),
            ]
        }
        let a = PaymentFeatures.vectors(ledger(lastSettled: "2024-04-15"), lateDays: 0)
        let b = PaymentFeatures.vectors(ledger(lastSettled: nil), lateDays: 0)
        #expect(a[0] == b[0] && a[1] == b[1] && a[2] == b[2])
        let names = PaymentFeatures.names
        // On 03-01 only the first invoice (10 days late) was settled; on 04-01 both: mean (10 − 11) / 2 = −0.5.
        #expect(a[1][names.firstIndex(of: "mean_days_late")!] == 10)
        #expect(a[2][names.firstIndex(of: "mean_days_late")!] == -0.5)
        #expect(a[2][names.firstIndex(of: "share_late")!] == 0.5)
        #expect(a[0][names.firstIndex(of: "no_history")!] == 1 && a[1][names.firstIndex(of: "no_history")!] == 0)
    }

    // Disputes and broken promises count only when known before the issue date: a dispute opened 2024-02-15 and closed
    // 2024-03-10 is past and open for the 03-01 invoice, past and closed for the 04-01 one; a promise broken on
    // 2024-03-20 counts from 04-01 on. Events of another customer never count.
    @Test func disputesAndBrokenPromisesKnownAtIssue() {
        let invoices = [
            ModelInvoice(customer: 1, issueDate: day("2024-01-01"), dueDate: day("2024-01-31"), amountMinor: 100, settledOn: nil),
            ModelInvoice(customer: 1, issueDate: day("2024-03-01"), dueDate: day("2024-03-31"), amountMinor: 100, settledOn: nil),
            ModelInvoice(customer: 1, issueDate: day("2024-04-01"), dueDate: day("2024-05-01"), amountMinor: 100, settledOn: nil),
            ModelInvoice(customer: 2, issueDate: day("2024-04-01"), dueDate: day("2024-05-01"), amountMinor: 100, settledOn: nil),
        ]
        let events: [Int64: CustomerEvents] = [
            1: CustomerEvents(disputes: [.init(opened: day("2024-02-15"), closed: day("2024-03-10"))], brokenPromises: [day("2024-03-20")])
        ]
        let x = PaymentFeatures.vectors(invoices, lateDays: 0, events: events)
        let names = PaymentFeatures.names
        let past = names.firstIndex(of: "past_disputes_log")!, open = names.firstIndex(of: "open_disputes")!, broken = names.firstIndex(of: "broken_promises_log")!
        #expect(x[0][past] == 0 && x[0][open] == 0 && x[0][broken] == 0)
        #expect(x[1][past] == log1p(1) && x[1][open] == 1 && x[1][broken] == 0)
        #expect(x[2][past] == log1p(1) && x[2][open] == 0 && x[2][broken] == log1p(1))
        #expect(x[3][past] == 0 && x[3][open] == 0 && x[3][broken] == 0)
        #expect(x.allSatisfy { $0.count == names.count })
    }

    /// 80 customers, 18 monthly invoices each from 2023-01: the even ones pay 25 days late, the odd ones 2 days early,
    /// with a wobble; cut at 2024-01-01.
    static func history() -> [ModelInvoice] {
        var out: [ModelInvoice] = []
        for c in 0..<80 {
            for m in 0..<18 {
                let issue = day("2023-01-05").adding(months: m)
                let due = issue.adding(days: 30)
                let wobble = (c * 7 + m * 13) % 9 - 4
                let late = c % 2 == 0 ? 25 + wobble : -2 + wobble / 2
                let settled = due.adding(days: late)
                out.append(ModelInvoice(customer: Int64(c), issueDate: issue, dueDate: due, amountMinor: Int64(10_000 + c * 100 + m), settledOn: settled <= day("2024-07-31") ? settled : nil))
            }
        }
        return out
    }

    // Ten customers each invoice every 10 days for 300 days on 60-day terms; a fair coin decides whether an invoice is paid 20 days
    // late or 5 days after issue: half are late, whenever issued, and nothing known at issue tells which. On the
    // training day the newest early payers are already settled and the newest late ones not yet due; a model taught
    // from those would find the newest invoices — the rows its calibration is fitted on — mostly on time, and
    // predict far under half late.
    @Test func trainingLeavesOutInvoicesNotYetDueEvenWhenPaid() throws {
        var invoices: [ModelInvoice] = []
        var coin = SplitMix64(seed: 9)
        for c in 0..<10 {
            for k in 0..<30 {
                let issue = day("2023-01-01").adding(days: 10 * k + c)
                let due = issue.adding(days: 60)
                invoices.append(ModelInvoice(customer: Int64(c), issueDate: issue, dueDate: due, amountMinor: 10_000, settledOn: coin.next() % 2 == 0 ? due.adding(days: 20) : issue.adding(days: 5)))
            }
        }
        let today = day("2023-10-30")  // after the last issue (2023-10-28): the invoices of the last 60 days are not due yet
        invoices = invoices.filter { $0.issueDate < today }.map { inv in
            var open = inv
            if let s = inv.settledOn, s >= today { open.settledOn = nil }
            return open
        }
        let x = PaymentFeatures.vectors(invoices, lateDays: 0)
        let model = try #require(ModelEvaluation.fit(invoices, x: x, at: today, lateDays: 0)?.model)
        let p = invoices.indices.map { model.probability(x[$0]) }
        let mean = p.reduce(0, +) / Double(p.count)
        // Kept, those paid newest invoices brought the mean prediction down to 0.24; left out, it is 0.39.
        #expect(mean > 0.35, "mean predicted probability \(mean)")
    }

    @Test func learnsAClearPatternAndBeatsTheNaiveBaseline() throws {
        let r = try #require(ModelEvaluation.run(Self.history(), cutDate: day("2024-01-01"), dataEnd: day("2024-07-31"), lateDays: 0))
        #expect(r.nTrain > 500 && r.nTest > 300)
        let onTime = try #require(r.baselines.first { $0.name == "always_on_time" }?.scores)
        #expect(try #require(r.model.auc) > 0.95)
        #expect(r.model.accuracy > 0.95 && onTime.accuracy < 0.6)
        let (modelMAE, naiveMAE) = (try #require(r.model.maeDaysLate), try #require(onTime.maeDaysLate))
        #expect(modelMAE < naiveMAE)
        #expect(r.calibration.count == 10 && r.calibration.reduce(0) { $0 + $1.count } == r.nTest)
        // Deterministic: the same data gives the same scores.
        #expect(ModelEvaluation.run(Self.history(), cutDate: day("2024-01-01"), dataEnd: day("2024-07-31"), lateDays: 0)?.model == r.model)
    }
}

@Suite("Boosted trees and the late-only regression")
struct BoostedTreesTests {
    /// A 20 × 20 grid of (a, b) in [0, 1): late exactly when a > 0.3 or b > 0.6 but not both (an interaction no
    /// straight line separates). Not symmetric, so a first split already gains something.
    static func grid() -> (x: [[Double]], late: [Bool]) {
        var x: [[Double]] = [], late: [Bool] = []
        for i in 0..<20 {
            for j in 0..<20 {
                let a = (Double(i) + 0.5) / 20, b = (Double(j) + 0.5) / 20
                x.append([a, b])
                late.append((a > 0.3) != (b > 0.6))
            }
        }
        return (x, late)
    }

    @Test func treesLearnWhatALinearScoreCannot() {
        let (x, late) = Self.grid()
        let trees = BoostedTrees.train(x: x, late: late, base: Array(repeating: 0, count: x.count))
        let right = zip(x, late).filter { (trees.score($0.0) > 0) == $0.1 }.count
        #expect(right == x.count)
        // Points off the grid follow the learnt thresholds: (0.2, 0.8) late, (0.8, 0.9) on time.
        #expect(trees.score([0.2, 0.8]) > 1 && trees.score([0.8, 0.9]) < -1)
        // Deterministic: the same rows give the same trees.
        #expect(BoostedTrees.train(x: x, late: late, base: Array(repeating: 0, count: x.count)) == trees)
    }

    // A base score that already separates the classes leaves the trees little to add: they move it by less than the
    // base itself, and never against it.
    @Test func treesRefineTheBaseScore() {
        let (x, late) = Self.grid()
        let base = late.map { $0 ? 4.0 : -4.0 }
        let trees = BoostedTrees.train(x: x, late: late, base: base)
        for (i, row) in x.enumerated() {
            let total = base[i] + trees.score(row)
            #expect((total > 0) == late[i])
            #expect(abs(trees.score(row)) < 4)
        }
    }

    // One feature u; every third invoice is paid late, 10 + 20·u days, the others 3 days early. The all-invoices
    // median is −3 whatever u is; the late-only regression finds 10 + 20·u (20 at u = 0.5). Invoices still open on the
    // training day (late so far by 1 day) are late but not in the late-only fit.
    @Test func lateOnlyRegressionLearnsHowLateOnceLate() throws {
        var x: [[Double]] = [], late: [Bool] = [], days: [Double] = [], settled: [Bool] = []
        for r in 0..<600 {
            let u = Double(r % 50) / 50
            x.append([u])
            if r % 3 == 0 {
                late.append(true); days.append(10 + 20 * u); settled.append(true)
            } else if r % 10 == 1 {
                late.append(true); days.append(1); settled.append(false)
            } else {
                late.append(false); days.append(-3); settled.append(true)
            }
        }
        let model = try #require(LateModel.train(x: x, late: late, daysLate: days, settled: settled, lateDays: 0))
        #expect(abs(model.expectedDaysLateIfLate([0.5]) - 20) < 0.5)
        #expect(abs(model.expectedDaysLateIfLate([0.1]) - 12) < 0.5)
        #expect(abs(model.expectedDaysLate([0.5]) + 3) < 0.5)
    }

    // Days late 30 when a > 0.5, else 2 — with one row in ten at every value of a 200 days late. The median at each
    // a is still 30 / 2, and trees on the absolute error find exactly that; a squared-error fit would be pulled up
    // by the outliers (to ≈ 47 / 22), and no split can set them apart from the rest.
    @Test func absoluteErrorTreesFindTheMedianNotTheMean() {
        var x: [[Double]] = [], days: [Double] = []
        for r in 0..<400 {
            let a = Double(r % 40) / 40
            x.append([a])
            days.append((r / 40) % 10 == 3 ? 200 : a > 0.5 ? 30 : 2)
        }
        var o = BoostedTrees.Options()
        o.learningRate = 0.5
        let trees = BoostedTrees.train(x: x, targets: days, base: Array(repeating: 0, count: x.count), loss: .absolute, options: o)
        #expect(abs(trees.score([0.9]) - 30) < 0.5)
        #expect(abs(trees.score([0.1]) - 2) < 0.5)
    }

    // Labels that are noise: trees fitted to them only fit the training rows, so a holdout of more noise stops the
    // training within `patience` rounds of its best, which is no worse than the base score.
    @Test func aHoldoutStopsTreesThatOnlyFitNoise() {
        var rng = SplitMix64(seed: 7)
        func rows(_ n: Int) -> (x: [[Double]], y: [Double]) {
            (0..<n).reduce(into: ([[Double]](), [Double]())) { acc, _ in
                acc.0.append([Double(rng.next() % 1000) / 1000, Double(rng.next() % 1000) / 1000])
                acc.1.append(rng.next() % 2 == 0 ? 1 : 0)
            }
        }
        let train = rows(2_000), held = rows(1_000)
        let zero = Array(repeating: 0.0, count: 1_000)
        let o = BoostedTrees.Options()
        let trees = BoostedTrees.train(
            x: train.x, targets: train.y, base: Array(repeating: 0, count: 2_000), loss: .logistic,
            holdout: .init(x: held.x, targets: held.y, base: zero), options: o)
        #expect(trees.trees.count < o.rounds / 2)
        let scored = held.x.map { trees.score($0) }
        #expect(BoostedTrees.lossOf(scored, held.y, .logistic) <= BoostedTrees.lossOf(zero, held.y, .logistic))
        // Without the holdout every round is kept.
        #expect(BoostedTrees.train(x: train.x, targets: train.y, base: Array(repeating: 0, count: 2_000), loss: .logistic, options: o).trees.count == o.rounds)
    }

    // Late with probability 0.8 when a > 0.5, else 0.2: the first trees learn the threshold, later ones the noise.
    // The holdout does not change the trees, only how many are kept: the kept ones are the first trees of the same
    // training without a holdout, and that prefix has the lowest holdout loss of all the prefixes tried, strictly
    // lower than every shorter one.
    @Test func earlyStoppingKeepsTheBestPrefix() {
        var rng = SplitMix64(seed: 5)
        func rows(_ n: Int) -> (x: [[Double]], y: [Double]) {
            (0..<n).reduce(into: ([[Double]](), [Double]())) { acc, _ in
                let a = Double(rng.next() % 1000) / 1000, b = Double(rng.next() % 1000) / 1000
                acc.0.append([a, b])
                acc.1.append(Double(rng.next() % 100) < (a > 0.5 ? 80 : 20) ? 1 : 0)
            }
        }
        let train = rows(3_000), held = rows(1_500)
        let base = Array(repeating: 0.0, count: 3_000)
        let o = BoostedTrees.Options()
        let kept = BoostedTrees.train(
            x: train.x, targets: train.y, base: base, loss: .logistic, holdout: .init(x: held.x, targets: held.y, base: Array(repeating: 0, count: 1_500)),
            options: o)
        let all = BoostedTrees.train(x: train.x, targets: train.y, base: base, loss: .logistic, options: o)
        let k = kept.trees.count
        #expect(k > 0 && k < o.rounds)
        #expect(Array(all.trees.prefix(k)) == kept.trees)
        func heldLoss(_ j: Int) -> Double {
            BoostedTrees.lossOf(held.x.map { BoostedTrees(trees: Array(all.trees.prefix(j))).score($0) }, held.y, .logistic)
        }
        let best = heldLoss(k)
        #expect((0..<k).allSatisfy { heldLoss($0) > best })
        #expect(((k + 1)...min(o.rounds, k + o.patience)).allSatisfy { heldLoss($0) >= best })
    }

    // The newest fifth of the training rows (the calibration holdout) are all on time, the older rows late exactly
    // when u > 0.5: calibration on a one-sided holdout must not push every probability to 0.
    @Test func aOneSidedCalibrationHoldoutKeepsTheScore() throws {
        var x: [[Double]] = [], late: [Bool] = []
        for r in 0..<100 {
            let u = r < 80 ? Double(r % 20) / 20 : Double(r % 10) / 20
            x.append([u])
            late.append(r < 80 && u > 0.5)
        }
        let model = try #require(LateModel.train(x: x, late: late, daysLate: late.map { $0 ? 10 : 0 }, lateDays: 0))
        #expect(model.probability([0.9]) > 0.5)
        #expect(model.probability([0.1]) < 0.5)
    }

    // The quickselect median equals the middle of the sorted values (the lower middle of an even count), duplicates
    // included.
    @Test func medianIsTheMiddleOfTheSortedValues() {
        var rng = SplitMix64(seed: 11)
        for n in [1, 2, 3, 10, 101, 1_000] {
            var v = (0..<n).map { _ in Double(rng.next() % 17) - 8 }
            let sorted = v.sorted()
            #expect(median(&v) == sorted[(n - 1) / 2])
        }
        var empty: [Double] = []
        #expect(median(&empty) == 0)
    }

    // The Newton fit reaches the optimum of Σ log loss + l2/2 ‖w‖²: its gradient there is zero.
    @Test func logisticRegressionReachesTheOptimum() {
        var rng = SplitMix64(seed: 3)
        let dims = 3, n = 3_000
        var flat: [Double] = [], labels: [Double] = []
        for _ in 0..<n {
            let row = (0..<dims).map { _ in Double(rng.next() % 2_001) / 1_000 - 1 }
            flat += row
            let s = 1.5 * row[0] - 2 * row[1] + 0.3
            labels.append(Double(rng.next() % 10_000) / 10_000 < 1 / (1 + exp(-s)) ? 1 : 0)
        }
        let (w, b) = logisticRegression(flat, dims: dims, rows: 0..<n, labels: labels, l2: 1)
        var grad = w.map { $0 }, gb = 0.0  // l2·w, plus Σ (p − y)·x
        for r in 0..<n {
            var s = b
            for j in 0..<dims { s += w[j] * flat[r * dims + j] }
            let err = 1 / (1 + exp(-s)) - labels[r]
            for j in 0..<dims { grad[j] += err * flat[r * dims + j] }
            gb += err
        }
        #expect(grad.allSatisfy { abs($0) < 1e-6 } && abs(gb) < 1e-6)
        // And it recovers the weights the labels were drawn with, within sampling error.
        #expect(abs(w[0] - 1.5) < 0.3 && abs(w[1] + 2) < 0.3 && abs(w[2]) < 0.3 && abs(b - 0.3) < 0.2)
    }

    // A model stored before the trees and the late-only regression existed decodes, and predicts with its logistic
    // score and all-invoices median alone.
    @Test func aModelStoredWithoutTreesStillPredicts() throws {
        let (x, late) = BoostedTreesTests.grid()
        let trained = try #require(LateModel.train(x: x, late: late, daysLate: late.map { $0 ? 5 : 0 }, lateDays: 0))
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(trained)) as? [String: Any])
        for key in ["trees", "lateDaysWeights", "lateDaysBias", "daysTrees", "lateDaysTrees"] { json[key] = nil }
        let old = try JSONDecoder().decode(LateModel.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.trees == nil && old.lateDaysWeights == nil && old.daysTrees == nil)
        #expect(!(trained.trees?.trees.isEmpty ?? true) && !(trained.daysTrees?.trees.isEmpty ?? true))
        let z = old.standardise([0.2, 0.8])
        let linear = zip(old.weights, z).reduce(old.bias) { $0 + $1.0 * $1.1 }
        #expect(abs(old.probability([0.2, 0.8]) - 1 / (1 + exp(-(old.plattA * linear + old.plattB)))) < 1e-12)
        let days = zip(old.daysWeights, z).reduce(old.daysBias) { $0 + $1.0 * $1.1 }
        #expect(abs(old.expectedDaysLate([0.2, 0.8]) - days) < 1e-12)
        #expect(old.expectedDaysLateIfLate([0.2, 0.8]) == old.expectedDaysLate([0.2, 0.8]))
    }
}

@Suite("Cash forecast")
struct CashForecastTests {
    // 60 customers, monthly from 2023-01, each paying alternately 30 days late and 2 days early. On Thursday
    // 2024-08-01 customer 0 has two open invoices of 100 EUR: one due 2024-07-23 (already late) and one due 2024-09-10.
    // The late one is expected how late this customer is once late — 30 days after due, 2024-08-22, in the week of
    // Monday 08-19 (week 3) — not now, nor at the mixed median of all its invoices.
    @Test func anInvoiceAlreadyLateIsExpectedAsLateAsTheCustomerIsOnceLate() throws {
        let eur = Currency(code: "EUR")!
        let today = day("2024-08-01")
        var invoices: [ModelInvoice] = []
        for c in 0..<60 {
            for m in 0..<18 {
                let issue = day("2023-01-05").adding(months: m)
                let due = issue.adding(days: 30)
                let settled = due.adding(days: m % 2 == 0 ? 30 + (c + m) % 3 - 1 : -2)
                invoices.append(ModelInvoice(customer: Int64(c), issueDate: issue, dueDate: due, amountMinor: 10_000, settledOn: settled < today ? settled : nil))
            }
        }
        invoices.append(ModelInvoice(customer: 0, issueDate: day("2024-06-23"), dueDate: day("2024-07-23"), amountMinor: 10_000, settledOn: nil, openMinor: 10_000, currency: eur))
        invoices.append(ModelInvoice(customer: 0, issueDate: day("2024-08-01"), dueDate: day("2024-09-10"), amountMinor: 10_000, settledOn: nil, openMinor: 10_000, currency: eur))
        let x = PaymentFeatures.vectors(invoices, lateDays: 0)
        let model = try #require(ModelEvaluation.fit(invoices, x: x, at: today, lateDays: 0)?.model)
        let late = x[invoices.count - 2], notDue = x[invoices.count - 1]
        #expect(abs(model.expectedDaysLateIfLate(late) - 30) < 3)
        #expect(model.expectedDaysLate(late) < 20)
        let f = CashForecast.forecast(model, invoices: invoices, today: today, weeks: 13)
        #expect(f.weeks[3].amounts[eur] == 10_000)
        // The one not yet due is expected at its due date plus the all-invoices median.
        let notDueWeek = day("2024-09-10").adding(days: Int(model.expectedDaysLate(notDue).rounded())).days(since: today.startOfWeek) / 7
        #expect(f.weeks.indices.filter { f.weeks[$0].amounts[eur] != nil } == Array(Set([3, notDueWeek])).sorted())
    }

    // Wednesday 2024-07-03: weeks start Monday 07-01. 100 EUR expected 06-20 (overdue: expected now, week 0), 30 USD
    // on Sunday 07-07 (week 0), 50 EUR on Monday 07-08 (week 1), 10 EUR in December (after 13 weeks: later).
    @Test func weeklyBuckets() {
        let eur = Currency(code: "EUR")!, usd = Currency(code: "USD")!
        let f = CashForecast.weekly(
            [(eur, 10_000, day("2024-06-20")), (usd, 3_000, day("2024-07-07")), (eur, 5_000, day("2024-07-08")), (eur, 1_000, day("2024-12-01")),
             (eur, 0, day("2024-07-08"))],
            today: day("2024-07-03"), weeks: 13)
        #expect(f.weeks.count == 13 && f.weeks.first?.start == day("2024-07-01") && f.weeks.last?.start == day("2024-09-23"))
        #expect(f.weeks[0].amounts == [eur: 10_000, usd: 3_000])
        #expect(f.weeks[1].amounts == [eur: 5_000])
        #expect(f.weeks[2...].allSatisfy { $0.amounts.isEmpty })
        #expect(f.later == [eur: 1_000])
    }
}

@Suite("Risk reasons")
struct RiskReasonTests {
    // A model whose only weight is −1 on the history length (mean 1, scale 1): a short history raises the risk. The
    // customer with none gets that reason in words that say so; the one with a long history gets none from it.
    @Test func reasonsSayWhichSideOfTheFeatureRaisesTheRisk() throws {
        let names = PaymentFeatures.names, h = names.firstIndex(of: "history_count_log")!
        var weights = Array(repeating: 0.0, count: names.count)
        weights[h] = -1
        var means = Array(repeating: 0.0, count: names.count)
        means[h] = 1
        let model = LateModel(
            means: means, scales: Array(repeating: 1, count: names.count), weights: weights, bias: 0, plattA: 1, plattB: 0,
            daysWeights: Array(repeating: 0, count: names.count), daysBias: 0, lateDays: 0)
        var invoices = [ModelInvoice(customer: 1, issueDate: day("2024-06-01"), dueDate: day("2024-07-01"), amountMinor: 100, settledOn: nil)]
        for m in 0..<12 {
            let issue = day("2023-01-10").adding(months: m)
            invoices.append(ModelInvoice(customer: 2, issueDate: issue, dueDate: issue.adding(days: 30), amountMinor: 100, settledOn: issue.adding(days: 30)))
        }
        invoices.append(ModelInvoice(customer: 2, issueDate: day("2024-06-01"), dueDate: day("2024-07-01"), amountMinor: 100, settledOn: nil))
        let risks = CustomerRisk.scores(model, invoices: invoices)
        let new = try #require(risks.first { $0.customer == 1 }), old = try #require(risks.first { $0.customer == 2 })
        #expect(new.reasons.map { $0.words() } == ["a short history of invoices"])
        #expect(new.reasons.map { $0.words("es") } == ["un historial de facturas corto"])
        #expect(old.reasons.isEmpty)
        #expect(new.score > old.score)
    }

    // A reason is stored as one line and read back the same; the English sentences stored before are not reasons.
    // Spanish numbers take a decimal comma.
    @Test func reasonsStoreAsOneLineAndSpeakBothLanguages() throws {
        let r = CustomerRisk.Reason(feature: "amount_vs_usual_log", value: log(2.5), above: true)
        #expect(CustomerRisk.Reason(stored: r.stored) == r)
        #expect(!r.stored.contains("\n"))
        #expect(CustomerRisk.Reason(stored: "paid 23 days late on average") == nil)
        #expect(r.words() == "open invoices 2.5× its usual amount" && r.words("es") == "facturas abiertas de 2,5× su importe habitual")
        let late = CustomerRisk.Reason(feature: "mean_days_late", value: 23.4, above: true)
        #expect(late.words() == "paid 23 days late on average" && late.words("es") == "paga con 23 días de retraso de media")
        // Values far out of the range of other features (800 days late) still have words.
        #expect(CustomerRisk.Reason(feature: "mean_days_late", value: 800, above: true).words() == "paid 800 days late on average")
        // The low side of a flag has no words.
        #expect(CustomerRisk.Reason(feature: "due_weekday_friday", value: 0, above: false).words() == nil)
    }
}

@Suite("Risk alerts")
struct RiskAlertTests {
    func risk(_ score: Int, _ days: Double) -> CustomerRisk { CustomerRisk(customer: 1, score: score, reasons: [], expectedDaysLate: days) }

    // High risk starts at 70; more than 10 expected days later also alerts; small moves and falls do not.
    @Test func whenARetrainingAlerts() {
        #expect(risk(70, 5).alert(previous: (69, 5)) == "risk rose from 69 to 70 (high risk)")
        #expect(risk(75, 5).alert(previous: (72, 5)) == nil)  // already high
        #expect(risk(40, 21).alert(previous: (40, 10)) == "expected to pay 11 days later than before (21 days late)")
        #expect(risk(40, 20).alert(previous: (40, 10)) == nil)  // exactly 10 more: not more than 10
        #expect(risk(10, 0).alert(previous: (90, 30)) == nil)
    }
}
