/// Simple late-payment interest with daily accrual (reference §4.1).
///
/// Contract:
/// - Interest accrues for each day **from the day after the due date up to and including the as-of (or
///   payment) date**, so a full payment on date P accrues `P − due` days
///   (`days_late = payment_date − due_date`). Nothing accrues when `asOf <= dueDate`.
/// - The annual rate on a day is the reference rate in force that day (the last ``ReferenceRate`` whose
///   `effectiveFrom` is on or before it) plus ``margin``; with no reference rates the margin is the whole
///   rate (a fixed contractual rate). A negative total rate accrues nothing.
/// - Simple interest, never compounded: each day adds `open × annualRate / basis`, where `basis` is 365 or
///   360 (``DayCountBasis``) whatever the length of the actual year.
/// - The open amount can change: a ``BalanceChange`` dated D sets the open amount **at the end of D**, so D
///   itself still accrues on the previous amount (consistent with a payment on D closing the accrual on D).
///   Changes dated on or before the due date set the starting amount. A non-positive open amount accrues nothing.
/// - The accrual is split into periods at every change of open amount or rate. Each period's interest is
///   `open × rate × days / (basis × 10^6)` rounded **half to even** to the minor unit; the total is the sum of
///   the rounded periods, so the printed lines of an interest note add up to its total.
public struct LateInterestRule: Hashable, Sendable, Codable {
    /// Added to the reference rate (e.g. 8 percentage points under Directive 2011/7/EU).
    public var margin: Percentage
    /// The reference-rate table, any order. Empty means a fixed rate equal to ``margin``.
    public var referenceRates: [ReferenceRate]
    public var dayCount: DayCountBasis

    enum CodingKeys: String, CodingKey {
        case margin
        case referenceRates = "reference_rates"
        case dayCount = "day_count"
    }

    public init(margin: Percentage, referenceRates: [ReferenceRate] = [], dayCount: DayCountBasis = .actual365) {
        self.margin = margin
        self.referenceRates = referenceRates
        self.dayCount = dayCount
    }

    /// A fixed contractual annual rate.
    public static func fixed(annualRate: Percentage, dayCount: DayCountBasis = .actual365) -> LateInterestRule {
        LateInterestRule(margin: annualRate, referenceRates: [], dayCount: dayCount)
    }

    /// Directive 2011/7/EU statutory interest: the reference rate (ECB main refinancing rate for the euro,
    /// fixed per half-year: enter the rate in force on 1 January and on 1 July as entries effective from those
    /// dates) plus 8 percentage points, actual/365.
    public static func euLatePaymentDirective(referenceRates: [ReferenceRate]) -> LateInterestRule {
        LateInterestRule(margin: .percent(8), referenceRates: referenceRates, dayCount: .actual365)
    }

    /// Germany, BGB §288(2), B2B: base rate + 9 percentage points, actual/365.
    public static func germanyB2B(referenceRates: [ReferenceRate]) -> LateInterestRule {
        LateInterestRule(margin: .percent(9), referenceRates: referenceRates, dayCount: .actual365)
    }

    /// France, C. com. L441-10 default: ECB rate + 10 percentage points, actual/365.
    public static func franceB2B(referenceRates: [ReferenceRate]) -> LateInterestRule {
        LateInterestRule(margin: .percent(10), referenceRates: referenceRates, dayCount: .actual365)
    }

    /// United Kingdom, Late Payment of Commercial Debts (Interest) Act 1998: Bank of England base rate + 8%,
    /// actual/365 (reference §4.1, [gk]).
    public static func unitedKingdom(referenceRates: [ReferenceRate]) -> LateInterestRule {
        LateInterestRule(margin: .percent(8), referenceRates: referenceRates, dayCount: .actual365)
    }

    /// The annual rate in force on `date`, or `nil` when there are reference rates but none yet on that date.
    public func annualRate(on date: LocalDate) -> Percentage? {
        if referenceRates.isEmpty { return margin }
        guard let r = referenceRates.filter({ $0.effectiveFrom <= date }).max(by: { $0.effectiveFrom < $1.effectiveFrom }) else {
            return nil
        }
        return r.rate + margin
    }

    /// Interest on `principal` (the amount open at the due date) for the days after `dueDate` through `asOf`.
    /// `balanceChanges` (any order; for one date the last one given wins) are the open amounts after
    /// payments, credits or debits, in `principal`'s minor units.
    public func interest(
        principal: Money, dueDate: LocalDate, asOf: LocalDate, balanceChanges: [BalanceChange] = []
    ) -> Result<LateInterestCalculation, LateChargeError> {
        let currency = principal.currency
        guard asOf > dueDate else { return .success(LateInterestCalculation(total: .zero(currency), periods: [])) }
        // The open amount accruing on each day: start with the amount at the end of the due date.
        let ordered = balanceChanges.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        var open = principal.minor
        var pending = ordered[...]
        while let c = pending.first, c.date <= dueDate {
            open = c.openMinor
            pending = pending.dropFirst()
        }
        let basis = Int128(dayCount.rawValue) * 1_000_000
        var periods: [InterestPeriod] = []
        var day = dueDate.adding(days: 1)
        while day <= asOf {
            guard let rate = annualRate(on: day) else { return .failure(.noReferenceRate(on: day)) }
            // The period runs while neither the open amount nor the rate changes.
            var last = asOf
            if let c = pending.first, c.date < last { last = c.date }  // the change takes effect the day after
            if let nextRate = nextRateChange(after: day), nextRate.adding(days: -1) < last { last = nextRate.adding(days: -1) }
            let days = last.days(since: day) + 1
            if open > 0 && rate.partsPerMillion > 0 {
                let numerator = Int128(open) * Int128(rate.partsPerMillion) * Int128(days)
                guard let minor = Int64(exactly: roundHalfEven(numerator, basis)) else { return .failure(.overflow) }
                periods.append(
                    InterestPeriod(from: day, through: last, days: days, openMinor: open, annualRate: rate, interest: Money(minor: minor, currency)))
            }
            day = last.adding(days: 1)
            while let c = pending.first, c.date < day {
                open = c.openMinor
                pending = pending.dropFirst()
            }
        }
        var total: Int64 = 0
        for p in periods {
            let (sum, overflow) = total.addingReportingOverflow(p.interest.minor)
            if overflow { return .failure(.overflow) }
            total = sum
        }
        return .success(LateInterestCalculation(total: Money(minor: total, currency), periods: periods))
    }

    /// The open amount at the end of `date`: the last change dated on or before it (for one date the last
    /// given), or `principal` when there is none.
    public static func openMinor(atEndOf date: LocalDate, principal: Money, balanceChanges: [BalanceChange]) -> Int64 {
        var open = principal.minor
        var latest: LocalDate?
        for c in balanceChanges where c.date <= date {
            if latest.map({ c.date >= $0 }) ?? true {
                open = c.openMinor
                latest = c.date
            }
        }
        return open
    }

    /// The first date after `date` on which a reference rate takes effect.
    func nextRateChange(after date: LocalDate) -> LocalDate? {
        referenceRates.map(\.effectiveFrom).filter { $0 > date }.min()
    }
}

/// A reference rate in force from `effectiveFrom` until the next entry's date.
public struct ReferenceRate: Hashable, Sendable, Codable {
    public var effectiveFrom: LocalDate
    public var rate: Percentage

    enum CodingKeys: String, CodingKey {
        case effectiveFrom = "effective_from"
        case rate
    }

    public init(effectiveFrom: LocalDate, rate: Percentage) {
        self.effectiveFrom = effectiveFrom
        self.rate = rate
    }
}

/// "At the end of `date` the open amount is `openMinor`" (minor units of the invoice currency).
public struct BalanceChange: Hashable, Sendable, Codable {
    public var date: LocalDate
    public var openMinor: Int64

    enum CodingKeys: String, CodingKey {
        case date
        case openMinor = "open_minor"
    }

    public init(date: LocalDate, openMinor: Int64) {
        self.date = date
        self.openMinor = openMinor
    }
}

/// One line of an interest calculation: `days` days from `from` through `through` (inclusive) on `openMinor`
/// at `annualRate`, giving `interest` (rounded half to even).
public struct InterestPeriod: Hashable, Sendable, Codable {
    public var from: LocalDate
    public var through: LocalDate
    public var days: Int
    public var openMinor: Int64
    public var annualRate: Percentage
    public var interest: Money

    public init(from: LocalDate, through: LocalDate, days: Int, openMinor: Int64, annualRate: Percentage, interest: Money) {
        self.from = from
        self.through = through
        self.days = days
        self.openMinor = openMinor
        self.annualRate = annualRate
        self.interest = interest
    }

    enum CodingKeys: String, CodingKey {
        case from, through, days, interest
        case openMinor = "open_minor"
        case annualRate = "annual_rate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decode(LocalDate.self, forKey: .from)
        through = try c.decode(LocalDate.self, forKey: .through)
        days = try c.decode(Int.self, forKey: .days)
        openMinor = try c.decode(Int64.self, forKey: .openMinor)
        annualRate = try c.decode(Percentage.self, forKey: .annualRate)
        interest = try c.decode(LateChargeAmountJSON.self, forKey: .interest).money
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(through, forKey: .through)
        try c.encode(days, forKey: .days)
        try c.encode(openMinor, forKey: .openMinor)
        try c.encode(annualRate, forKey: .annualRate)
        try c.encode(LateChargeAmountJSON(interest), forKey: .interest)
    }
}

/// The result of ``LateInterestRule/interest(principal:dueDate:asOf:balanceChanges:)``:
/// `total` is the sum of the periods' rounded interest.
public struct LateInterestCalculation: Hashable, Sendable {
    public var total: Money
    public var periods: [InterestPeriod]

    public init(total: Money, periods: [InterestPeriod]) {
        self.total = total
        self.periods = periods
    }

    /// Days that accrued interest (the sum of the periods' days).
    public var accruingDays: Int { periods.reduce(0) { $0 + $1.days } }
}

extension LateInterestCalculation: Codable {
    enum CodingKeys: String, CodingKey { case total, periods }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        total = try c.decode(LateChargeAmountJSON.self, forKey: .total).money
        periods = try c.decode([InterestPeriod].self, forKey: .periods)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(LateChargeAmountJSON(total), forKey: .total)
        try c.encode(periods, forKey: .periods)
    }
}

extension LateInterestRule {
    /// The daily interest on `principal` at the rate in force on `date`, in units of 10^−`extraDigits` of the
    /// minor unit, rounded half to even (for display: £5,000 at 12% is 16438 with `extraDigits` 2, i.e.
    /// 164.38 pence = £1.6438 a day). `nil` when no rate is in force or on overflow.
    public func dailyInterest(on principal: Money, date: LocalDate, extraDigits: Int) -> Int64? {
        guard let rate = annualRate(on: date), (0...9).contains(extraDigits) else { return nil }
        var scale: Int128 = 1
        for _ in 0..<extraDigits { scale *= 10 }
        let numerator = Int128(principal.minor) * Int128(rate.partsPerMillion) * scale
        return Int64(exactly: roundHalfEven(numerator, Int128(dayCount.rawValue) * 1_000_000))
    }
}
