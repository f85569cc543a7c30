/// A company's own template texts, laid over the ones Cobro ships.
///
/// Keys are template keys (a step's `template_key`), then BCP 47 languages, then parts. A part left out is taken
/// from the shipped template of the same key in the best shipped language for that tag (`es-MX` → `es`), so a
/// company can reword only a subject. A key Cobro does not ship must give every part.
///
/// JSON/YAML: `{"overdue_7": {"es": {"subject": "…", "text": "…"}}}` with parts `subject`, `html`, `text`, `sms`,
/// `letter`.
public struct CompanyTemplates: Sendable, Hashable, Codable {
    public var texts: [TemplateKey: [String: Sources]]

    /// The texts of one key in one language; `nil` parts are inherited.
    public struct Sources: Sendable, Hashable, Codable {
        public var subject: String?
        public var html: String?
        public var text: String?
        public var sms: String?
        public var letter: String?

        public init(subject: String? = nil, html: String? = nil, text: String? = nil, sms: String? = nil, letter: String? = nil) {
            self.subject = subject
            self.html = html
            self.text = text
            self.sms = sms
            self.letter = letter
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case subject, html, text, sms, letter }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            subject = try c.decodeIfPresent(String.self, forKey: .subject)
            html = try c.decodeIfPresent(String.self, forKey: .html)
            text = try c.decodeIfPresent(String.self, forKey: .text)
            sms = try c.decodeIfPresent(String.self, forKey: .sms)
            letter = try c.decodeIfPresent(String.self, forKey: .letter)
        }

        public subscript(part: MessagePart) -> String? {
            switch part {
            case .subject: subject
            case .html: html
            case .text: text
            case .sms: sms
            case .letter: letter
            }
        }
    }

    public init(_ texts: [TemplateKey: [String: Sources]] = [:]) { self.texts = texts }

    public var isEmpty: Bool { texts.isEmpty }

    /// The shipped templates with these texts laid over them, or every problem with its path
    /// (`templates.overdue_7.es.html`) and, for a template that does not compile, its line and column.
    public func compiled(over shipped: TemplateSet, schema: TemplateSchema = .reminder) -> Result<TemplateSet, DunningConfigRejection> {
        var out = shipped
        var issues: [DunningPolicyIssue] = []
        for key in texts.keys.sorted() {
            for language in (texts[key] ?? [:]).keys.sorted() {
                guard let given = texts[key]?[language] else { continue }
                let path = "templates.\(key.rawValue).\(language)"
                guard let tag = LanguageFallback.canonical(language) else {
                    issues.append(DunningPolicyIssue(path: path, message: "\"\(language)\" is not a BCP 47 language tag (e.g. es, es-MX, pt-BR)"))
                    continue
                }
                let inherited = shipped.lookup(key, requested: tag, companyDefault: tag)?.parts
                var sources: [MessagePart: String] = [:]
                for part in MessagePart.allCases {
                    if let text = given[part] {
                        sources[part] = text
                    } else if let base = inherited {
                        sources[part] = base[part].source
                    } else {
                        issues.append(DunningPolicyIssue(
                            path: "\(path).\(part.rawValue)", message: "missing; Cobro ships no \"\(key.rawValue)\" template to take it from, so give every part"))
                    }
                }
                guard sources.count == MessagePart.allCases.count else { continue }
                let all = MessageSources(
                    subject: sources[.subject]!, html: sources[.html]!, text: sources[.text]!, sms: sources[.sms]!, letter: sources[.letter]!)
                do {
                    out[key, tag] = try MessageParts(all, schema: schema)
                } catch {
                    issues.append(DunningPolicyIssue(
                        path: "\(path).\(error.part.rawValue)", message: error.rejection.messageAtPosition, position: error.rejection.position))
                }
            }
        }
        return issues.isEmpty ? .success(out) : .failure(DunningConfigRejection(issues))
    }

    public init(from decoder: any Decoder) throws {
        texts = try decoder.singleValueContainer().decode([TemplateKey: [String: Sources]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(texts)
    }
}

extension CompanyTemplates {
    /// Warnings (not errors) for the SMS texts the company wrote: each is rendered for a realistic one-invoice
    /// sample and reported when it takes more than ``SMSSegments/segmentLimit`` segments (160 GSM-7 / 70 UCS-2
    /// characters per segment, 153 / 67 when split).
    public func smsWarnings(compiled: TemplateSet) -> [DunningPolicyIssue] {
        var out: [DunningPolicyIssue] = []
        for key in texts.keys.sorted() {
            for language in (texts[key] ?? [:]).keys.sorted() where texts[key]?[language]?.sms != nil {
                guard let tag = LanguageFallback.canonical(language), let parts = compiled[key, tag] else { continue }
                let sms = SMSSegments(parts.render(.sms, ReminderContext.sample.templateValue))
                if let w = sms.warning {
                    out.append(DunningPolicyIssue(
                        path: "templates.\(key.rawValue).\(language).sms",
                        message: "\(w) (\(sms.encoding.rawValue), \(sms.units) units with a one-invoice sample)"))
                }
            }
        }
        return out
    }
}

extension ReminderContext {
    /// A realistic one-invoice context for checking lengths: long company and customer names, a portal link.
    public static let sample = ReminderContext(
        companyName: "Aceros del Norte, S.A. de C.V.", customerName: "Ferretería López e Hijos", customerRef: "C-000123", contactName: "Marta Ruiz",
        invoices: [.init(ref: "INV-2026-00042", issueDate: "01/10/2026", dueDate: "31/10/2026", amount: "12.345,67", openAmount: "12.345,67", daysPastDue: 7, currency: "MXN")],
        totals: [.init(currency: "MXN", amount: "12.345,67 MXN")], portalLink: "https://pagos.example.com/p/7Hq2xK9", collectorName: "Juan Pérez",
        stepName: "overdue_7", today: "07/11/2026")
}
