/// A loss rate as an exact fraction, so that an allowance computed from a derived rate (2,000 / 23,000) is not
/// distorted by rounding the rate first (reference §2.12, M2).
public struct LossRate: Sendable, Hashable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    /// `numerator / denominator`, with 0 ≤ numerator ≤ denominator and denominator > 0 (else `nil`).
    public init?(_ numerator: Int64, over denominator: Int64) {
        guard denominator > 0, numerator >= 0, numerator <= denominator else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// A given percentage (0…100 %).
    public init?(_ p: Percentage) { self.init(p.partsPerMillion, over: 1_000_000) }

    /// The rate in parts per million, half up.
    public var partsPerMillion: Int64 { Int64((Int128(numerator) * 2_000_000 + Int128(denominator)) / (Int128(denominator) * 2)) }

    /// Percent with 4 decimals, e.g. `8.6957%`.
    public var description: String { Percentage(partsPerMillion: partsPerMillion).description }
}

/// Bad-debt allowance by aging bucket: IFRS 9 simplified approach / CECL provision matrix (reference §2.12).
public enum ProvisionMatrix {
    public struct Line: Sendable, Hashable {
        public var bucket: Int
        public var balance: Money
        public var rate: LossRate
        /// balance × rate, half up to the minor unit.
        public var allowance: Money
    }

    /// `Allowance = Σ balance × loss rate`, one line per bucket (`balances` and `rates` in bucket order, same count).
    /// Each line is rounded half up; the total is the sum of the lines, so the report adds up.
    public static func lines(balances: [Money], rates: [LossRate]) -> [Line] {
        zip(balances, rates).enumerated().map { i, pair in
            let (balance, rate) = pair
            let n = Int128(balance.minor) * Int128(rate.numerator)
            let allowance = (2 * n + Int128(rate.denominator)) / (2 * Int128(rate.denominator))
            return Line(bucket: i, balance: balance, rate: rate, allowance: Money(minor: Int64(allowance), balance.currency))
        }
    }

    /// Loss rates from a matured sales cohort (the payment-cohort method): the cohort's `sales`, what was paid while
    /// in each bucket (`paidInBucket[k]`: bucket 0 = on time, then each overdue bucket, the last one included), and
    /// what was never collected. The rate of bucket k is `neverPaid / reached(k)`, where `reached(k)` is what was
    /// still unpaid on entering bucket k; a bucket the cohort never reached gets `nil`.
    public static func cohortRates(sales: Int64, paidInBucket: [Int64], neverPaid: Int64) -> [LossRate?] {
        var reached = sales
        return paidInBucket.map { paid in
            defer { reached -= paid }
            return reached > 0 ? LossRate(min(neverPaid, reached), over: reached) : nil
        }
    }
}

extension LossRate {
    /// Parses comma-separated percentages, one per bucket (`"0.3,1.6,3.6,6.6,10.6"`), each 0…100 %; the error names
    /// the position and what is valid.
    public static func parseList(_ text: String) -> Result<[LossRate], Invalid> {
        var out: [LossRate] = []
        for (i, part) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            guard case .success(let p) = Percentage.parse(part), let rate = LossRate(p) else {
                return .failure(Invalid("rate \(i + 1) \"\(part.trimmingSpaces)\" is not a percentage from 0 to 100 (e.g. 0.3,1.6,3.6,6.6,10.6)"))
            }
            out.append(rate)
        }
        return .success(out)
    }
}
