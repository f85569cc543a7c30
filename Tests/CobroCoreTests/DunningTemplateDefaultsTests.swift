import Testing

@testable import CobroCore

// The shipped templates: every key × language parses, validates and renders; SMS fit in two segments;
// HTML is self-contained; tone guards from UI-GUIDE ("no threats").

private let languages = ["es", "en", "fr", "pt"]
private let keyLanguagePairs: [(TemplateKey, String)] = TemplateKey.shipped.flatMap { k in languages.map { (k, $0) } }

/// 40 characters, as a realistic signed portal link.
private let portalLink = "https://pay.cobro.example/p/AbCdEf123456"

private func line(_ ref: String, days: Int, open: String = "12.345,67 MXN") -> ReminderContext.InvoiceLine {
    .init(ref: ref, issueDate: "01/10/2026", dueDate: "31/10/2026", amount: "15.000,00 MXN", openAmount: open, daysPastDue: days, currency: "MXN")
}

private func sample(
    invoices: [ReminderContext.InvoiceLine] = [line("INV-2026-00042", days: 7)],
    totals: [ReminderContext.CurrencyTotal] = [.init(currency: "MXN", amount: "12.345,67 MXN")],
    company: String = "Aceros del Norte, S.A. de C.V.", customer: String = "Ferretería López e Hijos",
    contact: String = "Marta Ruiz", link: String = portalLink, signature: String = ""
) -> ReminderContext {
    ReminderContext(
        companyName: company, customerName: customer, customerRef: "C-000123", contactName: contact, invoices: invoices,
        totals: totals, portalLink: link, collectorName: "Juan Pérez", collectorSignature: signature,
        collectorEmail: "juan.perez@aceros.example", collectorPhone: "+52 81 5555 0101", stepName: "Recordatorio", today: "07/11/2026")
}

private let shipped: TemplateSet? = try? DefaultTemplates.templateSet()

private func parts(_ key: TemplateKey, _ language: String) throws -> MessageParts {
    let set = try #require(shipped)
    return try #require(set[key, language])
}

@Suite("Dunning templates: shipped defaults")
struct DunningTemplateDefaultsTests {
    @Test func theSetBuildsWithEveryKeyInEveryLanguage() throws {
        let set = try DefaultTemplates.templateSet()
        #expect(Set(set.templates.keys) == Set(TemplateKey.shipped))
        for key in TemplateKey.shipped { #expect(set.languages(for: key) == ["en", "es", "fr", "pt"]) }
    }

    @Test(arguments: keyLanguagePairs)
    func everyPartParsesAndValidates(key: TemplateKey, language: String) throws {
        let lang = try #require(MessageLanguage(rawValue: language))
        let sources = try #require(DefaultTemplates.sources(key, lang))
        for part in MessagePart.allCases {
            switch MessageTemplate.parse(sources[part]) {
            case .failure(let e): Issue.record("\(key) \(language) \(part): \(e)")
            case .success(let t): #expect(TemplateSchema.reminder.validate(t) == [], "\(key) \(language) \(part)")
            }
        }
    }

    @Test func unknownKeyHasNoSources() {
        #expect(DefaultTemplates.sources("custom_step", .es) == nil)
    }

    @Test(arguments: keyLanguagePairs)
    func rendersCompletelyForASampleCustomer(key: TemplateKey, language: String) throws {
        let ctx = sample(
            invoices: [line("INV-2026-00042", days: 7), line("INV-2026-00043", days: -3, open: "500,00 MXN")],
            totals: [.init(currency: "MXN", amount: "12.845,67 MXN")])
        let r = try parts(key, language).render(ctx.templateValue)
        for (name, text) in [("subject", r.subject), ("html", r.html), ("text", r.text), ("sms", r.sms), ("letter", r.letter)] {
            #expect(!text.contains("{{") && !text.contains("}}"), "\(key) \(language) \(name) has a leftover tag")
            #expect(!text.isEmpty, "\(key) \(language) \(name) is empty")
        }
        #expect(!r.subject.contains("\n"))
        for body in [r.html, r.text, r.letter] {
            #expect(body.contains("INV-2026-00042"))
            #expect(body.contains("INV-2026-00043"))
            #expect(body.contains("12.845,67 MXN"))
            #expect(body.contains(portalLink))
            #expect(body.contains("Juan Pérez"))
        }
        #expect(r.html.contains("Aceros del Norte, S.A. de C.V."))
        #expect(r.text.contains("juan.perez@aceros.example"))
        #expect(r.sms.contains(portalLink))
        #expect(r.sms.hasPrefix("Aceros del Norte, S.A. de C.V."))
    }

    @Test(arguments: keyLanguagePairs)
    func smsFitsInTwoGSMSegmentsForARealisticSample(key: TemplateKey, language: String) throws {
        #expect(portalLink.count == 40)
        let p = try parts(key, language)
        let one = p.render(sample().templateValue).sms
        #expect(one.contains("12.345,67 MXN"))
        let three = p.render(
            sample(
                invoices: [line("INV-2026-00042", days: 9), line("INV-2026-00043", days: 7), line("INV-2026-00044", days: 7)],
                totals: [.init(currency: "MXN", amount: "37.037,01 MXN")]
            ).templateValue
        ).sms
        for text in [one, three] {
            let count = SMSSegments(text)
            #expect(count.encoding == .gsm7, "\(key) \(language): \(count.nonGSMCharacters) force UCS-2 in: \(text)")
            #expect(count.segments <= 2, "\(key) \(language): \(count.units) septets in: \(text)")
            #expect(count.warning == nil)
        }
    }

    @Test func singleInvoiceSMSNamesTheInvoice() throws {
        let sms = try parts(.overdue7, "es").render(sample().templateValue).sms
        #expect(sms.contains("la factura INV-2026-00042 por 12.345,67 MXN, vencida el 31/10/2026"))
        let plural = try parts(.overdue7, "es").render(sample(invoices: [line("A", days: 9), line("B", days: 7)]).templateValue).sms
        #expect(plural.contains("2 facturas por un total de 12.345,67 MXN"))
        #expect(!plural.contains("la factura"))
    }

    @Test(arguments: TemplateKey.shipped)
    func frenchAmountsWithNarrowSpacesStayGSMInSMS(key: TemplateKey) throws {
        let format = LocalizedFormat(language: .fr)
        let usd = try #require(Currency(code: "USD"))
        let due = try #require(LocalDate(iso: "2026-10-31"))
        let facts = ReminderFacts(
            companyName: "Bureau Lumière", customerName: "Boulangerie Dupont", customerRef: "C-9", contactName: "Anne",
            invoices: [
                .init(
                    ref: "F-2026-0042", issueDate: due.adding(days: -30), dueDate: due, amount: Money(minor: 1_234_567, usd),
                    open: Money(minor: 1_234_567, usd))
            ],
            portalLink: portalLink, collectorName: "Luc Martin", stepName: "Relance", asOf: due.adding(days: 7))
        let ctx = ReminderContext(facts, format: format)
        #expect(ctx.totalDue == "12\u{202F}345,67 USD")
        let r = try parts(key, "fr").render(ctx.templateValue)
        #expect(r.html.contains("12\u{202F}345,67 USD"))
        #expect(r.sms.contains("12 345,67 USD"))
        #expect(SMSSegments(r.sms).encoding == .gsm7)
    }

    @Test(arguments: languages)
    func htmlIsSelfContained(language: String) throws {
        for key in TemplateKey.shipped {
            let html = try parts(key, language).render(sample().templateValue).html
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<html lang=\"\(language)\">"))
            for forbidden in ["<img", "<link", "<script", "<style", "src=", "url(", "@import", "http://"] {
                #expect(!html.contains(forbidden), "\(key) \(language) contains \(forbidden)")
            }
            // The only remote address is the portal link (button and visible copy).
            #expect(html.components(separatedBy: "https://").count - 1 == 2)
            #expect(html.components(separatedBy: portalLink).count - 1 == 2)
        }
    }

    @Test func customerDataIsEscapedInHTMLOnly() throws {
        let ctx = sample(customer: "López & Hijos <SA>")
        let r = try parts(.accountStatement, "es").render(ctx.templateValue)
        #expect(r.html.contains("López &amp; Hijos &lt;SA&gt;"))
        #expect(!r.html.contains("López & Hijos"))
        #expect(r.text.contains("López & Hijos <SA>"))
        #expect(r.subject == "Estado de cuenta de López & Hijos <SA> al 07/11/2026")
    }

    @Test func subjectIsOneLineEvenWithLineBreaksInData() throws {
        let r = try parts(.accountStatement, "en").render(sample(customer: "Acme\r\nInc.  Ltd").templateValue)
        #expect(r.subject == "Statement of account for Acme Inc. Ltd as of 07/11/2026")
    }

    @Test func greetingUsesTheContactOrAPoliteGenericForm() throws {
        let expected = [
            ("es", "Estimado/a Marta Ruiz:", "Estimados señores:"),
            ("en", "Dear Marta Ruiz,", "Dear Accounts Payable team,"),
            ("fr", "Bonjour Marta Ruiz,", "Madame, Monsieur,"),
            ("pt", "Prezado(a) Marta Ruiz,", "Prezados,"),
        ]
        for (language, named, generic) in expected {
            let p = try parts(.overdue15, language)
            #expect(p.render(sample().templateValue).text.hasPrefix(named + "\n\n"))
            #expect(p.render(sample(contact: "").templateValue).text.hasPrefix(generic + "\n\n"))
        }
    }

    @Test func lettersStartWithASubjectLineAndNeverMentionEmail() throws {
        let expected = [("es", "Asunto: "), ("en", "Subject: "), ("fr", "Objet\u{00A0}: "), ("pt", "Assunto: ")]
        for (language, label) in expected {
            for key in TemplateKey.shipped {
                let letter = try parts(key, language).render(sample().templateValue).letter
                #expect(letter.hasPrefix(label), "\(key) \(language)")
                #expect(letter.contains("(C-000123)"))
                for word in ["correo", "email", "e-mail"] { #expect(!letter.contains(word), "\(key) \(language) letter mentions \(word)") }
            }
        }
    }

    @Test func overdueTablesShowDaysOnlyForOverdueLines() throws {
        let ctx = sample(invoices: [line("INV-A", days: 12), line("INV-B", days: -4)])
        let r = try parts(.overdue30, "es").render(ctx.templateValue)
        #expect(r.html.contains("Días de atraso</th>"))
        #expect(r.html.contains(">12</td>"))
        #expect(r.html.contains(">—</td>"))
        #expect(!r.html.contains("-4"))
        #expect(r.text.contains("Días de atraso: 12"))
        #expect(!r.text.contains("-4"))
    }

    @Test func upcomingTablesHaveNoDaysColumn() throws {
        for key in [TemplateKey.reminderBeforeDue, .dueToday] {
            for (language, label) in [("es", "Días de atraso"), ("en", "Days overdue"), ("fr", "Jours de retard"), ("pt", "Dias em atraso")] {
                let r = try parts(key, language).render(sample(invoices: [line("INV-1", days: -5)]).templateValue)
                #expect(!r.html.contains(label) && !r.text.contains(label), "\(key) \(language)")
            }
        }
    }

    @Test func oneTotalLinePerCurrency() throws {
        let ctx = sample(totals: [.init(currency: "EUR", amount: "10,00 EUR"), .init(currency: "USD", amount: "20,00 USD")])
        let r = try parts(.overdue7, "es").render(ctx.templateValue)
        #expect(r.text.contains("Total pendiente: 10,00 EUR\nTotal pendiente: 20,00 USD\n"))
        #expect(r.html.components(separatedBy: "Total pendiente</th>").count - 1 == 2)
        #expect(r.subject == "Aviso de pago pendiente: 10,00 EUR + 20,00 USD")
    }

    @Test func withoutPortalLinkThereIsNoButtonOrLinkParagraph() throws {
        let r = try parts(.dueToday, "en").render(sample(link: "").templateValue)
        #expect(!r.html.contains("<a "))
        #expect(!r.text.contains("pay online at:"))
        #expect(!r.text.contains("\n\n\n"))
        #expect(!r.letter.contains("\n\n\n"))
    }

    @Test func collectorSignatureReplacesNameAndCompany() throws {
        let signature = "Juan Pérez\nCobranza · Aceros del Norte\nTel. +52 81 5555 0101"
        let r = try parts(.overdue15, "es").render(sample(signature: signature).templateValue)
        #expect(r.text.contains("Atentamente,\n" + signature + "\n"))
        #expect(!r.text.contains("Juan Pérez\nAceros del Norte, S.A. de C.V."))
        #expect(r.html.contains("Atentamente,\n" + signature + "</p>"))
        let fallback = try parts(.overdue15, "es").render(sample().templateValue)
        #expect(fallback.text.contains("Atentamente,\nJuan Pérez\nAceros del Norte, S.A. de C.V.\n"))
    }

    @Test func textPartsHaveNoRunsOfBlankLines() throws {
        for (key, language) in keyLanguagePairs {
            let r = try parts(key, language).render(sample().templateValue)
            #expect(!r.text.contains("\n\n\n") && !r.letter.contains("\n\n\n"), "\(key) \(language)")
            #expect(!r.text.hasPrefix("\n") && !r.letter.hasPrefix("\n"))
        }
    }

    @Test func everyMessageSaysHowToDisputeAndWhoToContact() throws {
        let dispute = ["es": "no está de acuerdo", "en": "disagree", "fr": "contestez", "pt": "discordância"]
        for (key, language) in keyLanguagePairs {
            let r = try parts(key, language).render(sample().templateValue)
            for body in [r.html, r.text, r.letter] {
                #expect(body.contains(dispute[language] ?? "?"), "\(key) \(language)")
                #expect(body.contains("juan.perez@aceros.example"))
            }
        }
    }

    @Test func noThreateningWords() throws {
        let words = [
            "legal", "abogad", "demanda", "judicial", "juridique", "avocat", "huissier", "advogad", "lawyer", "court",
            "tribunal", "embargo", "protesto", "sanction", "penal",
        ]
        for (key, language) in keyLanguagePairs {
            let lang = try #require(MessageLanguage(rawValue: language))
            let sources = try #require(DefaultTemplates.sources(key, lang))
            for part in MessagePart.allCases {
                let text = sources[part].lowercased()
                for w in words { #expect(!text.contains(w), "\(key) \(language) \(part) contains \(w)") }
            }
        }
    }

    @Test func laterStepsAskForActionEarlierOnesDoNot() throws {
        // Firmness grows: the final notice offers a payment plan with the named collector; the first reminder only informs.
        let first = try parts(.reminderBeforeDue, "es").render(sample().templateValue).text
        let last = try parts(.finalNotice45, "es").render(sample().templateValue).text
        #expect(first.contains("puede ignorar este recordatorio"))
        #expect(last.contains("plan de pagos"))
        #expect(last.contains("contacto con Juan Pérez"))
    }

    @Test func partsRoundTripThroughTheirSources() throws {
        let p = try parts(.overdue7, "pt")
        #expect(try MessageParts(p.sources, schema: .reminder) == p)
    }

    @Test func aBrokenPartIsNamedInTheRejection() throws {
        var sources = try #require(DefaultTemplates.sources(.overdue7, .en))
        sources.sms = "Pay {{portal_lnk}}"
        do {
            _ = try MessageParts(sources, schema: .reminder)
            Issue.record("should be rejected")
        } catch {
            #expect(error.part == .sms)
            #expect(error.description.hasPrefix("sms: line 1, column 5: unknown variable 'portal_lnk'; did you mean 'portal_link'?"))
        }
    }
}
