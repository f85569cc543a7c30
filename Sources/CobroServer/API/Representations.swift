import CobroCore
import CobroStore

/// JSON shapes of the API's resources (documented in openapi.json).
enum Representation {
    static func amount(_ m: Int64, _ c: Currency) -> JSONValue { .number(Money.format(minor: m, exponent: c.exponent)) }

    static func customer(_ v: CustomerView, base: Currency) -> JSONValue {
        let c = v.customer
        return .object([
            ("ref", .string(c.ref)), ("name", .string(c.name)), ("email", .optional(c.email)), ("phone", .optional(c.phone)),
            ("language", .optional(c.language)), ("timezone", .optional(c.timezone)), ("country", .optional(c.country)),
            ("segment", .optional(c.segment)), ("strategic", .bool(c.strategic)),
            ("credit_limit", c.creditLimitMinor.map { amount($0, c.currency ?? base) } ?? .null),
            ("currency", .optional(c.currency?.code)),
            ("collections", .object([
                ("credit_hold", .bool(v.collections.creditHold)), ("collector", .optional(v.collections.collector)),
                ("hand_over", .optional(v.collections.handOver)), ("handed_over", .bool(v.collections.handedOver)),
                ("dunning_policy", .optional(v.collections.dunningPolicy)), ("broken_promises", .int(v.collections.brokenPromises)),
            ])),
        ])
    }

    static func document(_ v: DocumentView, today: LocalDate) -> JSONValue {
        let d = v.document
        let open = d.kind != .creditNote
        return .object([
            ("ref", .string(d.ref)), ("customer_ref", .string(d.customerRef)), ("kind", .string(d.kind.rawValue)),
            ("issue_date", .string(d.issueDate.iso)), ("due_date", .string(d.dueDate.iso)), ("currency", .string(d.currency.code)),
            ("amount", amount(d.amountMinor, d.currency)),
            (open ? "open_amount" : "unapplied_amount", amount(v.openMinor, d.currency)),
            ("status", .string(v.openMinor > 0 ? "open" : (open ? "paid" : "applied"))),
            ("days_past_due", open && v.openMinor > 0 ? .int(today.days(since: d.dueDate)) : .null),
            ("description", .optional(d.description)), ("terms", .optional(d.terms)), ("po_number", .optional(d.poNumber)),
            ("billing_channel", .optional(d.billingChannel?.rawValue)), ("disputed", .bool(d.disputed)),
        ])
    }

    static func payment(_ v: PaymentView) -> JSONValue {
        let p = v.payment
        return .object([
            ("ref", .string(p.ref)), ("customer_ref", .string(p.customerRef)), ("date", .string(p.date.iso)), ("currency", .string(p.currency.code)),
            ("amount", amount(p.amountMinor, p.currency)), ("unapplied_amount", amount(v.unappliedMinor, p.currency)),
            ("invoice_ref", .optional(p.invoiceRef)), ("method", .optional(p.method)), ("reference", .optional(p.reference)),
        ])
    }

    static func allocation(_ a: AllocationView) -> JSONValue {
        .object([
            ("id", .int(a.id)), ("invoice_ref", .string(a.invoiceRef)), ("payment_ref", .optional(a.paymentRef)),
            ("credit_note_ref", .optional(a.creditNoteRef)), ("currency", .string(a.currency.code)), ("amount", amount(a.amountMinor, a.currency)),
            ("applied_on", .string(a.appliedOn.iso)), ("reversed_on", .optional(a.reversedOn?.iso)), ("status", .string(a.reversedOn == nil ? "active" : "reversed")),
            ("created_by", .string(a.createdBy)), ("reversed_by", .optional(a.reversedBy)),
        ])
    }

    static func contact(_ c: ContactView) -> JSONValue {
        .object([
            ("id", .int(c.id)), ("customer_ref", .string(c.customerRef)), ("name", .string(c.name)), ("role", .optional(c.role)),
            ("email", .optional(c.email)), ("phone", .optional(c.phone)), ("language", .optional(c.language)),
            ("preferred_channel", .optional(c.preferredChannel)), ("is_primary", .bool(c.isPrimary)),
        ])
    }

    static func importSummary(_ s: ImportSummary) -> JSONValue {
        .object([
            ("kind", .string(s.kind.rawValue)), ("strict", .bool(s.strict)), ("committed", .bool(s.committed)), ("rows", .int(s.rows)),
            ("inserted", .int(s.inserted)), ("updated", .int(s.updated)), ("unchanged", .int(s.unchanged)), ("rejected", .int(s.rejected)),
            ("issues", .array(s.issues.map { i in
                .object([("severity", .string(i.severity.rawValue)), ("line", .int(i.line)), ("column", i.column.map { .int($0) } ?? .null),
                         ("field", .optional(i.field)), ("message", .string(i.message))])
            })),
            ("issues_omitted", .int(s.issuesOmitted)),
        ])
    }
}
