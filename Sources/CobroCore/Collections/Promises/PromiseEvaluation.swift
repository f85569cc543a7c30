/// Judges promises to pay against the payments that arrived (reference §2.7).
///
/// Contract:
/// - A payment counts when it is dated from the day the promise was made through promise date + tolerance,
///   inclusive (a payment made before the promise date counts).
/// - On `evalDate ≤ promise date + tolerance` the promise is `open`; from the day after it is judged:
///   `kept` when what was paid in the window ≥ the promised amount, `partiallyKept` when it is more than 0 but less,
///   `broken` when it is 0. So with a tolerance of 1 day, a promise for 06-24 is still open on 06-25 and broken on
///   06-26 if nothing came.
/// - `countLatePayments` (off by default) judges a promise whose payment came after the window but on or before
///   `evalDate` as `kept` instead of by the window alone ("kept late"); the window amount is still reported.
public enum PromiseEvaluation {
    public struct Payment: Sendable, Hashable {
        public var day: LocalDate
        public var amountMinor: Int64
        public init(day: LocalDate, amountMinor: Int64) {
            self.day = day
            self.amountMinor = amountMinor
        }
    }

    public struct Result: Sendable, Hashable {
        public var status: PromiseStatus
        /// Paid within the window (not capped at the promised amount).
        public var paidInWindowMinor: Int64

        public init(status: PromiseStatus, paidInWindowMinor: Int64) {
            self.status = status
            self.paidInWindowMinor = paidInWindowMinor
        }
    }

    /// `payments` are those applied to the promise's invoices (or, on account, all the customer's), any order.
    public static func evaluate(_ p: PromiseToPay, payments: [Payment], evalDate: LocalDate, countLatePayments: Bool = false) -> Result {
        let inWindow = payments.filter { $0.day >= p.madeOn && $0.day <= p.windowEnd }.reduce(Int64(0)) { $0 + $1.amountMinor }
        guard evalDate > p.windowEnd else { return Result(status: .open, paidInWindowMinor: inWindow) }
        if inWindow >= p.amount.minor { return Result(status: .kept, paidInWindowMinor: inWindow) }
        if countLatePayments {
            let byEval = payments.filter { $0.day >= p.madeOn && $0.day <= evalDate }.reduce(Int64(0)) { $0 + $1.amountMinor }
            if byEval >= p.amount.minor { return Result(status: .kept, paidInWindowMinor: inWindow) }
        }
        return Result(status: inWindow > 0 ? .partiallyKept : .broken, paidInWindowMinor: inWindow)
    }

    /// Kept rates over resolved promises (open and cancelled ones left out), in basis points rounded half up;
    /// `nil` when none is resolved (or nothing was promised).
    public struct KeptRates: Sendable, Hashable {
        /// #kept / #resolved.
        public var byCount: Int?
        /// Σ min(paid in window, promised) / Σ promised.
        public var byAmount: Int?
        /// Σ promised of kept promises / Σ promised ("strict": only fully kept promises count).
        public var strictByAmount: Int?
        /// (#kept + Σ partially kept paid/promised) / #resolved.
        public var partialAsFraction: Int?
        public var resolved: Int
    }

    public static func keptRates(_ results: [(promisedMinor: Int64, result: Result)]) -> KeptRates {
        let resolved = results.filter { $0.result.status.isResolved }
        guard !resolved.isEmpty else { return KeptRates(byCount: nil, byAmount: nil, strictByAmount: nil, partialAsFraction: nil, resolved: 0) }
        let promised = resolved.reduce(Int128(0)) { $0 + Int128($1.promisedMinor) }
        let kept = resolved.filter { $0.result.status == .kept }
        let capped = resolved.reduce(Int128(0)) { $0 + Int128(min(max($1.result.paidInWindowMinor, 0), $1.promisedMinor)) }
        let strict = kept.reduce(Int128(0)) { $0 + Int128($1.promisedMinor) }
        // Σ fractions / n = Σ (paid_i / promised_i) / n, in basis points: each fraction in fixed point with 18
        // decimals (truncated; the error is far below half a basis point), one rounding at the end.
        let scale = Int128(1_000_000_000_000_000_000)
        var num = Int128(0)
        for r in resolved where r.promisedMinor > 0 {
            let paid = Int128(min(max(r.result.paidInWindowMinor, 0), r.promisedMinor))
            num += paid * scale / Int128(r.promisedMinor)
        }
        let den = scale
        return KeptRates(
            byCount: halfUp(Int128(kept.count) * 10_000, Int128(resolved.count)),
            byAmount: promised > 0 ? halfUp(capped * 10_000, promised) : nil,
            strictByAmount: promised > 0 ? halfUp(strict * 10_000, promised) : nil,
            partialAsFraction: halfUp(num * 10_000, den * Int128(resolved.count)),
            resolved: resolved.count)
    }

    static func halfUp(_ n: Int128, _ d: Int128) -> Int { Int((2 * n + d) / (2 * d)) }
}
