/// Everything a reminder template can show, already formatted for the message's language.
///
/// Build it from typed data with ``init(_:format:)``, or directly (e.g. for a preview with sample text);
/// ``templateValue`` is the render context matching ``TemplateSchema/reminder``.
public struct ReminderContext: Hashable, Sendable, Codable {
    /// One row of the invoice table.
    public struct InvoiceLine: Hashable, Sendable, Codable {
        public var ref: String
        public var issueDate: String
        public var dueDate: String
        public var amount: String
        public var openAmount: String
        /// As-of date minus due date: positive when overdue, 0 on the due date, negative before.
        public var daysPastDue: Int
        public var currency: String

        public init(ref: String, issueDate: String, dueDate: String, amount: String, openAmount: String, daysPastDue: Int, currency: String) {
            self.ref = ref
            self.issueDate = issueDate
            self.dueDate = dueDate
            self.amount = amount
            self.openAmount = openAmount
            self.daysPastDue = daysPastDue
            self.currency = currency
        }
    }

    /// The open total in one currency.
    public struct CurrencyTotal: Hashable, Sendable, Codable {
        public var currency: String
        public var amount: String

        public init(currency: String, amount: String) {
            self.currency = currency
            self.amount = amount
        }
    }

    public var companyName: String
    public var customerName: String
    public var customerRef: String
    public var contactName: String
    public var invoices: [InvoiceLine]
    /// One per currency, in currency-code order.
    public var totals: [CurrencyTotal]
    public var portalLink: String
    public var collectorName: String
    public var collectorSignature: String
    public var collectorEmail: String
    public var collectorPhone: String
    public var stepName: String
    public var today: String

    public init(
        companyName: String, customerName: String, customerRef: String, contactName: String = "",
        invoices: [InvoiceLine], totals: [CurrencyTotal], portalLink: String,
        collectorName: String, collectorSignature: String = "", collectorEmail: String = "", collectorPhone: String = "",
        stepName: String, today: String
    ) {
        self.companyName = companyName
        self.customerName = customerName
        self.customerRef = customerRef
        self.contactName = contactName
        self.invoices = invoices
        self.totals = totals
        self.portalLink = portalLink
        self.collectorName = collectorName
        self.collectorSignature = collectorSignature
        self.collectorEmail = collectorEmail
        self.collectorPhone = collectorPhone
        self.stepName = stepName
        self.today = today
    }

    /// All totals joined with ` + ` (one amount in the usual single-currency case).
    public var totalDue: String { totals.map(\.amount).joined(separator: " + ") }

    /// The due date of the most overdue invoice, which is the earliest due date since every line is measured
    /// from the same day; empty without invoices.
    public var earliestDueDate: String {
        guard var best = invoices.first else { return "" }
        for line in invoices.dropFirst() where line.daysPastDue > best.daysPastDue { best = line }
        return best.dueDate
    }

    /// The render context: the names of ``TemplateSchema/reminder``, every one present.
    public var templateValue: TemplateValue {
        .object([
            "company": ["name": .string(companyName)],
            "customer": ["name": .string(customerName), "ref": .string(customerRef)],
            "contact": ["name": .string(contactName)],
            "invoices": .list(
                invoices.map { line in
                    [
                        "ref": .string(line.ref),
                        "issue_date": .string(line.issueDate),
                        "due_date": .string(line.dueDate),
                        "amount": .string(line.amount),
                        "open_amount": .string(line.openAmount),
                        "days_past_due": .string(String(line.daysPastDue)),
                        "overdue": .bool(line.daysPastDue > 0),
                        "currency": .string(line.currency),
                    ]
                }),
            "totals": .list(totals.map { ["currency": .string($0.currency), "amount": .string($0.amount)] }),
            "total_due": .string(totalDue),
            "invoice_count": .string(String(invoices.count)),
            "single_invoice": .bool(invoices.count == 1),
            "earliest_due_date": .string(earliestDueDate),
            "portal_link": .string(portalLink),
            "collector": [
                "name": .string(collectorName), "signature": .string(collectorSignature),
                "email": .string(collectorEmail), "phone": .string(collectorPhone),
            ],
            "step": ["name": .string(stepName)],
            "today": .string(today),
        ])
    }
}

/// The typed facts behind a reminder, before formatting.
public struct ReminderFacts: Hashable, Sendable {
    public struct Invoice: Hashable, Sendable {
        public var ref: String
        public var issueDate: LocalDate
        public var dueDate: LocalDate
        public var amount: Money
        /// What is still open; same currency as `amount`.
        public var open: Money

        public init(ref: String, issueDate: LocalDate, dueDate: LocalDate, amount: Money, open: Money) {
            self.ref = ref
            self.issueDate = issueDate
            self.dueDate = dueDate
            self.amount = amount
            self.open = open
        }
    }

    public var companyName: String
    public var customerName: String
    public var customerRef: String
    public var contactName: String
    /// In the order the message should list them.
    public var invoices: [Invoice]
    public var portalLink: String
    public var collectorName: String
    public var collectorSignature: String
    public var collectorEmail: String
    public var collectorPhone: String
    public var stepName: String
    /// The business date the message is prepared for; days past due are counted to it.
    public var asOf: LocalDate

    public init(
        companyName: String, customerName: String, customerRef: String, contactName: String = "", invoices: [Invoice],
        portalLink: String, collectorName: String, collectorSignature: String = "", collectorEmail: String = "",
        collectorPhone: String = "", stepName: String, asOf: LocalDate
    ) {
        self.companyName = companyName
        self.customerName = customerName
        self.customerRef = customerRef
        self.contactName = contactName
        self.invoices = invoices
        self.portalLink = portalLink
        self.collectorName = collectorName
        self.collectorSignature = collectorSignature
        self.collectorEmail = collectorEmail
        self.collectorPhone = collectorPhone
        self.stepName = stepName
        self.asOf = asOf
    }
}

extension ReminderContext {
    /// Formats `facts` with `format`: dates and amounts as text, days past due counted to `asOf`, and one total
    /// of the open amounts per currency (summed exactly, in currency-code order).
    public init(_ facts: ReminderFacts, format: LocalizedFormat) {
        var sums: [Currency: Int128] = [:]
        for inv in facts.invoices { sums[inv.open.currency, default: 0] += Int128(inv.open.minor) }
        self.init(
            companyName: facts.companyName, customerName: facts.customerName, customerRef: facts.customerRef,
            contactName: facts.contactName,
            invoices: facts.invoices.map { inv in
                InvoiceLine(
                    ref: inv.ref, issueDate: format.date(inv.issueDate), dueDate: format.date(inv.dueDate),
                    amount: format.money(inv.amount), openAmount: format.money(inv.open),
                    daysPastDue: facts.asOf.days(since: inv.dueDate), currency: inv.open.currency.code)
            },
            totals: sums.keys.sorted().map { c in
                CurrencyTotal(currency: c.code, amount: format.amount(minor: sums[c] ?? 0, currency: c))
            },
            portalLink: facts.portalLink, collectorName: facts.collectorName, collectorSignature: facts.collectorSignature,
            collectorEmail: facts.collectorEmail, collectorPhone: facts.collectorPhone, stepName: facts.stepName,
            today: format.date(facts.asOf))
    }
}
