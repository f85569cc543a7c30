/// The wording of the shipped templates in one language; ``DefaultTemplates`` lays it out as email, SMS and letter.
///
/// Strings are template source: they may use any name of ``TemplateSchema/reminder`` and must not contain raw
/// `&` or `<` (they go into HTML as they are).
struct DefaultCopy: Sendable {
    /// Headers of the invoice table, also used as labels in plain text.
    struct Columns: Sendable {
        var invoice: String
        var issueDate: String
        var dueDate: String
        var amount: String
        var openAmount: String
        var daysOverdue: String
    }

    /// Which invoice table a step shows.
    enum Table: Sendable {
        /// Not yet overdue (before or on the due date): no days-overdue column.
        case upcoming
        /// Days-overdue column: the days for overdue lines, a dash for lines not yet due (so a statement, or an
        /// overdue reminder that also lists an upcoming invoice, never shows "-3 days").
        case overdue
    }

    /// The wording of one template key.
    struct Step: Sendable {
        var subject: String
        /// Title inside the email and after "Subject:" in letters.
        var heading: String
        /// Paragraphs before the invoice table.
        var intro: [String]
        /// Paragraphs after the totals: what we ask the customer to do.
        var request: [String]
        /// The whole SMS (GSM-7 characters only, see ``SMSSegments``).
        var sms: String
        var table: Table
    }

    var language: MessageLanguage
    /// `{{#contact.name}}…{{/contact.name}}{{^contact.name}}…{{/contact.name}}`.
    var greeting: String
    var columns: Columns
    /// `:` with the spacing this language uses before it.
    var colon: String
    var totalLabel: String
    /// Text of the portal button in HTML.
    var payButton: String
    /// Sentence before the portal link in plain text and letters.
    var linkLead: String
    /// How to tell us about a payment or a disagreement, for email.
    var disputeEmail: String
    /// The same for letters.
    var disputeLetter: String
    /// Who to contact, using collector.name/email/phone.
    var contact: String
    var signOff: String
    /// Small print at the bottom of emails.
    var footer: String
    /// "Subject" label of letters.
    var subjectLabel: String
    var steps: [TemplateKey: Step]
}
