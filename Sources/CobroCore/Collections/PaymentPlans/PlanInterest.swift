/// Interest on a payment plan (issue 4, point 5): simple interest at an annual rate, actual/365, on the principal
/// still outstanding between two due dates.
///
/// The installments a collector agrees are principal; the down payment is paid on the start date and bears none.
/// Installment *i* (due `dᵢ`, the previous due date `dᵢ₋₁`, the start date for the first) bears
/// `Pᵢ₋₁ × rate × (dᵢ − dᵢ₋₁) / 365`, where `Pᵢ₋₁` is the principal not yet scheduled before it, rounded half up to
/// the currency's minor unit per installment. The customer pays principal + interest on each due date, so the
/// plan's total is the open amount plus the interest, and the interest is booked as one debit note on the plan.
public enum PlanInterest {
    /// The largest rate a plan may carry: 100 % a year.
    public static let maxRate = Percentage.percent(100)

    /// Why a rate cannot be used, or `nil`.
    public static func problem(_ rate: Percentage) -> String? {
        guard rate > .zero, rate <= maxRate else {
            return "\(rate) is not a usable annual interest rate: give more than 0 and at most \(maxRate) (e.g. \"12\" for 12 % a year)"
        }
        return nil
    }

    /// The interest each installment of `plan` bears at `annualRate`, in installment order (a plan whose
    /// ``PaymentPlan/validate()`` passes; the rate per ``problem(_:)``).
    public static func perInstallment(_ plan: PaymentPlan, annualRate: Percentage) -> [Money] {
        var outstanding = Int128(plan.total.minor - (plan.downPayment?.minor ?? 0))
        var from = plan.startDate
        return plan.installments.map { i in
            let days = Int128(max(0, i.dueDate.days(since: from)))
            // P × ppm × days / (10⁶ × 365), half up (every factor is ≥ 0).
            let numerator = outstanding * Int128(annualRate.partsPerMillion) * days
            let denominator = Int128(1_000_000 * 365)
            let interest = (2 * numerator + denominator) / (2 * denominator)
            outstanding -= Int128(i.amount.minor)
            from = i.dueDate
            return Money(minor: Int64(clamping: interest), plan.currency)
        }
    }

    /// `plan` with each installment raised by its interest and the total by their sum.
    public static func applying(_ interest: [Money], to plan: PaymentPlan) -> PaymentPlan {
        var out = plan
        for (i, extra) in zip(out.installments.indices, interest) { out.installments[i].amount = out.installments[i].amount + extra }
        out.total = interest.reduce(plan.total, +)
        return out
    }

    /// The interest not earned when a plan ends early on `day` (defaulted or cancelled): that of the installments
    /// due after `day`. The whole balance is due at once then, and the late-payment rules of dunning take over.
    public static func unearned(_ interest: [Money], plan: PaymentPlan, endedOn day: LocalDate) -> Money {
        zip(plan.installments, interest).filter { $0.0.dueDate > day }.reduce(Money(minor: 0, plan.currency)) { $0 + $1.1 }
    }
}
