import Foundation

/// Contact-window presets (reference `domain-kpis-compliance.md` §3.1 and §3.3, "suggested machine-readable
/// contact-window defaults"). All ranges are half-open (the end time is not allowed), which is also the
/// stricter reading of "until 19:00" and of "after 9:00 p.m.". Presets carry no holidays: pass the
/// jurisdiction's holiday dates with ``ContactWindow/addingHolidays(_:)`` (on a holiday nothing is allowed).
///
/// A country preset is the **legal** window. Combine it with the company's business hours with
/// ``ContactWindow/intersection(_:)`` (e.g. `ContactWindow.mexico.intersection(.cobroDefault)`).
extension ContactWindow {
    /// Cobro's default: Mon–Fri 08:00–19:00, Sat 08:00–15:00, nothing on Sundays (or holidays passed in).
    public static let cobroDefault = ContactWindow(weekly: [
        .monday: [.hours(8, 19)], .tuesday: [.hours(8, 19)], .wednesday: [.hours(8, 19)],
        .thursday: [.hours(8, 19)], .friday: [.hours(8, 19)], .saturday: [.hours(8, 15)],
    ])

    /// Colombia, Ley 2300 de 2023 Art. 3: Mon–Fri 07:00–19:00, Sat 08:00–15:00, no contact on Sundays or
    /// public holidays (pass them as holidays).
    public static let colombia = ContactWindow(weekly: [
        .monday: [.hours(7, 19)], .tuesday: [.hours(7, 19)], .wednesday: [.hours(7, 19)],
        .thursday: [.hours(7, 19)], .friday: [.hours(7, 19)], .saturday: [.hours(8, 15)],
    ])

    /// Mexico, CONDUSEF collection-agency rules: 07:00–22:00 in the debtor's time zone.
    /// The sources are silent on weekends and holidays (reference §6 open question); this preset follows the
    /// reference table and applies the hours every day. No stricter day restriction has a source, so none is
    /// invented; pass holidays or intersect with business hours to restrict further.
    public static let mexico = ContactWindow(days: Weekday.allCases, ranges: [.hours(7, 22)])

    /// Peru, Ley 29571 Art. 62: no calls or visits between 20:00 and 07:00, nor on Saturdays, Sundays or
    /// holidays, leaving Mon–Fri 07:00–20:00. "Between 20:00 and 07:00" is read strictly at the evening end
    /// (20:00:00 itself is blocked); 07:00 opens the window, as in the reference table.
    public static let peru = ContactWindow(days: Weekday.workdays, ranges: [.hours(7, 20)])

    /// Chile, Ley 19.496 Art. 37 (Ley 21.320): Mon–Sat 08:00–20:00, not on Sundays or holidays.
    public static let chile = ContactWindow(
        days: Weekday.workdays + [.saturday], ranges: [.hours(8, 20)])

    /// United States, Regulation F §1006.6(b)(1)(i): before 08:00 and after 21:00 at the consumer's location
    /// is inconvenient, every day. 21:00:00 itself is treated as blocked (stricter than "after 9 p.m.").
    /// Evaluate with the consumer's time zone, or with every plausible zone (``ContactWindow/isAllowed(_:timeZones:)``).
    public static let usRegulationF = ContactWindow(days: Weekday.allCases, ranges: [.hours(8, 21)])

    /// EU default. The reference gives no EU-wide contact hours (GDPR has none, and the Late Payment
    /// Directive governs interest, not contact), so this equals ``cobroDefault``; national rules must be
    /// configured per tenant.
    public static let euDefault = cobroDefault

    /// ISO 3166-1 alpha-2 codes of the EU member states, mapped to ``euDefault``.
    public static let euMemberStates: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]

    /// The preset for an ISO 3166-1 alpha-2 country code (case-insensitive, surrounding spaces ignored):
    /// CO, MX, PE, CL, US, an EU member state; anything else (including `nil` or empty) gives ``cobroDefault``.
    public static func preset(country: String?) -> ContactWindow {
        let code = (country ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        switch code {
        case "CO": return .colombia
        case "MX": return .mexico
        case "PE": return .peru
        case "CL": return .chile
        case "US": return .usRegulationF
        default: return euMemberStates.contains(code) ? .euDefault : .cobroDefault
        }
    }
}
