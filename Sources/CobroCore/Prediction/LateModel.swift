import Foundation

/// A deterministic, L2-regularised logistic regression for "paid late", sharpened by boosted trees and calibrated
/// with Platt scaling, and median (quantile) regressions for days late — of any invoice, and of one paid late —
/// each sharpened by trees on the absolute error it leaves (issue 6, point 2). Pure Swift, no runtime beyond the standard library and Foundation's math; the same data gives
/// the same model.
public struct LateModel: Sendable, Hashable, Codable {
    /// Per-feature standardisation (mean, standard deviation) learnt from the training set.
    public var means: [Double]
    public var scales: [Double]
    public var weights: [Double]
    public var bias: Double
    /// Platt scaling of the raw score: p = σ(a·s + b).
    public var plattA: Double
    public var plattB: Double
    /// Median regression of days late on the same standardised features.
    public var daysWeights: [Double]
    public var daysBias: Double
    public var lateDays: Int
    /// Trees fitted to what the logistic score leaves unexplained; `nil` in a model stored before they existed.
    public var trees: BoostedTrees?
    /// Median regression of days late over the invoices paid late only: how late, once late (the expected payment
    /// date of an invoice already overdue). `nil` in a model stored before it existed.
    public var lateDaysWeights: [Double]?
    public var lateDaysBias: Double?
    /// Trees on the absolute error each days-late regression leaves; `nil` in a model stored before they existed.
    public var daysTrees: BoostedTrees?
    public var lateDaysTrees: BoostedTrees?

    /// Training options.
    public struct Options: Sendable, Hashable {
        public var l2 = 1.0
        /// Share of the training set (the most recent part, chronologically) held out to fit the calibration.
        public var calibrationShare = 0.2
        public var trees = BoostedTrees.Options()
        public init() {}
    }

    /// The probability `x` (raw features) is paid more than ``lateDays`` days late.
    public func probability(_ x: [Double]) -> Double {
        let s = score(standardise(x)) + (trees?.score(x) ?? 0)
        return sigmoid(plattA * s + plattB)
    }

    /// Expected days late: the median the model predicts.
    public func expectedDaysLate(_ x: [Double]) -> Double {
        let z = standardise(x)
        return zip(daysWeights, z).reduce(daysBias) { $0 + $1.0 * $1.1 } + (daysTrees?.score(x) ?? 0)
    }

    /// Expected days late of an invoice that is paid late: the median the late-only regression predicts (the
    /// all-invoices median when the model has none).
    public func expectedDaysLateIfLate(_ x: [Double]) -> Double {
        guard let w = lateDaysWeights, let b = lateDaysBias else { return expectedDaysLate(x) }
        return zip(w, standardise(x)).reduce(b) { $0 + $1.0 * $1.1 } + (lateDaysTrees?.score(x) ?? 0)
    }

    public func standardise(_ x: [Double]) -> [Double] { zip(x, zip(means, scales)).map { ($0 - $1.0) / $1.1 } }
    func score(_ z: [Double]) -> Double { zip(weights, z).reduce(bias) { $0 + $1.0 * $1.1 } }

    /// Trains on `x` (raw feature vectors) with labels `late` and targets `daysLate`, rows in chronological order.
    /// `settled` marks the rows whose days late are final; the others (still open on the training day) count as late
    /// with the days so far, and are left out of the late-only regression, where they would only pull it down.
    public static func train(
        x: [[Double]], late: [Bool], daysLate: [Double], settled: [Bool]? = nil, lateDays: Int, options o: Options = Options()
    ) -> LateModel? {
        guard let dims = x.first?.count, x.count >= 20 else { return nil }
        var means = Array(repeating: 0.0, count: dims), scales = Array(repeating: 1.0, count: dims)
        let n = Double(x.count)
        for j in 0..<dims {
            let m = x.reduce(0) { $0 + $1[j] } / n
            let v = x.reduce(0) { $0 + ($1[j] - m) * ($1[j] - m) } / n
            means[j] = m
            scales[j] = v > 1e-12 ? v.squareRoot() : 1
        }
        let z = x.map { row in zip(row, zip(means, scales)).map { ($0 - $1.0) / $1.1 } }
        let cut = max(1, min(z.count - 1, Int(Double(z.count) * (1 - o.calibrationShare))))
        let flat = z.flatMap { $0 }  // row-major, so the loops below run over contiguous memory
        let labels = late.map { $0 ? 1.0 : 0.0 }
        let (w, b) = logisticRegression(flat, dims: dims, rows: 0..<cut, labels: labels, l2: o.l2)
        func linear(_ r: Int, _ w: [Double], _ b: Double) -> Double {
            var s = b
            for j in 0..<dims { s += w[j] * flat[r * dims + j] }
            return s
        }
        // Each ensemble is fitted on the older rows and stops where the most recent ones (the calibration share) stop
        // improving: the rows it will be used on are later still.
        func boost(_ rows: [Int], targets: [Double], base: [Double], loss: BoostedTrees.Loss) -> BoostedTrees {
            let older = rows.indices.filter { rows[$0] < cut }, recent = rows.indices.filter { rows[$0] >= cut }
            return BoostedTrees.train(
                x: older.map { x[rows[$0]] }, targets: older.map { targets[rows[$0]] }, base: older.map { base[$0] }, loss: loss,
                holdout: .init(x: recent.map { x[rows[$0]] }, targets: recent.map { targets[rows[$0]] }, base: recent.map { base[$0] }),
                options: o.trees)
        }
        // Trees starting from the logistic score.
        let everyRow = Array(0..<z.count)
        let logit = everyRow.map { linear($0, w, b) }
        let trees = boost(everyRow, targets: labels, base: logit, loss: .logistic)
        // Platt: a 1-D logistic regression of the held-out labels on the raw score, pulled towards leaving the score as
        // it is (a = 1, b = 0) so that a small or one-sided holdout cannot flatten or saturate every probability.
        let scores = (cut..<z.count).map { logit[$0] + trees.score(x[$0]) }
        let (platt, plattBias) = logisticRegression(scores, dims: 1, rows: 0..<scores.count, labels: Array(labels[cut...]), l2: 1, prior: [1, 0])
        // Days late: a median regression, then trees on the absolute error it leaves.
        let all = medianRegression(flat, dims: dims, rows: everyRow, targets: daysLate, l2: o.l2)
        let daysTrees = boost(everyRow, targets: daysLate, base: everyRow.map { linear($0, all.weights, all.bias) }, loss: .absolute)
        let lateRows = everyRow.filter { late[$0] && settled?[$0] ?? true }
        var ifLate: (weights: [Double], bias: Double, trees: BoostedTrees)?
        if lateRows.count >= 20 {
            let fit = medianRegression(flat, dims: dims, rows: lateRows, targets: daysLate, l2: o.l2)
            ifLate = (fit.weights, fit.bias, boost(lateRows, targets: daysLate, base: lateRows.map { linear($0, fit.weights, fit.bias) }, loss: .absolute))
        }
        return LateModel(
            means: means, scales: scales, weights: w, bias: b, plattA: platt[0], plattB: plattBias, daysWeights: all.weights, daysBias: all.bias,
            lateDays: lateDays, trees: trees, lateDaysWeights: ifLate?.weights, lateDaysBias: ifLate?.bias, daysTrees: daysTrees, lateDaysTrees: ifLate?.trees)
    }
}

/// L2-regularised logistic regression of `labels` (0 / 1) on the standardised features of `rows` (`flat`: row-major,
/// `dims` per row): minimises Σ log loss + l2/2 ‖w‖² (the intercept is not penalised) by Newton's method, each step
/// halved until the loss falls. A few exact (features + 1)² solves instead of hundreds of gradient passes:
/// deterministic, no learning rate, and the optimum itself rather than wherever the gradient steps stopped.
/// With a `prior` (weights, then intercept) the penalty is l2/2 ‖β − prior‖² over the intercept too, and the fit
/// starts there: few rows, or rows of one class, then leave it near the prior instead of at ±∞.
func logisticRegression(
    _ flat: [Double], dims: Int, rows: Range<Int>, labels: [Double], l2: Double, prior: [Double]? = nil
) -> (weights: [Double], bias: Double) {
    let k = dims + 1
    let centre = prior ?? Array(repeating: 0.0, count: k), penalised = prior == nil ? dims : k
    var beta = centre
    func loss(_ beta: [Double]) -> Double {
        var total = 0.0
        for r in rows {
            var s = beta[dims]
            for j in 0..<dims { s += beta[j] * flat[r * dims + j] }
            total += logLoss(s, labels[r])
        }
        for j in 0..<penalised { total += l2 / 2 * (beta[j] - centre[j]) * (beta[j] - centre[j]) }
        return total
    }
    var current = loss(beta)
    for _ in 0..<30 {
        var a = Array(repeating: 0.0, count: k * k), grad = Array(repeating: 0.0, count: k)
        var row = Array(repeating: 1.0, count: k)
        for r in rows {
            for j in 0..<dims { row[j] = flat[r * dims + j] }
            var s = 0.0
            for j in 0..<k { s += beta[j] * row[j] }
            let p = sigmoid(s), weight = max(p * (1 - p), 1e-10), err = p - labels[r]
            for i in 0..<k {
                grad[i] += err * row[i]
                let wi = weight * row[i]
                for j in i..<k { a[i * k + j] += wi * row[j] }
            }
        }
        for i in 0..<k { for j in 0..<i { a[i * k + j] = a[j * k + i] } }
        for j in 0..<penalised {
            a[j * k + j] += l2
            grad[j] += l2 * (beta[j] - centre[j])
        }
        guard let delta = solve(a, grad, k) else { break }
        var t = 1.0, moved = false
        for _ in 0..<20 {
            let trial = zip(beta, delta).map { $0 - t * $1 }
            let trialLoss = loss(trial)
            if trialLoss <= current {
                moved = current - trialLoss > 1e-12 * max(1, abs(current))
                (beta, current) = (trial, trialLoss)
                break
            }
            t /= 2
        }
        if !moved || delta.allSatisfy({ abs($0) * t < 1e-7 }) { break }
    }
    return (Array(beta[0..<dims]), beta[dims])
}

/// Median (quantile 0.5) regression of `targets` on the standardised features of `rows` (`flat`: row-major, `dims`
/// per row). Days late are skewed (most invoices a few days either side, a long tail of very late ones), and the
/// median minimises the absolute error the evaluation reports, where a least-squares fit is pulled up by the tail.
/// Iteratively reweighted least squares: start from least squares, then weigh each row by 1 / |residual| (at least
/// 0.5 day) and solve again, up to 25 times or until no coefficient moves by 10⁻⁴ — each a small (features + 1)² linear
/// system, so it is exact and deterministic.
func medianRegression(
    _ flat: [Double], dims: Int, rows all: [Int], targets: [Double], l2: Double, maxRows: Int = 200_000
) -> (weights: [Double], bias: Double) {
    let k = dims + 1  // the features and the intercept (last)
    // 19 coefficients are as well determined by 200,000 rows as by a million: larger sets are thinned to every k-th.
    let step = max(1, (all.count + maxRows - 1) / maxRows)
    let rows = stride(from: 0, to: all.count, by: step).map { all[$0] }
    var beta = Array(repeating: 0.0, count: k)
    for iteration in 0..<25 {
        var a = Array(repeating: 0.0, count: k * k), rhs = Array(repeating: 0.0, count: k)
        var row = Array(repeating: 1.0, count: k)
        for r in rows {
            let base = r * dims
            for j in 0..<dims { row[j] = flat[base + j] }
            var weight = 1.0
            if iteration > 0 {
                var fit = 0.0
                for j in 0..<k { fit += beta[j] * row[j] }
                weight = 1 / max(abs(targets[r] - fit), 0.5)
            }
            for i in 0..<k {
                let wi = weight * row[i]
                rhs[i] += wi * targets[r]
                for j in i..<k { a[i * k + j] += wi * row[j] }
            }
        }
        for i in 0..<k { for j in 0..<i { a[i * k + j] = a[j * k + i] } }
        let total = a[k * k - 1]  // Σ weights: scales the ridge term like the data
        for j in 0..<dims { a[j * k + j] += l2 * total / Double(rows.count) }
        guard let solved = solve(a, rhs, k) else { break }
        // A ten-thousandth of a day; not after the least-squares start, which is not the median even when it is ≈ 0.
        let settled = iteration > 0 && zip(solved, beta).allSatisfy { abs($0 - $1) < 1e-4 }
        beta = solved
        if settled { break }
    }
    return (Array(beta[0..<dims]), beta[dims])
}

/// Solves the k×k system `a`·x = `b` (row-major) by Gaussian elimination with partial pivoting; `nil` when singular.
func solve(_ a: [Double], _ b: [Double], _ k: Int) -> [Double]? {
    var m = a, v = b
    for col in 0..<k {
        var pivot = col
        for r in (col + 1)..<max(col + 1, k) where abs(m[r * k + col]) > abs(m[pivot * k + col]) { pivot = r }
        guard abs(m[pivot * k + col]) > 1e-12 else { return nil }
        if pivot != col {
            for j in 0..<k { m.swapAt(col * k + j, pivot * k + j) }
            v.swapAt(col, pivot)
        }
        for r in (col + 1)..<max(col + 1, k) {
            let f = m[r * k + col] / m[col * k + col]
            if f == 0 { continue }
            for j in col..<k { m[r * k + j] -= f * m[col * k + j] }
            v[r] -= f * v[col]
        }
    }
    var x = Array(repeating: 0.0, count: k)
    for r in stride(from: k - 1, through: 0, by: -1) {
        var s = v[r]
        for j in (r + 1)..<max(r + 1, k) { s -= m[r * k + j] * x[j] }
        x[r] = s / m[r * k + r]
    }
    return x
}

/// The log loss of raw score `s` against label `t` (0 / 1), log(1 + eˢ) − t·s, written so a large |s| does not overflow.
@inline(__always) func logLoss(_ s: Double, _ t: Double) -> Double { max(s, 0) + log1p(exp(-abs(s))) - t * s }

@inline(__always) func sigmoid(_ s: Double) -> Double { s >= 0 ? 1 / (1 + exp(-s)) : exp(s) / (1 + exp(s)) }
