/// Which language to write a message in: BCP 47 tags, most specific first, then the company's default.
///
/// Tags are compared case-insensitively and accept `_` for `-` (`es_mx` is `es-MX`). Truncation follows the
/// RFC 4647 "lookup" scheme: drop the last subtag, and a singleton left at the end with it
/// (`es-MX-u-nu-latn` → `es-MX-u-nu` → `es-MX` → `es`).
public enum LanguageFallback {
    /// `tag` in canonical case (`es-mx` → `es-MX`, `ZH-HANT-tw` → `zh-Hant-TW`), or `nil` when it is not a
    /// well-formed tag (a 2–8 letter language, then subtags of 1–8 ASCII letters or digits).
    public static func canonical(_ tag: String) -> String? {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: "_", omittingEmptySubsequences: false)
        }
        guard let language = parts.first, (2...8).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return nil
        }
        var out = [language.lowercased()]
        var afterSingleton = false
        for p in parts.dropFirst() {
            guard (1...8).contains(p.count), p.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
            if p.count == 1 { afterSingleton = true }
            if afterSingleton {
                out.append(p.lowercased())
            } else if p.count == 2, p.allSatisfy(\.isLetter) {
                out.append(p.uppercased())  // region
            } else if p.count == 4, p.allSatisfy(\.isLetter) {
                out.append(p.prefix(1).uppercased() + p.dropFirst().lowercased())  // script
            } else {
                out.append(p.lowercased())
            }
        }
        return out.joined(separator: "-")
    }

    /// The languages to try for someone who asked for `requested`, best first: `requested` and its truncations,
    /// then `companyDefault` and its truncations, each once (`"es-MX"`, default `"en"` → `["es-MX", "es", "en"]`).
    /// A malformed tag contributes nothing.
    public static func chain(for requested: String, companyDefault: String) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for tag in [requested, companyDefault] {
            guard let canonical = canonical(tag) else { continue }
            var subtags = canonical.split(separator: "-").map(String.init)
            while !subtags.isEmpty {
                let candidate = subtags.joined(separator: "-")
                if seen.insert(candidate.lowercased()).inserted { out.append(candidate) }
                subtags.removeLast()
                if subtags.last?.count == 1 { subtags.removeLast() }
            }
        }
        return out
    }

    /// The first language of ``chain(for:companyDefault:)`` found in `available` (compared case-insensitively),
    /// spelt as in `available`; `nil` when none is.
    public static func bestMatch(requested: String, companyDefault: String, available: some Sequence<String>) -> String? {
        var byKey: [String: String] = [:]
        for tag in available {
            let key = (canonical(tag) ?? tag).lowercased()
            if byKey[key] == nil { byKey[key] = tag }
        }
        for candidate in chain(for: requested, companyDefault: companyDefault) {
            if let found = byKey[candidate.lowercased()] { return found }
        }
        return nil
    }
}
