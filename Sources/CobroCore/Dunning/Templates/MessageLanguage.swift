/// The languages Cobro ships message templates and formats for.
public enum MessageLanguage: String, CaseIterable, Hashable, Sendable, Codable {
    case es, en, fr, pt

    /// The language of a BCP 47 tag's primary subtag, case-insensitive (`"es-MX"` → `.es`, `"PT_br"` → `.pt`);
    /// `nil` for any other language.
    public init?(tag: String) {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        self.init(rawValue: primary)
    }
}
