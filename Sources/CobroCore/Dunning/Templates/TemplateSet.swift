/// Message templates by key and language, with language fallback.
///
/// Languages are BCP 47 tags (`es`, `es-MX`); lookups compare them case-insensitively. Encodes as
/// `{"overdue_7": {"es": {"subject": "…", …}}}`.
public struct TemplateSet: Hashable, Sendable, Codable {
    public private(set) var templates: [TemplateKey: [String: MessageParts]]

    public init(_ templates: [TemplateKey: [String: MessageParts]] = [:]) { self.templates = templates }

    /// The parts stored for exactly this key and language (no fallback).
    public subscript(key: TemplateKey, language: String) -> MessageParts? {
        get {
            guard let byLanguage = templates[key] else { return nil }
            let wanted = LanguageFallback.canonical(language)?.lowercased() ?? language.lowercased()
            return byLanguage.first { (LanguageFallback.canonical($0.key)?.lowercased() ?? $0.key.lowercased()) == wanted }?.value
        }
        set {
            let tag = LanguageFallback.canonical(language) ?? language
            var byLanguage = templates[key] ?? [:]
            for existing in byLanguage.keys where existing.lowercased() == tag.lowercased() { byLanguage[existing] = nil }
            byLanguage[tag] = newValue
            templates[key] = byLanguage.isEmpty ? nil : byLanguage
        }
    }

    /// Languages stored for `key`, sorted.
    public func languages(for key: TemplateKey) -> [String] { (templates[key]?.keys).map { $0.sorted() } ?? [] }

    /// The parts for `key` in the best language for someone who asked for `requested`: the first language of
    /// ``LanguageFallback/chain(for:companyDefault:)`` that has this key; `nil` when none has.
    public func lookup(_ key: TemplateKey, requested: String, companyDefault: String) -> (language: String, parts: MessageParts)? {
        guard let byLanguage = templates[key],
            let language = LanguageFallback.bestMatch(requested: requested, companyDefault: companyDefault, available: byLanguage.keys.sorted()),
            let parts = byLanguage[language]
        else { return nil }
        return (language, parts)
    }

    public init(from decoder: any Decoder) throws {
        self.templates = try decoder.singleValueContainer().decode([TemplateKey: [String: MessageParts]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(templates)
    }

    /// Adds or replaces every template of `other` (e.g. a company's own texts over the shipped defaults).
    public func overlaid(with other: TemplateSet) -> TemplateSet {
        var out = self
        for (key, byLanguage) in other.templates {
            for (language, parts) in byLanguage { out[key, language] = parts }
        }
        return out
    }
}
