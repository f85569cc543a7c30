/// Who a planned message goes to: the customer's contact details and preferences, as stored.
public struct DunningRecipient: Sendable, Hashable {
    public var customerName: String
    public var contactName: String
    public var email: String?
    public var phone: String?
    public var postalAddress: String?
    /// BCP 47 language of the customer (`nil`: the company's).
    public var language: String?

    public init(customerName: String, contactName: String = "", email: String? = nil, phone: String? = nil, postalAddress: String? = nil, language: String? = nil) {
        self.customerName = customerName
        self.contactName = contactName
        self.email = email
        self.phone = phone
        self.postalAddress = postalAddress
        self.language = language
    }

    /// Which channels these details can reach (what the planner needs).
    public var reachability: DunningReachability {
        DunningReachability(hasEmail: !(email ?? "").isEmpty, hasPhone: !(phone ?? "").isEmpty, hasPostalAddress: !(postalAddress ?? "").isEmpty)
    }
}

/// One channel's rendition of a planned message, ready for the outbox.
public struct ComposedMessage: Sendable, Hashable {
    public var channel: DunningChannel
    /// Email address, phone number, postal address, or (call tasks) the number to call.
    public var recipient: String
    /// The template language actually used (after the fallback chain).
    public var language: String
    public var subject: String
    /// Plain text: the email's text part, the SMS, the letter body, or the call task's talking points.
    public var text: String
    /// The email's HTML part (email and statement only).
    public var html: String?
}

/// Why a planned message could not be composed.
public enum CompositionProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case noTemplate(key: String, language: String)
    case noRecipient(DunningChannel)

    public var description: String {
        switch self {
        case .noTemplate(let key, let language): return "no template \"\(key)\" for language \(language) or its fallbacks"
        case .noRecipient(let channel): return "no \(channel.rawValue) recipient on file"
        }
    }
}

/// Renders a planned ``DunningMessage`` into one ``ComposedMessage`` per channel, with the step's template in the
/// customer's language (fallback chain ending at the company's language), amounts and dates formatted for that
/// language. Pure: everything it shows comes from its arguments.
public enum DunningComposer {
    public static func compose(
        _ message: DunningMessage, to recipient: DunningRecipient, companyName: String, companyLanguage: String,
        templates: TemplateSet, portalLink: String, collectorName: String, asOf: LocalDate
    ) -> Result<[ComposedMessage], CompositionProblem> {
        let requested = recipient.language ?? companyLanguage
        guard let (language, parts) = templates.lookup(TemplateKey(message.templateKey), requested: requested, companyDefault: companyLanguage) else {
            return .failure(.noTemplate(key: message.templateKey, language: requested))
        }
        let facts = ReminderFacts(
            companyName: companyName, customerName: recipient.customerName, customerRef: message.customerRef,
            contactName: recipient.contactName.isEmpty ? recipient.customerName : recipient.contactName,
            // The table's "amount" is the open balance and its "open amount" what is asked for (open − disputed).
            invoices: message.items.map { ReminderFacts.Invoice(ref: $0.ref, issueDate: $0.issueDate, dueDate: $0.dueDate, amount: $0.open, open: $0.amount) },
            portalLink: portalLink, collectorName: collectorName, stepName: message.stepID, asOf: asOf)
        let context = ReminderContext(facts, format: .forMessage(templateLanguage: language, requestedTag: requested)).templateValue
        let subject = parts.render(.subject, context)
        var out: [ComposedMessage] = []
        for channel in message.channels {
            let to: String
            switch channel {
            case .email, .statement: to = recipient.email ?? ""
            case .sms, .call: to = recipient.phone ?? ""
            case .letter: to = recipient.postalAddress ?? ""
            }
            // A call task needs no number on file: the collector finds one.
            if to.isEmpty, channel != .call { return .failure(.noRecipient(channel)) }
            switch channel {
            case .email, .statement:
                out.append(ComposedMessage(
                    channel: channel, recipient: to, language: language, subject: subject, text: parts.render(.text, context), html: parts.render(.html, context)))
            case .sms:
                out.append(ComposedMessage(channel: channel, recipient: to, language: language, subject: subject, text: parts.render(.sms, context), html: nil))
            case .letter, .call:
                out.append(ComposedMessage(channel: channel, recipient: to, language: language, subject: subject, text: parts.render(.letter, context), html: nil))
            }
        }
        return .success(out)
    }
}

/// What a template looks like for one customer, before anything is saved or sent.
public struct DunningPreview: Sendable, Hashable {
    /// The template language used (after the fallback chain).
    public var language: String
    public var rendered: RenderedMessage
    public var sms: SMSSegments
}

extension DunningComposer {
    /// Renders template `key` for a customer with every item it has open as of `asOf` (all currencies, the disputed
    /// part not asked for), the way a run would render it. `templates` may hold unsaved texts being edited.
    public static func preview(
        _ key: TemplateKey, items: [DunningOpenItem], customerRef: String, to recipient: DunningRecipient, language: String?,
        companyName: String, companyLanguage: String, templates: TemplateSet, portalLink: String, collectorName: String, asOf: LocalDate
    ) -> Result<DunningPreview, CompositionProblem> {
        let requested = language ?? recipient.language ?? companyLanguage
        guard let (used, parts) = templates.lookup(key, requested: requested, companyDefault: companyLanguage) else {
            return .failure(.noTemplate(key: key.rawValue, language: requested))
        }
        let lines = items.filter { $0.openMinor > 0 }.sorted { ($0.dueDate, $0.ref) < ($1.dueDate, $1.ref) }.map {
            ReminderFacts.Invoice(
                ref: $0.ref, issueDate: $0.issueDate, dueDate: $0.dueDate, amount: Money(minor: $0.openMinor, $0.currency),
                open: Money(minor: $0.openMinor - min(max($0.disputedMinor, 0), $0.openMinor), $0.currency))
        }
        let facts = ReminderFacts(
            companyName: companyName, customerName: recipient.customerName, customerRef: customerRef,
            contactName: recipient.contactName.isEmpty ? recipient.customerName : recipient.contactName, invoices: lines,
            portalLink: portalLink, collectorName: collectorName, stepName: key.rawValue, asOf: asOf)
        let rendered = parts.render(ReminderContext(facts, format: .forMessage(templateLanguage: used, requestedTag: requested)).templateValue)
        return .success(DunningPreview(language: used, rendered: rendered, sms: SMSSegments(rendered.sms)))
    }
}
