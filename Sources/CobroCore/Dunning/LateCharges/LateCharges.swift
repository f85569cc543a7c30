/// Late charges: statutory or contractual late-payment interest (``LateInterestRule``), fixed recovery
/// compensation (``FixedCompensation``), late fees per dunning step (``LateFee``), capped collection costs
/// (``CollectionCostCap``) and early-payment discounts (``DiscountTerms``).
///
/// House rules for every type here:
/// - Amounts are ``Money`` (integer minor units); rates are ``Percentage`` (integer parts per million).
///   No floating point touches an amount.
/// - Every rounding to the minor unit is **half to even** (banker's rounding), once per stated step.
/// - Amounts in different currencies are never combined or converted silently: a mismatch is an error, and
///   where another currency is legitimately involved the caller passes an explicit amount or ``ExchangeRate``.
public enum LateChargeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An amount is in `got` where `expected` was required (`what` names the amount).
    case currencyMismatch(what: String, expected: Currency, got: Currency)
    /// The rule has reference rates, but none is in force on `date` (the table starts later).
    case noReferenceRate(on: LocalDate)
    /// The fixed compensation is defined in `policyCurrency`; an invoice in `invoiceCurrency` needs an
    /// explicit amount in its own currency (never converted silently).
    case compensationNeedsExplicitAmount(invoiceCurrency: Currency, policyCurrency: Currency)
    /// A rule's parameters are inconsistent (`reason` says which).
    case invalidRule(String)
    /// A result does not fit in 64-bit minor units.
    case overflow

    public var description: String {
        switch self {
        case .currencyMismatch(let what, let expected, let got):
            return "\(what) is in \(got.code) but must be in \(expected.code); amounts are never converted implicitly"
        case .noReferenceRate(let date):
            return "no reference rate in force on \(date.iso); add the rate for that period to the rate table"
        case .compensationNeedsExplicitAmount(let invoice, let policy):
            return "the fixed compensation is defined in \(policy.code); for a \(invoice.code) invoice pass the amount in \(invoice.code) explicitly"
        case .invalidRule(let reason):
            return "invalid late-charge rule: \(reason)"
        case .overflow:
            return "late charge does not fit in 64-bit minor units"
        }
    }
}

/// JSON shape of an amount inside late-charge rules, the same as ``DunningLateFee``'s amounts:
/// `{"currency": "EUR", "amount_minor": 4000}` (integer minor units, never a floating-point number).
struct LateChargeAmountJSON: Codable, Hashable {
    var currency: Currency
    var amountMinor: Int64

    enum CodingKeys: String, CodingKey {
        case currency
        case amountMinor = "amount_minor"
    }

    init(_ money: Money) {
        currency = money.currency
        amountMinor = money.minor
    }

    var money: Money { Money(minor: amountMinor, currency) }
}
