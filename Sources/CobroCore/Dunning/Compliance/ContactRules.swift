/// A company's contact rules: when and how often a customer may be contacted, by country.
///
/// For a customer in country `C` (ISO 3166-1 alpha-2; `nil` when unknown). A company's rules can only narrow a
/// legal preset, never widen it:
/// - **window** = the legal preset for `C` (when `C` has one: CO, MX, PE, CL, US, EU states) ∩ the company's window
///   for `C` (if it set one) ∩ the company's business hours, with the company's holidays for `C` closed;
/// - **cap** = every limit of the legal preset for `C` (Colombia, Chile) and of the company's cap for `C` (else its
///   default cap): a send must satisfy all of them.
///
/// JSON: `{"business_hours": {…}, "cap": {…}, "countries": {"CO": {"window": {…}, "cap": {…}, "holidays": ["2026-12-08"]}}}`;
/// every key may be omitted (Cobro's defaults: Mon–Fri 08:00–19:00, Sat 08:00–15:00; ≤ 1 a day, ≤ 3 in 7 days).
public struct ContactRules: Sendable, Hashable, Codable {
    public var businessHours: ContactWindow
    public var cap: FrequencyCap
    public var countries: [String: Country]

    /// One country's own rules; what is left out comes from the legal preset and the company defaults.
    public struct Country: Sendable, Hashable, Codable {
        public var window: ContactWindow?
        public var cap: FrequencyCap?
        public var holidays: [LocalDate]

        public init(window: ContactWindow? = nil, cap: FrequencyCap? = nil, holidays: [LocalDate] = []) {
            self.window = window
            self.cap = cap
            self.holidays = holidays
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case window, cap, holidays }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            window = try c.decodeIfPresent(ContactWindow.self, forKey: .window)
            cap = try c.decodeIfPresent(FrequencyCap.self, forKey: .cap)
            holidays = try c.decodeIfPresent([LocalDate].self, forKey: .holidays) ?? []
        }
    }

    public init(businessHours: ContactWindow = .cobroDefault, cap: FrequencyCap = .cobroDefault, countries: [String: Country] = [:]) {
        self.businessHours = businessHours
        self.cap = cap
        self.countries = countries
    }

    /// Cobro's defaults, with no country rules of the company's own.
    public static let standard = ContactRules()

    static func code(_ country: String?) -> String { (country ?? "").trimmingCharacters(in: .whitespaces).uppercased() }

    /// The window a customer of `country` may be contacted in.
    public func window(country: String?) -> ContactWindow {
        let code = Self.code(country)
        let own = countries[code]
        let hasLegalPreset = ["CO", "MX", "PE", "CL", "US"].contains(code) || ContactWindow.euMemberStates.contains(code)
        var w = hasLegalPreset ? ContactWindow.preset(country: country).intersection(businessHours) : businessHours
        if let ownWindow = own?.window { w = w.intersection(ownWindow) }
        return w.addingHolidays(own?.holidays ?? [])
    }

    /// The frequency cap for a customer of `country`.
    public func cap(country: String?) -> FrequencyCap {
        let own = countries[Self.code(country)]?.cap ?? cap
        switch Self.code(country) {
        case "CO": return FrequencyCap(limits: FrequencyCap.colombia.limits + own.limits)
        case "CL": return FrequencyCap(limits: FrequencyCap.chileElectronic.limits + own.limits)
        default: return own
        }
    }

    /// Problems with the rules, each with its JSON path: country keys must be two letters, upper case.
    public func validate() -> [DunningPolicyIssue] {
        countries.keys.sorted().compactMap { key in
            let ok = key.count == 2 && key.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
            return ok ? nil : DunningPolicyIssue(path: "countries[\"\(key)\"]", message: "\"\(key)\" is not an ISO 3166-1 alpha-2 country code in capitals (e.g. CO, MX, ES)")
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case businessHours = "business_hours"
        case cap, countries
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        businessHours = try c.decodeIfPresent(ContactWindow.self, forKey: .businessHours) ?? .cobroDefault
        cap = try c.decodeIfPresent(FrequencyCap.self, forKey: .cap) ?? .cobroDefault
        countries = try c.decodeIfPresent([String: Country].self, forKey: .countries) ?? [:]
    }
}
