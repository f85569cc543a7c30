import Foundation

/// A deterministic, L2-regularised logistic regression for "paid late", with Platt calibration, and a median
/// (quantile) regression for days late (issue 6, point 2). Pure Swift, no runtime beyond the standard library and Foundation's
/// math; the same data and seed give the same model.
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

    /// Training options.
    public struct Options: Sendable, Hashable {
        public var l2 = 1.0
        public var epochs = 300
        public var learningRate = 0.5
        /// Share of the training set (the most recent part, chronologically) held out to fit the calibration.
        public var calibrationShare = 0.2
        public init() {}
    }

    /// The probability `x` (raw features) is paid more than ``lateDays`` days late.
    public func probability(_ x: [Double]) -> Double {
        let s = score(standardise(x))
        return sigmoid(plattA * s + plattB)
    }

    /// Expected days late: the median the model predicts.
    public func expectedDaysLate(_ x: [Double]) -> Double {
        let z = standardise(x)
        return zip(daysWeights, z).reduce(daysBias) { $0 + $1.0 * $1.1 }
    }

    public func standardise(_ x: [Double]) -> [Double] { zip(x, zip(means, scales)).map { ($0 - $1.0) / $1.1 } }
    func score(_ z: [Double]) -> Double { zip(weights, z).reduce(bias) { $0 + $1.0 * $1.1 } }

    /// Trains on `x` (raw feature vectors) with labels `late` and targets `daysLate`, rows in chronological order.
    public static func train(x: [[Double]], late: [Bool], daysLate: [Double], lateDays: Int, options o: Options = Options()) -> LateModel? {
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
        // Platt: a 1-D logistic regression of the held-out labels on the raw score.
        let scores = z[cut...].map { zip(w, $0).reduce(b) { $0 + $1.0 * $1.1 } }
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
        // Median (quantile 0.5) regression for days late: days late are skewed (most invoices a few days either side,
        // a long tail of very late ones), and the median minimises the absolute error the evaluation reports, where a
        // least-squares fit is pulled up by the tail. Iteratively reweighted least squares: start from least squares,
        // then weigh each row by 1 / |residual| (at least 0.5 day) and solve again, 25 times — each a small
        // (features + 1)² linear system, so it is exact and deterministic.
        let rows = z.count
        let k = dims + 1  // the features and the intercept (last)
        var beta = Array(repeating: 0.0, count: k)
        for iteration in 0..<25 {
            var a = Array(repeating: 0.0, count: k * k), rhs = Array(repeating: 0.0, count: k)
            var row = Array(repeating: 1.0, count: k)
            for r in 0..<rows {
                let base = r * dims
                for j in 0..<dims { row[j] = flat[base + j] }
                var weight = 1.0
                if iteration > 0 {
                    var fit = 0.0
                    for j in 0..<k { fit += beta[j] * row[j] }
                    weight = 1 / max(abs(daysLate[r] - fit), 0.5)
                }
                for i in 0..<k {
                    let wi = weight * row[i]
                    rhs[i] += wi * daysLate[r]
                    for j in i..<k { a[i * k + j] += wi * row[j] }
                }
            }
            for i in 0..<k { for j in 0..<i { a[i * k + j] = a[j * k + i] } }
            let total = a[k * k - 1]  // Σ weights: scales the ridge term like the data
            for j in 0..<dims { a[j * k + j] += o.l2 * total / n }
            guard let solved = solve(a, rhs, k) else { break }
            beta = solved
        }
        let dw = Array(beta[0..<dims]), db = beta[dims]
        return LateModel(means: means, scales: scales, weights: w, bias: b, plattA: a, plattB: c, daysWeights: dw, daysBias: db, lateDays: lateDays)
    }
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
