import Foundation

/// A deterministic, L2-regularised logistic regression for "paid late", with Platt calibration, and a ridge
/// regression for days late (issue 6, point 2). Pure Swift, no runtime beyond the standard library and Foundation's
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
    /// Ridge regression of days late on the same standardised features.
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

    /// Expected days late.
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
        // Ridge regression for days late by gradient descent on the same standardised features.
        var dw = Array(repeating: 0.0, count: dims), db = daysLate.reduce(0, +) / n
        let rows = z.count
        for _ in 0..<o.epochs {
            for j in 0..<dims { gw[j] = 0 }
            var gb = 0.0
            for r in 0..<rows {
                let base = r * dims
                var s = db
                for j in 0..<dims { s += dw[j] * flat[base + j] }
                let err = s - daysLate[r]
                for j in 0..<dims { gw[j] += err * flat[base + j] }
                gb += err
            }
            for j in 0..<dims { dw[j] -= 0.1 * (gw[j] / n + o.l2 * dw[j] / n) }
            db -= 0.1 * gb / n
        }
        return LateModel(means: means, scales: scales, weights: w, bias: b, plattA: a, plattB: c, daysWeights: dw, daysBias: db, lateDays: lateDays)
    }
}

@inline(__always) func sigmoid(_ s: Double) -> Double { s >= 0 ? 1 / (1 + exp(-s)) : exp(s) / (1 + exp(s)) }
