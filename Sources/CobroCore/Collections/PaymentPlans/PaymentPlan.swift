/// A payment plan (installment arrangement): a debt of ``total`` settled by an optional ``downPayment`` due on
/// ``startDate`` and a schedule of ``installments``, all in one ``currency`` (reference §2.8).
///
/// A plan is a value: nothing checks it on construction. Call ``validate()`` before storing or evaluating one;
/// ``PaymentPlanEvaluation/evaluate(_:payments:on:)`` refuses a plan that has issues.
///
/// The rules a valid plan follows (see ``validate()``):
/// - every amount is in ``currency`` and greater than zero;
/// - there is at least one installment; due dates increase strictly and the first is not before ``startDate``;
/// - ``downPayment`` (0 when absent) plus the sum of the installments equals ``total`` exactly, to the minor unit;
/// - ``graceDays`` is in ``graceDaysRange`` and ``missesToDefault`` in ``missesToDefaultRange``.
public struct PaymentPlan: Sendable, Hashable {
    /// One scheduled payment: `amount` is due on `dueDate`.
    public struct Installment: Sendable, Hashable {
        public var dueDate: LocalDate
        public var amount: Money

        public init(dueDate: LocalDate, amount: Money) {
            self.dueDate = dueDate
            self.amount = amount
        }
    }

    /// Allowed values of ``graceDays``.
    public static let graceDaysRange: ClosedRange<Int> = 0...90
    /// Allowed values of ``missesToDefault``.
    public static let missesToDefaultRange: ClosedRange<Int> = 1...12

    /// The currency of every amount of the plan (and of the payments evaluated against it).
    public var currency: Currency
    /// What the plan settles: ``downPayment`` plus all ``installments``.
    public var total: Money
    /// Paid up front, due on ``startDate``; `nil` for a plan without one.
    public var downPayment: Money?
    /// The schedule, in strictly increasing due-date order.
    public var installments: [Installment]
    /// Calendar days after a due date during which a payment still counts as on time: an amount due on `d` is
    /// kept when fully paid on or before `d + graceDays` (inclusive).
    public var graceDays: Int
    /// *k*: the number of consecutive missed scheduled payments (in due order) that defaults (breaks) the plan.
    public var missesToDefault: Int
    /// The day the plan starts; the down payment is due on this day.
    public var startDate: LocalDate

    public init(
        currency: Currency, total: Money, downPayment: Money? = nil, installments: [Installment], graceDays: Int,
        missesToDefault: Int, startDate: LocalDate
    ) {
        self.currency = currency
        self.total = total
        self.downPayment = downPayment
        self.installments = installments
        self.graceDays = graceDays
        self.missesToDefault = missesToDefault
        self.startDate = startDate
    }
}
