/// The US Regulation F validation period (12 CFR 1006.34(b)(5); reference §3.1 test case 4).
///
/// Contract:
/// - The consumer is assumed to receive the validation information `receiptBusinessDays` (5) days after it is
///   provided, counting only days that are not Saturdays, Sundays or legal public holidays (`holidays`,
///   passed in as data). The day it is provided is day 0.
/// - The period ends `periodDays` (30) calendar days after that assumed receipt.
/// - With ``BusinessDayPolicy/extendToNextBusinessDay`` an end that falls on a Saturday, Sunday or holiday
///   moves to the next business day (a common collector policy; not required by the rule).
public struct ValidationPeriod: Hashable, Sendable, Codable {
    public enum BusinessDayPolicy: String, Hashable, Sendable, Codable {
        /// The end date is exactly `periodDays` after receipt, whatever day it is.
        case exact
        /// An end on a weekend or holiday moves to the next business day.
        case extendToNextBusinessDay = "extend_to_next_business_day"
    }

    public var receiptBusinessDays: Int
    public var periodDays: Int
    public var endPolicy: BusinessDayPolicy

    enum CodingKeys: String, CodingKey {
        case receiptBusinessDays = "receipt_business_days"
        case periodDays = "period_days"
        case endPolicy = "end_policy"
    }

    public init(receiptBusinessDays: Int = 5, periodDays: Int = 30, endPolicy: BusinessDayPolicy = .exact) {
        self.receiptBusinessDays = max(0, receiptBusinessDays)
        self.periodDays = max(0, periodDays)
        self.endPolicy = endPolicy
    }

    /// Regulation F defaults: receipt 5 business days after providing, period 30 days, no extension.
    public static let regulationF = ValidationPeriod()

    /// Whether `date` is a business day: Monday–Friday and not in `holidays`.
    public static func isBusinessDay(_ date: LocalDate, holidays: Set<LocalDate>) -> Bool {
        date.isoWeekday <= 5 && !holidays.contains(date)
    }

    /// The assumed receipt date for information provided on `providedOn`.
    public func assumedReceipt(providedOn: LocalDate, holidays: Set<LocalDate>) -> LocalDate {
        var d = providedOn
        var counted = 0
        while counted < receiptBusinessDays {
            d = d.adding(days: 1)
            if ValidationPeriod.isBusinessDay(d, holidays: holidays) { counted += 1 }
        }
        return d
    }

    /// The last day of the validation period for information provided on `providedOn`.
    public func endDate(providedOn: LocalDate, holidays: Set<LocalDate>) -> LocalDate {
        var end = assumedReceipt(providedOn: providedOn, holidays: holidays).adding(days: periodDays)
        if endPolicy == .extendToNextBusinessDay {
            while !ValidationPeriod.isBusinessDay(end, holidays: holidays) { end = end.adding(days: 1) }
        }
        return end
    }
}
