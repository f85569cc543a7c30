/// A payment received towards a ``PaymentPlan``: `amount` (greater than zero, in the plan's currency) received on
/// `day`. Payments are passed to ``PaymentPlanEvaluation/evaluate(_:payments:on:)`` in any order.
public struct PlanPayment: Sendable, Hashable {
    public var day: LocalDate
    public var amount: Money

    public init(day: LocalDate, amount: Money) {
        self.day = day
        self.amount = amount
    }
}
