import Foundation
import Testing

@testable import CobroCore

// Language fallback (RFC 4647 lookup) and template lookup by key and language.

@Suite("Dunning templates: language fallback")
struct DunningTemplateLanguageTests {
    @Test(arguments: [
        ("es-mx", "es-MX"), ("ES", "es"), ("ZH-hant-tw", "zh-Hant-TW"), ("es_MX", "es-MX"), ("es-419", "es-419"),
        ("en-US-x-Twain", "en-US-x-twain"), ("sl-rozaj-biske", "sl-rozaj-biske"), ("de-CH-1996", "de-CH-1996"),
    ])
    func canonicalCase(input: String, expected: String) {
        #expect(LanguageFallback.canonical(input) == expected)
    }

    @Test(arguments: ["", "e", "es--MX", "es-MX-", "123", "es-ÑX", "toolonglang", "es-toolongsubtag", "-es", "es MX"])
    func malformedTags(input: String) {
        #expect(LanguageFallback.canonical(input) == nil)
    }

    @Test func chainGoesFromSpecificToCompanyDefault() {
        #expect(LanguageFallback.chain(for: "es-MX", companyDefault: "en") == ["es-MX", "es", "en"])
        #expect(LanguageFallback.chain(for: "es-mx", companyDefault: "EN") == ["es-MX", "es", "en"])
    }

    @Test func chainHasNoDuplicates() {
        #expect(LanguageFallback.chain(for: "es-MX", companyDefault: "es") == ["es-MX", "es"])
        #expect(LanguageFallback.chain(for: "es", companyDefault: "ES") == ["es"])
        #expect(LanguageFallback.chain(for: "es-AR", companyDefault: "es-MX") == ["es-AR", "es", "es-MX"])
    }

    @Test func companyDefaultIsTruncatedToo() {
        #expect(LanguageFallback.chain(for: "ES-mx", companyDefault: "pt-BR") == ["es-MX", "es", "pt-BR", "pt"])
    }

    @Test func scriptsAndSingletonsFollowRFC4647() {
        #expect(LanguageFallback.chain(for: "zh-Hant-TW", companyDefault: "en") == ["zh-Hant-TW", "zh-Hant", "zh", "en"])
        // "en-US-x-private" → "en-US-x" is skipped because it ends with a singleton.
        #expect(LanguageFallback.chain(for: "en-US-x-private", companyDefault: "fr") == ["en-US-x-private", "en-US", "en", "fr"])
    }

    @Test func malformedTagsContributeNothing() {
        #expect(LanguageFallback.chain(for: "", companyDefault: "en") == ["en"])
        #expect(LanguageFallback.chain(for: "not a tag!", companyDefault: "es-MX") == ["es-MX", "es"])
        #expect(LanguageFallback.chain(for: "fr", companyDefault: "??") == ["fr"])
        #expect(LanguageFallback.chain(for: "", companyDefault: "") == [])
    }

    @Test func bestMatchPicksTheFirstAvailable() {
        let shipped = ["es", "en", "fr", "pt"]
        #expect(LanguageFallback.bestMatch(requested: "es-MX", companyDefault: "en", available: shipped) == "es")
        #expect(LanguageFallback.bestMatch(requested: "de-DE", companyDefault: "fr", available: shipped) == "fr")
        #expect(LanguageFallback.bestMatch(requested: "de-DE", companyDefault: "it", available: shipped) == nil)
        #expect(LanguageFallback.bestMatch(requested: "es-MX", companyDefault: "en", available: ["es", "es-MX"]) == "es-MX")
        #expect(LanguageFallback.bestMatch(requested: "es-AR", companyDefault: "en", available: ["es", "es-MX"]) == "es")
        // Spelling of the available set is kept.
        #expect(LanguageFallback.bestMatch(requested: "PT-BR", companyDefault: "en", available: ["pt-br", "en"]) == "pt-br")
    }
}

@Suite("Dunning templates: template sets")
struct DunningTemplateSetTests {
    private func parts(_ subject: String) throws -> MessageParts {
        let t = try MessageTemplate(subject)
        return MessageParts(subject: t, html: t, text: t, sms: t, letter: t)
    }

    @Test func lookupFollowsTheFallbackChain() throws {
        let set = try DefaultTemplates.templateSet()
        #expect(set.lookup(.overdue7, requested: "es-MX", companyDefault: "en")?.language == "es")
        #expect(set.lookup(.overdue7, requested: "de-AT", companyDefault: "pt-BR")?.language == "pt")
        #expect(set.lookup(.overdue7, requested: "fr-CA", companyDefault: "es")?.language == "fr")
        #expect(set.lookup(.overdue7, requested: "de", companyDefault: "it") == nil)
        #expect(set.lookup("no_such_key", requested: "es", companyDefault: "en") == nil)
    }

    @Test func companyTextsOverlayTheDefaults() throws {
        var custom = TemplateSet()
        custom[.overdue7, "es-mx"] = try parts("Custom MX")
        let set = try DefaultTemplates.templateSet().overlaid(with: custom)
        let mx = try #require(set.lookup(.overdue7, requested: "es-MX", companyDefault: "en"))
        #expect(mx.language == "es-MX")
        #expect(mx.parts.subject.source == "Custom MX")
        #expect(set.lookup(.overdue7, requested: "es-AR", companyDefault: "en")?.language == "es")
        #expect(set.languages(for: .overdue7) == ["en", "es", "es-MX", "fr", "pt"])
    }

    @Test func subscriptIsCaseInsensitiveAndReplaces() throws {
        var set = TemplateSet()
        set[.dueToday, "PT-br"] = try parts("one")
        set[.dueToday, "pt-BR"] = try parts("two")
        #expect(set.languages(for: .dueToday) == ["pt-BR"])
        #expect(set[.dueToday, "pt-br"]?.subject.source == "two")
        set[.dueToday, "pt-br"] = nil
        #expect(set.languages(for: .dueToday) == [])
        #expect(set.templates.isEmpty)
    }

    @Test func encodesAsKeyLanguagePartSource() throws {
        var set = TemplateSet()
        set[.overdue7, "es"] = try parts("Hola {{contact.name}}")
        let data = try JSONEncoder().encode(set)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let overdue = try #require(json["overdue_7"] as? [String: Any])
        let es = try #require(overdue["es"] as? [String: String])
        #expect(es["subject"] == "Hola {{contact.name}}")
        #expect(try JSONDecoder().decode(TemplateSet.self, from: data) == set)
    }

    @Test func shippedKeysInPolicyOrder() {
        #expect(
            TemplateKey.shipped.map(\.rawValue) == [
                "reminder_before_due", "due_today", "overdue_7", "overdue_15", "overdue_30", "final_notice_45", "account_statement",
                "plan_installment_due", "plan_installment_late",
            ])
    }
}
