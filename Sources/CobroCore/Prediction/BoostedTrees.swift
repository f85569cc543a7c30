import Foundation

/// Gradient-boosted regression trees for the log loss or the absolute error, fitted on top of a base score (issue 6,
/// point 2).
///
/// The payment model's logistic regression draws one straight line through the features; paying habits have
/// thresholds and interactions it cannot draw ("a customer who pays 2 days late on average is late half the time, one
/// who pays 8 days late always"). The trees model what the base score leaves unexplained, so the linear part still
/// explains the prediction in words and the trees only sharpen it. Pure Swift and deterministic: no sampling, ties
/// broken by feature then bin order, so the same data gives the same trees.
public struct BoostedTrees: Sendable, Hashable, Codable {
    /// A node of a tree: a split sends `x[feature] <= threshold` left, or a leaf (`feature < 0`) adds `value`.
    public struct Node: Sendable, Hashable, Codable {
        public var feature: Int
        public var threshold: Double
        public var left: Int
        public var right: Int
        public var value: Double
    }

    /// Each tree's nodes, the root first.
    public var trees: [[Node]]

    public struct Options: Sendable, Hashable {
        public var rounds = 120
        public var depth = 4
        public var learningRate = 0.1
        /// L2 penalty on leaf values (in the gradient statistics' units).
        public var lambda = 1.0
        /// A leaf needs at least this much hessian (≈ rows × p(1 − p)): no leaf is fitted to a handful of invoices.
        public var minHessian = 8.0
        /// Distinct thresholds tried per feature (quantiles of the training values).
        public var bins = 32
        /// Larger training sets are thinned to every k-th row (chronological order is kept): the trees refine a base
        /// score, and this bounds the training time on a million invoices.
        public var maxRows = 200_000
        /// With a holdout: rounds without a better holdout loss before training stops.
        public var patience = 15
        public init() {}
    }

    /// The trees' sum for one raw feature vector, added to the base score.
    public func score(_ x: [Double]) -> Double {
        var s = 0.0
        for tree in trees {
            var n = 0
            while tree[n].feature >= 0 { n = x[tree[n].feature] <= tree[n].threshold ? tree[n].left : tree[n].right }
            s += tree[n].value
        }
        return s
    }


    /// What the trees minimise.
    public enum Loss: Sendable, Hashable {
        /// Log loss of labels 0 / 1 on a raw (logit) score: Newton steps, leaves of −Σg / (Σh + λ).
        case logistic
        /// Absolute error of a number (days late): splits found on the sign of the error with unit hessians, each
        /// leaf the median of its rows' residuals — the median is what minimises the absolute error of those rows.
        case absolute
    }

    /// Rows the trees are not fitted on, to choose how many of them to keep.
    public struct Holdout: Sendable {
        public var x: [[Double]]
        public var targets: [Double]
        public var base: [Double]
        public init(x: [[Double]], targets: [Double], base: [Double]) {
            self.x = x
            self.targets = targets
            self.base = base
        }
    }

    /// Boosts from `base` (the base model's raw score of each row) towards labels `late`, on raw features `x`.
    public static func train(x: [[Double]], late: [Bool], base: [Double], holdout: Holdout? = nil, options o: Options = Options()) -> BoostedTrees {
        train(x: x, targets: late.map { $0 ? 1 : 0 }, base: base, loss: .logistic, holdout: holdout, options: o)
    }

    /// Boosts from `base` towards `targets` (labels 0 / 1 for ``Loss/logistic``) on raw features `x`. With a
    /// `holdout`, training stops once its loss has not improved for ``Options/patience`` rounds, and the trees up to
    /// its best round are kept: later trees would fit the training rows' noise.
    public static func train(
        x: [[Double]], targets: [Double], base: [Double], loss: Loss, holdout: Holdout? = nil, options o: Options = Options()
    ) -> BoostedTrees {
        guard let dims = x.first?.count, dims > 0 else { return BoostedTrees(trees: []) }
        let step = max(1, (x.count + o.maxRows - 1) / o.maxRows)
        let rows = Array(stride(from: 0, to: x.count, by: step))
        let n = rows.count
        // Bin bounds per feature: quantiles of the values, deduplicated; a value's bin is the first bound ≥ it.
        var bounds: [[Double]] = []
        for f in 0..<dims {
            let sorted = rows.map { x[$0][f] }.sorted()
            var b: [Double] = []
            for q in 1..<o.bins {
                let v = sorted[min(n - 1, q * n / o.bins)]
                if b.last.map({ v > $0 }) ?? true { b.append(v) }
            }
            if b.last == sorted.last { b.removeLast() }
            b.append(.infinity)
            bounds.append(b)
        }
        let width = bounds.map(\.count).max()!
        var binned = [UInt8](repeating: 0, count: n * dims)
        for (r, i) in rows.enumerated() {
            for f in 0..<dims {
                let v = x[i][f], b = bounds[f]
                var lo = 0, hi = b.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if b[mid] >= v { hi = mid } else { lo = mid + 1 }
                }
                binned[r * dims + f] = UInt8(lo)
            }
        }
        var f = rows.map { base[$0] }
        let y = rows.map { targets[$0] }
        var g = [Double](repeating: 0, count: n), h = [Double](repeating: 0, count: n)
        var hist = [Double](repeating: 0, count: dims * width * 2)
        var residuals: [Double] = []
        var trees: [[Node]] = []
        var held = holdout.map { $0.base } ?? []
        var bestLoss = holdout.map { lossOf(held, $0.targets, loss) } ?? 0, bestRounds = 0
        for round in 0..<o.rounds {
            for r in 0..<n {
                switch loss {
                case .logistic:
                    let p = sigmoid(f[r])
                    g[r] = p - y[r]
                    h[r] = max(p * (1 - p), 1e-6)
                case .absolute:
                    g[r] = f[r] > y[r] ? 1 : f[r] < y[r] ? -1 : 0
                    h[r] = 1
                }
            }
            var nodes: [Node] = []
            // (node index, its rows) still to split or turn into leaves, level by level.
            var level: [(node: Int, rows: [Int32])] = [(0, (0..<n).map { Int32($0) })]
            nodes.append(Node(feature: -1, threshold: 0, left: 0, right: 0, value: 0))
            for depth in 0...o.depth {
                var next: [(node: Int, rows: [Int32])] = []
                for (node, members) in level {
                    var gSum = 0.0, hSum = 0.0
                    for r in members { gSum += g[Int(r)]; hSum += h[Int(r)] }
                    /// Ends the branch: a leaf whose value moves its rows' scores.
                    func leaf() {
                        var value: Double
                        switch loss {
                        case .logistic: value = -gSum / (hSum + o.lambda)
                        case .absolute:
                            residuals.removeAll(keepingCapacity: true)
                            for r in members { residuals.append(y[Int(r)] - f[Int(r)]) }
                            value = median(&residuals)
                        }
                        value *= o.learningRate
                        nodes[node].value = value
                        for r in members { f[Int(r)] += value }
                    }
                    guard depth < o.depth, hSum >= 2 * o.minHessian else {
                        leaf()
                        continue
                    }
                    // Histogram of gradient statistics per (feature, bin).
                    hist.withUnsafeMutableBufferPointer { hp in
                        for k in hp.indices { hp[k] = 0 }
                        binned.withUnsafeBufferPointer { bp in
                            for r in members {
                                let row = Int(r), gr = g[row], hr = h[row], at = row * dims
                                for j in 0..<dims {
                                    let k = (j * width + Int(bp[at + j])) * 2
                                    hp[k] += gr
                                    hp[k + 1] += hr
                                }
                            }
                        }
                    }
                    let parentGain = gSum * gSum / (hSum + o.lambda)
                    var best: (gain: Double, feature: Int, bin: Int) = (1e-9, -1, 0)
                    for j in 0..<dims {
                        var gl = 0.0, hl = 0.0
                        for b in 0..<(bounds[j].count - 1) {
                            gl += hist[(j * width + b) * 2]
                            hl += hist[(j * width + b) * 2 + 1]
                            let gr = gSum - gl, hr = hSum - hl
                            guard hl >= o.minHessian, hr >= o.minHessian else { continue }
                            let gain = gl * gl / (hl + o.lambda) + gr * gr / (hr + o.lambda) - parentGain
                            if gain > best.gain { best = (gain, j, b) }
                        }
                    }
                    guard best.feature >= 0 else {
                        leaf()
                        continue
                    }
                    let left = nodes.count, right = nodes.count + 1
                    nodes.append(Node(feature: -1, threshold: 0, left: 0, right: 0, value: 0))
                    nodes.append(Node(feature: -1, threshold: 0, left: 0, right: 0, value: 0))
                    nodes[node] = Node(feature: best.feature, threshold: bounds[best.feature][best.bin], left: left, right: right, value: 0)
                    var l: [Int32] = [], rr: [Int32] = []
                    for r in members {
                        if Int(binned[Int(r) * dims + best.feature]) <= best.bin { l.append(r) } else { rr.append(r) }
                    }
                    next.append((left, l))
                    next.append((right, rr))
                }
                level = next
                if level.isEmpty { break }
            }
            trees.append(nodes)
            guard let holdout else { continue }
            let tree = BoostedTrees(trees: [nodes])
            for k in held.indices { held[k] += tree.score(holdout.x[k]) }
            let heldLoss = lossOf(held, holdout.targets, loss)
            if heldLoss < bestLoss {
                (bestLoss, bestRounds) = (heldLoss, round + 1)
            } else if round + 1 - bestRounds >= o.patience {
                break
            }
        }
        return BoostedTrees(trees: holdout == nil ? trees : Array(trees.prefix(bestRounds)))
    }

    /// Mean loss of scores `f` against `y`.
    static func lossOf(_ f: [Double], _ y: [Double], _ loss: Loss) -> Double {
        guard !f.isEmpty else { return 0 }
        var total = 0.0
        for (s, t) in zip(f, y) {
            switch loss {
            case .logistic: total += logLoss(s, t)
            case .absolute: total += abs(s - t)
            }
        }
        return total / Double(f.count)
    }
}

/// The median of `values` (reordered in place; the lower middle of an even count): quickselect with a
/// median-of-three pivot, linear on average and deterministic. 0 when empty.
func median(_ values: inout [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let k = (values.count - 1) / 2
    var lo = 0, hi = values.count - 1
    while lo < hi {
        let mid = lo + (hi - lo) / 2
        let pivot = Swift.max(Swift.min(values[lo], values[mid]), Swift.min(Swift.max(values[lo], values[mid]), values[hi]))
        var i = lo, j = hi
        while i <= j {
            while values[i] < pivot { i += 1 }
            while values[j] > pivot { j -= 1 }
            if i <= j {
                values.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if k <= j { hi = j } else if k >= i { lo = i } else { break }
    }
    return values[k]
}
