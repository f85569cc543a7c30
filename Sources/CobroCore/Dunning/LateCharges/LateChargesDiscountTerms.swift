import Foundation

/// Early-payment (cash) discount terms `d/D net N` (reference §4.2): a discount of `d` if paid within `D` days
/// of the issue date, otherwise the full amount is due `N` days after the issue date.
///
/// Contract:
/// - The discount window is **inclusive**: a payment dated on or before `issueDate + D` earns it (2/10 net 30
///   on an invoice dated 2024-06-01: pay 9,800 of 10,000 by 2024-06-11; otherwise 10,000 due 2024-07-01).
/// - Discount = `amount × d`, rounded half to even to the minor unit; the amount that settles is the rest.
/// - Partial payments in the window earn the discount pro rata (policy choice): a payment `P` settles
///   `P / (1 − d)` of the open amount, i.e. it earns `P × d / (1 − d)` (rounded half to even).
/// - `0 < d < 100%` with at most 4 decimals of percent, `0 <= D < N <= 3650`.
/// - JSON form: the canonical text, `"2/10 net 30"`.
public struct DiscountTerms: Hashable, Sendable, CustomStringConvertible {
    public let discount: Percentage
    public let discountDays: Int
    public let netDays: Int

    /// Terms, or `nil` unless `0 < discount < 100%` and `0 <= discountDays < netDays <= 3650`.
    public init?(discount: Percentage, discountDays: Int, netDays: Int) {
        guard DiscountTerms.problem(discount: discount, discountDays: discountDays, netDays: netDays) == nil else { return nil }
        self.discount = discount
        self.discountDays = discountDays
        self.netDays = netDays
    }

    /// Canonical text: `"2/10 net 30"`, `"1.5/15 net 45"`.
    public var description: String { "\(discount.percentText)/\(discountDays) net \(netDays)" }

    // MARK: Dates

    /// The last payment date that earns the discount: `issueDate + D`.
    public func lastDiscountDate(issueDate: LocalDate) -> LocalDate { issueDate.adding(days: discountDays) }

    /// The net due date: `issueDate + N`.
    public func netDueDate(issueDate: LocalDate) -> LocalDate { issueDate.adding(days: netDays) }

    /// Whether a payment dated `paymentDate` earns the discount (on or before ``lastDiscountDate(issueDate:)``).
    public func isDiscountAvailable(issueDate: LocalDate, paymentDate: LocalDate) -> Bool {
        paymentDate <= lastDiscountDate(issueDate: issueDate)
    }

    // MARK: Amounts

    /// The discount on `amount` for a payment dated `paymentDate` (zero outside the window or for a
    /// non-positive amount).
    public func discount(on amount: Money, issueDate: LocalDate, paymentDate: LocalDate) -> Money {
        guard amount.minor > 0, isDiscountAvailable(issueDate: issueDate, paymentDate: paymentDate) else { return .zero(amount.currency) }
        return Money(minor: discountMinor(amount.minor), amount.currency)
    }

    /// The payment that settles `amount` in full on `paymentDate` (`amount − discount`).
    public func amountToSettle(_ amount: Money, issueDate: LocalDate, paymentDate: LocalDate) -> Money {
        amount - discount(on: amount, issueDate: issueDate, paymentDate: paymentDate)
    }

    /// Applies a payment to an invoice's open amount under these terms.
    ///
    /// - In the window, a payment of at least the discounted open amount settles it all with the full
    ///   discount; a smaller one earns the pro-rata discount.
    /// - Outside the window nothing is discounted. A short payment that is at least the discounted amount is
    ///   reported as an **unearned discount** (the customer deducted a discount after the window); the
    ///   shortfall stays open.
    /// - A payment above what settles the invoice leaves the excess unapplied.
    public func apply(payment: Money, toOpen open: Money, issueDate: LocalDate, paymentDate: LocalDate) -> Result<DiscountedPayment, LateChargeError>
    {
        guard payment.currency == open.currency else {
            return .failure(.currencyMismatch(what: "payment", expected: open.currency, got: payment.currency))
        }
        let zero = Money.zero(open.currency)
        guard payment.minor > 0, open.minor > 0 else {
            return .success(
                DiscountedPayment(
                    discount: zero, settled: zero, remainingOpen: open, unapplied: payment.minor > 0 ? payment : zero, unearnedDiscount: zero))
        }
        let fullDiscount = discountMinor(open.minor)
        let discountedOpen = open.minor - fullDiscount
        if isDiscountAvailable(issueDate: issueDate, paymentDate: paymentDate) {
            if payment.minor >= discountedOpen {
                return .success(
                    DiscountedPayment(
                        discount: Money(minor: fullDiscount, open.currency), settled: open, remainingOpen: zero,
                        unapplied: Money(minor: payment.minor - discountedOpen, open.currency), unearnedDiscount: zero))
            }
            let ppm = Int128(discount.partsPerMillion)
            let earned = Int64(clamping: roundHalfEven(Int128(payment.minor) * ppm, 1_000_000 - ppm))
            let settled = min(open.minor, payment.minor + earned)
            return .success(
                DiscountedPayment(
                    discount: Money(minor: settled - payment.minor, open.currency), settled: Money(minor: settled, open.currency),
                    remainingOpen: Money(minor: open.minor - settled, open.currency), unapplied: zero, unearnedDiscount: zero))
        }
        let settled = min(payment.minor, open.minor)
        let unearned = (payment.minor < open.minor && payment.minor >= discountedOpen) ? open.minor - payment.minor : 0
        return .success(
            DiscountedPayment(
                discount: zero, settled: Money(minor: settled, open.currency), remainingOpen: Money(minor: open.minor - settled, open.currency),
                unapplied: Money(minor: payment.minor - settled, open.currency), unearnedDiscount: Money(minor: unearned, open.currency)))
    }

    // MARK: Cost of the discount

    /// Nominal (simple) annual cost of not taking the discount, `d/(1−d) × B/(N−D)`, rounded half to even
    /// to a part per million (2/10 net 30 on 365 days: 37.2449%).
    public func nominalAnnualCost(basis: DayCountBasis = .actual365) -> Percentage {
        let d = Int128(discount.partsPerMillion)
        let numerator = d * Int128(basis.rawValue) * 1_000_000
        let denominator = (1_000_000 - d) * Int128(netDays - discountDays)
        return Percentage(partsPerMillion: Int64(roundHalfEven(numerator, denominator)))
    }

    /// Effective (compounded) annual cost, `(1/(1−d))^(B/(N−D)) − 1`, as a fraction (0.4459 = 44.59%).
    /// An analytic figure only (it needs a fractional power, hence `Double`); never use it for an amount.
    public func effectiveAnnualCost(basis: DayCountBasis = .actual365) -> Double {
        let d = Double(discount.partsPerMillion) / 1_000_000
        return pow(1 / (1 - d), Double(basis.rawValue) / Double(netDays - discountDays)) - 1
    }

    func discountMinor(_ amount: Int64) -> Int64 {
        // amount × d with d < 1 never overflows Int64.
        Int64(roundHalfEven(Int128(amount) * Int128(discount.partsPerMillion), 1_000_000))
    }

    static func problem(discount: Percentage, discountDays: Int, netDays: Int) -> String? {
        if discount.partsPerMillion <= 0 || discount.partsPerMillion >= 1_000_000 {
            return "the discount must be more than 0% and less than 100%, got \(discount)"
        }
        if discountDays < 0 { return "the discount days must not be negative" }
        if netDays > 3650 { return "the net days must be at most 3650, got \(netDays)" }
        if discountDays >= netDays { return "the discount days (\(discountDays)) must be fewer than the net days (\(netDays))" }
        return nil
    }
}

/// What a payment did to an invoice under ``DiscountTerms``. All amounts are in the invoice currency;
/// `settled == payment − unapplied + discount` and `remainingOpen == open − settled`.
public struct DiscountedPayment: Hashable, Sendable {
    /// Discount earned (a credit that closes part of the invoice).
    public var discount: Money
    /// Part of the open amount closed by the payment plus the discount.
    public var settled: Money
    public var remainingOpen: Money
    /// Payment in excess of what settles the invoice.
    public var unapplied: Money
    /// Discount the customer deducted after the window (the shortfall, still open).
    public var unearnedDiscount: Money

    public init(discount: Money, settled: Money, remainingOpen: Money, unapplied: Money, unearnedDiscount: Money) {
        self.discount = discount
        self.settled = settled
        self.remainingOpen = remainingOpen
        self.unapplied = unapplied
        self.unearnedDiscount = unearnedDiscount
    }
}
