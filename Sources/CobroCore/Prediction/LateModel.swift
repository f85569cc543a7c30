import Foundation

/// A deterministic, L2-regularised logistic regression for "paid late", sharpened by boosted trees and calibrated
/// with Platt scaling, and median (quantile) regressions for days late — of any invoice, and of one paid late
/// (issue 6, point 2). Pure Swift, no runtime beyond the standard library and Foundation's math; the same data gives
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

    /// Training options.
    public struct Options: Sendable, Hashable {
        public var l2 = 1.0
        public var epochs = 300
        public var learningRate = 0.5
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
        return zip(daysWeights, z).reduce(daysBias) { $0 + $1.0 * $1.1 }
    }

    /// Expected days late of an invoice that is paid late: the median the late-only regression predicts (the
    /// all-invoices median when the model has none).
    public func expectedDaysLateIfLate(_ x: [Double]) -> Double {
        guard let w = lateDaysWeights, let b = lateDaysBias else { return expectedDaysLate(x) }
        return zip(w, standardise(x)).reduce(b) { $0 + $1.0 * $1.1 }
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
        // Full-batch gradient descent on the mean log loss + l2/2n ‖w‖²: deterministic, and convex so it converges.
        var w = Array(repeating: 0.0, count: dims), b = 0.0
        let flat = z.flatMap { $0 }  // row-major, so the loops below run over contiguous memory
        let m = Double(cut)
        var gw = Array(repeating: 0.0, count: dims)
        for _ in 0..<o.epochs {
            for j in 0..<dims { gw[j] = 0 }
            var gb = 0.0
            for r in 0..<cut {
                let base = r * dims
                var s = b
                for j in 0..<dims { s += w[j] * flat[base + j] }
                let err = sigmoid(s) - (late[r] ? 1 : 0)
                for j in 0..<dims { gw[j] += err * flat[base + j] }
                gb += err
            }
            for j in 0..<dims { w[j] -= o.learningRate * (gw[j] / m + o.l2 * w[j] / m) }
            b -= o.learningRate * gb / m
        }
        // Trees on the same rows, starting from the logistic score.
        let linear = z.map { zip(w, $0).reduce(b) { $0 + $1.0 * $1.1 } }
        let trees = BoostedTrees.train(x: Array(x[..<cut]), late: Array(late[..<cut]), base: Array(linear[..<cut]), options: o.trees)
        // Platt: a 1-D logistic regression of the held-out labels on the raw score.
        let scores = (cut..<z.count).map { linear[$0] + trees.score(x[$0]) }
        let labels = Array(late[cut...])
        var a = 1.0, c = 0.0
        for _ in 0..<500 {
            var ga = 0.0, gc = 0.0
            for (s, y) in zip(scores, labels) {
                let err = sigmoid(a * s + c) - (y ? 1 : 0)
                ga += err * s
                gc += err
            }
            a -= 0.5 * ga / Double(scores.count)
            c -= 0.5 * gc / Double(scores.count)
        }
        let all = medianRegression(flat, dims: dims, rows: Array(0..<z.count), targets: daysLate, l2: o.l2)
        let lateRows = (0..<z.count).filter { late[$0] && settled?[$0] ?? true }
        let ifLate = lateRows.count >= 20 ? medianRegression(flat, dims: dims, rows: lateRows, targets: daysLate, l2: o.l2) : nil
        return LateModel(
            means: means, scales: scales, weights: w, bias: b, plattA: a, plattB: c, daysWeights: all.weights, daysBias: all.bias, lateDays: lateDays,
            trees: trees, lateDaysWeights: ifLate?.weights, lateDaysBias: ifLate?.bias)
    }
}

/// Median (quantile 0.5) regression of `targets` on the standardised features of `rows` (`flat`: row-major, `dims`
/// per row). Days late are skewed (most invoices a few days either side, a long tail of very late ones), and the
/// median minimises the absolute error the evaluation reports, where a least-squares fit is pulled up by the tail.
/// Iteratively reweighted least squares: start from least squares, then weigh each row by 1 / |residual| (at least
/// 0.5 day) and solve again, 25 times — each a small (features + 1)² linear system, so it is exact and deterministic.
func medianRegression(_ flat: [Double], dims: Int, rows: [Int], targets: [Double], l2: Double) -> (weights: [Double], bias: Double) {
    let k = dims + 1  // the features and the intercept (last)
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
        beta = solved
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

@inline(__always) func sigmoid(_ s: Double) -> Double { s >= 0 ? 1 / (1 + exp(-s)) : exp(s) / (1 + exp(s)) }
