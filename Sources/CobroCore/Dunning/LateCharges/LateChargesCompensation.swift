/// A fixed sum for recovery costs owed per late invoice, possibly tiered by the size of the debt
/// (Directive 2011/7/EU Art. 6: €40 per invoice; UK: £40 / £70 / £100).
///
/// Contract:
/// - The amounts are defined in ``currency``. For an invoice in that currency the amount is the tier with
///   the largest `fromDebtMinor` not above the debt.
/// - For an invoice in any other currency nothing is converted: the caller passes the amount due in the
///   invoice's currency (`explicitAmount`, e.g. the national-currency equivalent fixed by a non-euro
///   member state's law), or gets ``LateChargeError/compensationNeedsExplicitAmount(invoiceCurrency:policyCurrency:)``.
/// - A debt of zero or less owes nothing.
public struct FixedCompensation: Hashable, Sendable, Codable {
    /// One tier: debts of at least `fromDebtMinor` owe `amountMinor` (both in ``FixedCompensation/currency``).
    public struct Tier: Hashable, Sendable, Codable {
        public var fromDebtMinor: Int64
        public var amountMinor: Int64

        enum CodingKeys: String, CodingKey {
            case fromDebtMinor = "from_debt_minor"
            case amountMinor = "amount_minor"
        }

        public init(fromDebtMinor: Int64, amountMinor: Int64) {
            self.fromDebtMinor = fromDebtMinor
            self.amountMinor = amountMinor
        }
    }

    public var currency: Currency
    /// Tiers, any order; the lowest should start at 0 or 1 minor unit.
    public var tiers: [Tier]

    public init(currency: Currency, tiers: [Tier]) {
        self.currency = currency
        self.tiers = tiers
    }

    /// A flat amount whatever the debt.
    public init(flat: Money) {
        self.init(currency: flat.currency, tiers: [Tier(fromDebtMinor: 0, amountMinor: flat.minor)])
    }

    // Constant ISO codes that Currency always knows (not an input path).
    private static let eur = Currency(code: "EUR")!
    private static let gbp = Currency(code: "GBP")!

    /// Directive 2011/7/EU Art. 6 (and DE BGB §288(5), FR L441-10): €40 per late invoice (CJEU C-585/20).
    public static let euDirective = FixedCompensation(flat: Money(minor: 40_00, eur))

    /// UK Late Payment Act: £40 below £1,000; £70 from £1,000 to £9,999.99; £100 from £10,000.
    public static let unitedKingdom = FixedCompensation(
        currency: gbp,
        tiers: [
            Tier(fromDebtMinor: 0, amountMinor: 40_00),
            Tier(fromDebtMinor: 1_000_00, amountMinor: 70_00),
            Tier(fromDebtMinor: 10_000_00, amountMinor: 100_00),
        ])

    /// The compensation owed for a late invoice whose unpaid debt is `debt`.
    public func amount(forDebt debt: Money, explicitAmount: Money? = nil) -> Result<Money, LateChargeError> {
        if debt.currency != currency {
            guard let explicit = explicitAmount else {
                return .failure(.compensationNeedsExplicitAmount(invoiceCurrency: debt.currency, policyCurrency: currency))
            }
            guard explicit.currency == debt.currency else {
                return .failure(.currencyMismatch(what: "explicit compensation amount", expected: debt.currency, got: explicit.currency))
            }
            return .success(debt.minor > 0 ? explicit : .zero(debt.currency))
        }
        if let explicit = explicitAmount, explicit.currency != currency {
            return .failure(.currencyMismatch(what: "explicit compensation amount", expected: currency, got: explicit.currency))
        }
        guard debt.minor > 0 else { return .success(.zero(currency)) }
        if let explicit = explicitAmount { return .success(explicit) }
        let tier = tiers.filter { $0.fromDebtMinor <= debt.minor }.max { $0.fromDebtMinor < $1.fromDebtMinor }
        let minor = tier?.amountMinor ?? 0
        guard minor >= 0 else { return .failure(.invalidRule("compensation tier amount \(Money(minor: minor, currency)) is negative")) }
        return .success(Money(minor: minor, currency))
    }
}
