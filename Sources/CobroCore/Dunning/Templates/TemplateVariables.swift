extension TemplateSchema {
    /// The names every reminder, statement and letter template may use (built by ``ReminderContext/templateValue``).
    ///
    /// Money and dates arrive already formatted for the message's language (see ``LocalizedFormat``), so
    /// templates never format anything themselves.
    public static let reminder = TemplateSchema([
        .group(
            "company", "The company that is owed the money",
            [
                .text("name", "Company name as it should appear to customers")
            ]),
        .group(
            "customer", "The customer who owes",
            [
                .text("name", "Customer (legal) name"),
                .text("ref", "Customer reference in the ERP"),
            ]),
        .group(
            "contact", "The person the message is addressed to",
            [
                .text("name", "Contact's name; empty when unknown (use {{#contact.name}}…{{/contact.name}})")
            ]),
        .list(
            "invoices", "The invoices in this message",
            item: [
                .text("ref", "Invoice number"),
                .text("issue_date", "Issue date, formatted"),
                .text("due_date", "Due date, formatted"),
                .text("amount", "Original amount with currency, formatted"),
                .text("open_amount", "Amount still open with currency, formatted"),
                .text("days_past_due", "Days past the due date as a whole number; 0 or negative when not yet overdue"),
                .flag("overdue", "Whether the invoice is past its due date"),
                .text("currency", "ISO 4217 currency code"),
            ]),
        .list(
            "totals", "Open amount per currency, one item per currency, by currency code",
            item: [
                .text("currency", "ISO 4217 currency code"),
                .text("amount", "Open total in that currency, formatted with its code"),
            ]),
        .text("total_due", "Everything open, formatted: one amount, or one per currency joined with ' + '"),
        .text("invoice_count", "How many invoices the message lists, in digits"),
        .flag("single_invoice", "Whether the message lists exactly one invoice (for singular/plural wording)"),
        .text("earliest_due_date", "The earliest due date among the invoices, formatted"),
        .text("portal_link", "Signed link to the customer portal, to pay, download or dispute"),
        .group(
            "collector", "The collector responsible for this customer",
            [
                .text("name", "Collector's name"),
                .text("signature", "Collector's signature block (may span lines); empty when not set"),
                .text("email", "Collector's email; empty when not set"),
                .text("phone", "Collector's phone; empty when not set"),
            ]),
        .group(
            "step", "The dunning step sending this message",
            [
                .text("name", "Step name as configured in the policy")
            ]),
        .text("today", "The date the message is prepared, formatted"),
    ])
}
