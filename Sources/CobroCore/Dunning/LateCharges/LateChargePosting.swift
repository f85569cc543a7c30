/// What a dunning run charges a customer on top of a message (issue 3, point 15), as lines of one debit note.
///
/// Contract:
/// - **Fee** (the step's ``DunningLateFee``): once per message; fixed (the amount listed for the message's currency,
///   none if not listed) or a percentage of the message's total (eligible amount), rounded half to even.
/// - **Interest** (the policy's ``LatePaymentPolicy``): per invoice of the message, the interest accrued from the day
///   after the due date through the run date on the invoice's open-amount history as known now, **minus the sum
///   earlier runs charged** (never below zero), so the charges over time add up to the interest of the whole period
///   even when a payment is recorded late with an earlier date. Debit notes (earlier charges among them) bear no
///   interest.
/// - **Compensation** (the policy's fixed amount, e.g. €40 under Directive 2011/7/EU): once per invoice, the first
///   time interest is charged on it late; an invoice in another currency than the compensation's gets none (nothing
///   is converted).
/// - Lines of zero are left out. Each line has a source key that is unique for what it charges
///   (`fee:<message>`, `interest:<invoice>:<through>`, `compensation:<invoice>`), so the store can refuse a second
///   posting of the same charge.
public enum LateChargePosting {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case fee, interest, compensation
    }

    public struct Line: Sendable, Hashable {
        public var kind: Kind
        /// The invoice charged for (`nil` for a fee, which is the message's).
        public var invoiceID: InvoiceID?
        public var invoiceRef: String?
        /// First and last day of interest charged by this line.
        public var from: LocalDate?
        public var through: LocalDate?
        public var amount: Money
        public var sourceKey: String
    }

    /// An invoice of the message and what was charged on it before.
    public struct Item: Sendable, Hashable {
        public var invoiceID: InvoiceID
        public var ref: String
        public var kind: DocumentKind
        /// The invoice's amount (the open amount at the due date unless `balanceChanges` say otherwise).
        public var amount: Money
        public var dueDate: LocalDate
        /// Open amount after each day it changed (payments, credits), for interest on what was really open.
        public var balanceChanges: [BalanceChange]
        /// The last day interest was charged through, if any.
        public var interestChargedThrough: LocalDate?
        /// The interest charged on the invoice so far (minor units of its currency).
        public var interestChargedMinor: Int64
        public var compensationCharged: Bool

        public init(
            invoiceID: InvoiceID, ref: String, kind: DocumentKind = .invoice, amount: Money, dueDate: LocalDate, balanceChanges: [BalanceChange] = [],
            interestChargedThrough: LocalDate? = nil, interestChargedMinor: Int64 = 0, compensationCharged: Bool = false
        ) {
            self.invoiceID = invoiceID
            self.ref = ref
            self.kind = kind
            self.amount = amount
            self.dueDate = dueDate
            self.balanceChanges = balanceChanges
            self.interestChargedThrough = interestChargedThrough
            self.interestChargedMinor = interestChargedMinor
            self.compensationCharged = compensationCharged
        }
    }

    /// The fee of a step for a message of `total`; `nil` when there is none.
    public static func fee(_ fee: DunningLateFee, total: Money, messageKey: String) -> Line? {
        let minor: Int64
        switch fee {
        case .fixed(let amounts):
            guard let a = amounts.first(where: { $0.currency == total.currency }) else { return nil }
            minor = a.amountMinor
        case .percent(let bp):
            guard total.minor > 0 else { return nil }
            minor = Int64(clamping: roundHalfEven(Int128(total.minor) * Int128(bp), 10_000))
        }
        guard minor > 0 else { return nil }
        return Line(kind: .fee, invoiceID: nil, invoiceRef: nil, from: nil, through: nil, amount: Money(minor: minor, total.currency), sourceKey: "fee:\(messageKey)")
    }

    /// Interest since the last charge and the one-time compensation for `item` as of `asOf`.
    public static func charges(_ policy: LatePaymentPolicy, item: Item, asOf: LocalDate) -> Result<[Line], LateChargeError> {
        guard item.kind == .invoice, asOf > item.dueDate else { return .success([]) }
        let start = max(item.dueDate, item.interestChargedThrough ?? item.dueDate)
        guard asOf > start else { return .success([]) }
        var lines: [Line] = []
        let now: LateInterestCalculation
        switch policy.interest.interest(principal: item.amount, dueDate: item.dueDate, asOf: asOf, balanceChanges: item.balanceChanges) {
        case .success(let c): now = c
        case .failure(let e): return .failure(e)
        }
        let delta = now.total.minor - item.interestChargedMinor
        if delta > 0 {
            lines.append(Line(
                kind: .interest, invoiceID: item.invoiceID, invoiceRef: item.ref, from: start.adding(days: 1), through: asOf,
                amount: Money(minor: delta, item.amount.currency), sourceKey: "interest:\(item.invoiceID.rawValue):\(asOf.iso)"))
        }
        if let compensation = policy.compensation, !item.compensationCharged, compensation.currency == item.amount.currency {
            let openAtDue = LateInterestRule.openMinor(atEndOf: item.dueDate, principal: item.amount, balanceChanges: item.balanceChanges)
            if openAtDue > 0, case .success(let m) = compensation.amount(forDebt: Money(minor: openAtDue, item.amount.currency)), m.minor > 0 {
                lines.append(Line(
                    kind: .compensation, invoiceID: item.invoiceID, invoiceRef: item.ref, from: nil, through: nil, amount: m,
                    sourceKey: "compensation:\(item.invoiceID.rawValue)"))
            }
        }
        return .success(lines)
    }

    /// One line per charge for the debit note's description, in English (the ledger's language; messages carry
    /// the customer's): `Late interest INV-7 2024-04-01–2024-06-30; Compensation INV-7; Late fee`.
    public static func description(_ lines: [Line]) -> String {
        lines.map { l in
            switch l.kind {
            case .fee: return "Late fee \(l.amount.decimalString)"
            case .interest: return "Late interest \(l.invoiceRef ?? "") \(l.from?.iso ?? "")–\(l.through?.iso ?? "") \(l.amount.decimalString)"
            case .compensation: return "Recovery compensation \(l.invoiceRef ?? "") \(l.amount.decimalString)"
            }
        }.joined(separator: "; ")
    }
}
