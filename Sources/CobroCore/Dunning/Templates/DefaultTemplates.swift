/// The templates Cobro ships: for each key of ``TemplateKey/shipped`` and each of es, en, fr and pt, an email
/// (subject, HTML, plain text), an SMS and a letter body.
///
/// The wording lives in one file per language; this type lays it out the same way for every language:
/// company name, greeting, what the message is about, the invoice table, totals per currency, what we ask,
/// the portal link (to pay, download or dispute), how to tell us about a payment or disagreement, who to
/// contact, and the collector's signature. HTML uses inline styles only and no images or remote resources.
public enum DefaultTemplates {
    /// Languages with shipped templates.
    public static let languages: [MessageLanguage] = [.es, .en, .fr, .pt]

    /// The source texts for `key` in `language`; `nil` for a key Cobro does not ship.
    public static func sources(_ key: TemplateKey, _ language: MessageLanguage) -> MessageSources? {
        let copy = self.copy(language)
        guard let step = copy.steps[key] else { return nil }
        return MessageSources(
            subject: step.subject,
            html: html(copy, step),
            text: plainText(copy, step),
            sms: step.sms,
            letter: letter(copy, step))
    }

    /// Every shipped template, parsed and validated against ``TemplateSchema/reminder``.
    /// Throws only if a shipped text is broken (the tests make sure none is).
    public static func templateSet() throws(MessagePartRejection) -> TemplateSet {
        var set = TemplateSet()
        for key in TemplateKey.shipped {
            for language in languages {
                guard let sources = sources(key, language) else { continue }
                set[key, language.rawValue] = try MessageParts(sources, schema: .reminder)
            }
        }
        return set
    }

    static func copy(_ language: MessageLanguage) -> DefaultCopy {
        switch language {
        case .es: return spanish
        case .en: return english
        case .fr: return french
        case .pt: return portuguese
        }
    }

    // MARK: - Shared pieces

    /// The collector's own signature block when set, else their name and the company.
    private static let signatureText = """
        {{#collector.signature}}
        {{collector.signature}}
        {{/collector.signature}}
        {{^collector.signature}}
        {{collector.name}}
        {{company.name}}
        {{/collector.signature}}

        """

    // MARK: - HTML

    private enum Style {
        static let body = "margin:0;padding:0;background-color:#f5f6f8;"
        static let outer = "max-width:640px;margin:0 auto;padding:24px 12px;"
        static let card =
            "background-color:#ffffff;border:1px solid #dde1e6;border-radius:6px;padding:24px;"
            + "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
            + "font-size:14px;line-height:1.45;color:#1f2933;"
        static let company = "margin:0 0 16px;font-size:18px;font-weight:600;color:#0b5561;"
        static let heading = "margin:0 0 16px;font-size:16px;font-weight:600;"
        static let p = "margin:0 0 12px;"
        static let scroll = "overflow-x:auto;margin:0 0 16px;"
        static let table = "width:100%;border-collapse:collapse;font-size:13px;"
        static let th = "text-align:left;padding:6px 8px;border-bottom:2px solid #dde1e6;font-weight:600;white-space:nowrap;"
        static let thNum = "text-align:right;padding:6px 8px;border-bottom:2px solid #dde1e6;font-weight:600;white-space:nowrap;"
        static let td = "text-align:left;padding:6px 8px;border-bottom:1px solid #eef0f3;white-space:nowrap;"
        static let tdNum =
            "text-align:right;padding:6px 8px;border-bottom:1px solid #eef0f3;white-space:nowrap;"
            + "font-variant-numeric:tabular-nums;"
        static let totalLabel = "text-align:left;padding:8px;font-weight:600;"
        static let totalAmount = "text-align:right;padding:8px;font-weight:600;white-space:nowrap;font-variant-numeric:tabular-nums;"
        static let button =
            "display:inline-block;padding:10px 18px;background-color:#0b5561;color:#ffffff;"
            + "text-decoration:none;border-radius:4px;font-weight:600;"
        static let link = "margin:0 0 16px;font-size:12px;color:#52606d;word-break:break-all;"
        static let signature = "margin:16px 0 0;white-space:pre-line;"
        static let footer = "margin:16px 0 0;font-size:12px;color:#52606d;"
    }

    private static func html(_ c: DefaultCopy, _ step: DefaultCopy.Step) -> String {
        let showDays = step.table != .upcoming
        let cols = c.columns
        var headers =
            "<th scope=\"col\" style=\"\(Style.th)\">\(cols.invoice)</th>"
            + "<th scope=\"col\" style=\"\(Style.th)\">\(cols.issueDate)</th>"
            + "<th scope=\"col\" style=\"\(Style.th)\">\(cols.dueDate)</th>"
            + "<th scope=\"col\" style=\"\(Style.thNum)\">\(cols.amount)</th>"
            + "<th scope=\"col\" style=\"\(Style.thNum)\">\(cols.openAmount)</th>"
        var cells =
            "<td style=\"\(Style.td)\">{{ref}}</td>"
            + "<td style=\"\(Style.td)\">{{issue_date}}</td>"
            + "<td style=\"\(Style.td)\">{{due_date}}</td>"
            + "<td style=\"\(Style.tdNum)\">{{amount}}</td>"
            + "<td style=\"\(Style.tdNum)\">{{open_amount}}</td>"
        if showDays {
            headers += "<th scope=\"col\" style=\"\(Style.thNum)\">\(cols.daysOverdue)</th>"
            let days = "{{#overdue}}{{days_past_due}}{{/overdue}}{{^overdue}}—{{/overdue}}"
            cells += "<td style=\"\(Style.tdNum)\">\(days)</td>"
        }
        let labelSpan = 4
        let trailing = showDays ? "<td style=\"\(Style.totalAmount)\"></td>" : ""
        let paragraphs = { (texts: [String]) in texts.map { "<p style=\"\(Style.p)\">\($0)</p>\n" }.joined() }
        return """
            <!DOCTYPE html>
            <html lang="\(c.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{company.name}}</title>
            </head>
            <body style="\(Style.body)">
            <div style="\(Style.outer)">
            <div style="\(Style.card)">
            <p style="\(Style.company)">{{company.name}}</p>
            <h1 style="\(Style.heading)">\(step.heading)</h1>
            <p style="\(Style.p)">\(c.greeting)</p>
            \(paragraphs(step.intro))<div style="\(Style.scroll)">
            <table style="\(Style.table)">
            <thead>
            <tr>\(headers)</tr>
            </thead>
            <tbody>
            {{#invoices}}
            <tr>\(cells)</tr>
            {{/invoices}}
            </tbody>
            <tfoot>
            {{#totals}}
            <tr><th scope="row" colspan="\(labelSpan)" style="\(Style.totalLabel)">\(c.totalLabel)</th>\
            <td style="\(Style.totalAmount)">{{amount}}</td>\(trailing)</tr>
            {{/totals}}
            </tfoot>
            </table>
            </div>
            \(paragraphs(step.request)){{#portal_link}}
            <p style="\(Style.p)"><a href="{{portal_link}}" style="\(Style.button)">\(c.payButton)</a></p>
            <p style="\(Style.link)">{{portal_link}}</p>
            {{/portal_link}}
            <p style="\(Style.p)">\(c.disputeEmail)</p>
            <p style="\(Style.p)">\(c.contact)</p>
            <p style="\(Style.signature)">\(c.signOff)
            {{#collector.signature}}{{collector.signature}}{{/collector.signature}}{{^collector.signature}}{{collector.name}}
            {{company.name}}{{/collector.signature}}</p>
            <p style="\(Style.footer)">\(c.footer)</p>
            </div>
            </div>
            </body>
            </html>

            """
    }

    // MARK: - Plain text and letter

    /// The invoice list as text: one block of three lines per invoice, then one total line per currency.
    private static func textTable(_ c: DefaultCopy, _ step: DefaultCopy.Step) -> String {
        let cols = c.columns
        let days: String
        switch step.table {
        case .upcoming: days = ""
        case .overdue: days = "{{#overdue}} · \(cols.daysOverdue)\(c.colon) {{days_past_due}}{{/overdue}}"
        }
        return """
            {{#invoices}}
            - \(cols.invoice) {{ref}}
              \(cols.issueDate)\(c.colon) {{issue_date}} · \(cols.dueDate)\(c.colon) {{due_date}}
              \(cols.amount)\(c.colon) {{amount}} · \(cols.openAmount)\(c.colon) {{open_amount}}\(days)

            {{/invoices}}
            {{#totals}}
            \(c.totalLabel)\(c.colon) {{amount}}
            {{/totals}}

            """
    }

    private static func paragraphsText(_ texts: [String]) -> String { texts.map { $0 + "\n\n" }.joined() }

    private static func plainText(_ c: DefaultCopy, _ step: DefaultCopy.Step) -> String {
        """
        \(c.greeting)

        \(paragraphsText(step.intro))\(textTable(c, step))
        \(paragraphsText(step.request)){{#portal_link}}
        \(c.linkLead)
        {{portal_link}}

        {{/portal_link}}
        \(c.disputeEmail)

        \(c.contact)

        \(c.signOff)
        \(signatureText)
        \(c.footer)

        """
    }

    private static func letter(_ c: DefaultCopy, _ step: DefaultCopy.Step) -> String {
        """
        \(c.subjectLabel) \(step.heading) · {{customer.name}} ({{customer.ref}})

        \(c.greeting)

        \(paragraphsText(step.intro))\(textTable(c, step))
        \(paragraphsText(step.request)){{#portal_link}}
        \(c.linkLead)
        {{portal_link}}

        {{/portal_link}}
        \(c.disputeLetter)

        \(c.contact)

        \(c.signOff)

        \(signatureText)
        """
    }
}
