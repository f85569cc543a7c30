/// A statutory late-payment policy: interest plus an optional fixed compensation per late invoice
/// (Directive 2011/7/EU and national variants, reference §4.1). Stored as JSON per tenant.
///
/// Contract (``claim(principal:dueDate:asOf:balanceChanges:explicitCompensation:)``):
/// - Interest per ``LateInterestRule``.
/// - Compensation per ``FixedCompensation``, owed once per invoice when it is paid late, i.e. when
///   `asOf > dueDate` and the amount open at the end of the due date (`principal` after the balance changes
///   dated up to then) is positive; its tier is chosen from that amount. For an invoice in another currency than the compensation's, the caller passes the amount
///   in the invoice currency (`explicitCompensation`); nothing is converted.
/// - `total = interest + compensation`, all in the invoice currency.
public struct LatePaymentPolicy: Hashable, Sendable, Codable {
    public var interest: LateInterestRule
    public var compensation: FixedCompensation?

    public init(interest: LateInterestRule, compensation: FixedCompensation? = nil) {
        self.interest = interest
        self.compensation = compensation
    }

    /// Directive 2011/7/EU: reference rate + 8 pp, actual/365, €40 per late invoice.
    public static func euDirective(referenceRates: [ReferenceRate]) -> LatePaymentPolicy {
        LatePaymentPolicy(interest: .euLatePaymentDirective(referenceRates: referenceRates), compensation: .euDirective)
    }

    /// Germany (BGB §288(2) and (5)), B2B: base rate + 9 pp, €40.
    public static func germanyB2B(referenceRates: [ReferenceRate]) -> LatePaymentPolicy {
        LatePaymentPolicy(interest: .germanyB2B(referenceRates: referenceRates), compensation: .euDirective)
    }

    /// France (C. com. L441-10): ECB rate + 10 pp, €40.
    public static func franceB2B(referenceRates: [ReferenceRate]) -> LatePaymentPolicy {
        LatePaymentPolicy(interest: .franceB2B(referenceRates: referenceRates), compensation: .euDirective)
    }

    /// United Kingdom Late Payment Act: base rate + 8%, £40 / £70 / £100 by debt size.
    public static func unitedKingdom(referenceRates: [ReferenceRate]) -> LatePaymentPolicy {
        LatePaymentPolicy(interest: .unitedKingdom(referenceRates: referenceRates), compensation: .unitedKingdom)
    }

    /// The late-payment claim for one invoice as of `asOf` (or its payment date).
    public func claim(
        principal: Money, dueDate: LocalDate, asOf: LocalDate, balanceChanges: [BalanceChange] = [],
        explicitCompensation: Money? = nil
    ) -> Result<LatePaymentClaim, LateChargeError> {
        let accrued: LateInterestCalculation
        switch interest.interest(principal: principal, dueDate: dueDate, asOf: asOf, balanceChanges: balanceChanges) {
        case .success(let c): accrued = c
        case .failure(let e): return .failure(e)
        }
        var fixed = Money.zero(principal.currency)
        let openAtDue = LateInterestRule.openMinor(atEndOf: dueDate, principal: principal, balanceChanges: balanceChanges)
        if let compensation, asOf > dueDate, openAtDue > 0 {
            switch compensation.amount(forDebt: Money(minor: openAtDue, principal.currency), explicitAmount: explicitCompensation) {
            case .success(let m): fixed = m
            case .failure(let e): return .failure(e)
            }
        }
        let (sum, overflow) = accrued.total.minor.addingReportingOverflow(fixed.minor)
        if overflow { return .failure(.overflow) }
        return .success(LatePaymentClaim(interest: accrued, compensation: fixed, total: Money(minor: sum, principal.currency)))
    }
}

/// Interest, fixed compensation and their sum for one late invoice (all in the invoice currency).
public struct LatePaymentClaim: Hashable, Sendable {
    public var interest: LateInterestCalculation
    public var compensation: Money
    public var total: Money

    public init(interest: LateInterestCalculation, compensation: Money, total: Money) {
        self.interest = interest
        self.compensation = compensation
        self.total = total
    }
}
