import CobroCore

extension LedgerWriter {
    /// Adds a contact to a customer (audited). A new primary contact demotes the previous one. Refused for a customer
    /// the retention run erased.
    public func addContact(customerID: Int64, customerRef: String, name: String, role: String?, email: String?, phone: String?,
                           language: String?, preferredChannel: String?, isPrimary: Bool) async throws -> Int64 {
        if let erased = try await c.first("SELECT erased_at FROM customer WHERE company_id = $1 AND id = $2", [.int(company), .int(customerID)])?.intOrNil(0) {
            throw LedgerError.erased(customerRef, at: erased)
        }
        if isPrimary {
            try await c.execute("UPDATE contact SET is_primary = 0, updated_at = $3 WHERE company_id = $1 AND customer_id = $2", [.int(company), .int(customerID), .int(now)])
        }
        let id = try await c.first(
            """
            INSERT INTO contact (company_id, customer_id, name, role, email, phone, language, preferred_channel, is_primary, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id
            """,
            [.int(company), .int(customerID), .text(name), .of(role), .of(email), .of(phone), .of(language), .of(preferredChannel), .of(isPrimary), .int(now)])!.int(0)
        try await Audit.record(c, company: company, actor: actor, action: "contact.create", entity: "contact", ref: customerRef, before: nil,
                               after: ["name": name, "email": email ?? "", "phone": phone ?? "", "primary": String(isPrimary)], at: now)
        return id
    }

    /// Applies `amount` of a payment or credit note to an invoice by hand. The allocation counts from the
    /// latest of the credit's date, the invoice's issue date, `on` (if given) and any earlier un-application
    /// on either side — so no past balance is ever counted twice.
    public func applyManually(invoiceRef: String, paymentRef: String?, creditNoteRef: String?, amount: Int64, on: LocalDate?) async throws -> Int64 {
        guard let inv = try await c.first(
            "SELECT id, customer_id, currency, open_amount, issue_day, kind FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(invoiceRef)])
        else { throw StoreError.notFound("invoice \(invoiceRef) does not exist") }
        guard inv.text(5) != DocumentKind.creditNote.rawValue else { throw StoreError.invalid(field: "invoice_ref", "\(invoiceRef) is a credit note; apply credit to invoices or debit notes") }
        let source: CreditSource
        let sourceRow: SQLRow
        switch (paymentRef, creditNoteRef) {
        case (let p?, nil):
            guard let r = try await c.first("SELECT id, customer_id, currency, unapplied_amount, payment_day FROM payment WHERE company_id = $1 AND ref = $2", [.int(company), .text(p)])
            else { throw StoreError.notFound("payment \(p) does not exist") }
            source = .payment(r.int(0))
            sourceRow = r
        case (nil, let cn?):
            guard let r = try await c.first(
                "SELECT id, customer_id, currency, open_amount, issue_day FROM invoice WHERE company_id = $1 AND ref = $2 AND kind = 'credit_note'", [.int(company), .text(cn)])
            else { throw StoreError.notFound("credit note \(cn) does not exist") }
            source = .creditNote(r.int(0))
            sourceRow = r
        default:
            throw StoreError.invalid(field: "payment_ref", "give exactly one of payment_ref or credit_note_ref")
        }
        let field = paymentRef != nil ? "payment_ref" : "credit_note_ref"
        guard sourceRow.int(1) == inv.int(1) else { throw StoreError.invalid(field: field, "the credit belongs to another customer than invoice \(invoiceRef)") }
        guard sourceRow.text(2) == inv.text(2) else { throw StoreError.invalid(field: field, "the credit is in \(sourceRow.text(2)) but invoice \(invoiceRef) is in \(inv.text(2))") }
        let cur = Currency(code: inv.text(2))!
        guard amount > 0 else { throw StoreError.invalid(field: "amount", "must be greater than zero") }
        guard amount <= inv.int(3) else {
            throw StoreError.invalid(field: "amount", "\(Money(minor: amount, cur).decimalString) exceeds the \(Money(minor: inv.int(3), cur).decimalString) open on \(invoiceRef)")
        }
        guard amount <= sourceRow.int(3) else {
            throw StoreError.invalid(field: "amount", "\(Money(minor: amount, cur).decimalString) exceeds the \(Money(minor: sourceRow.int(3), cur).decimalString) unapplied on the credit")
        }
        var day = CashApplication.effectiveDate(creditDate: LocalDate(dayNumber: Int(sourceRow.int(4))), itemIssueDate: LocalDate(dayNumber: Int(inv.int(4))))
        if let on { day = max(day, on) }
        let id = try await allocate(source: source, invoiceID: inv.int(0), amount: amount, day: day)
        try await Audit.record(c, company: company, actor: actor, action: "allocation.create", entity: "allocation", ref: String(id), before: nil,
                               after: ["invoice_ref": invoiceRef, field: paymentRef ?? creditNoteRef ?? "", "amount": Money(minor: amount, cur).decimalString], at: now)
        return id
    }

    /// Un-applies an allocation from `on` (default: today): the invoice reopens and the credit becomes unapplied
    /// again from that day. The allocation row stays, with its reversal, as history.
    public func reverseAllocation(id: Int64, on: LocalDate) async throws {
        guard let a = try await c.first(
            "SELECT invoice_id, payment_id, credit_note_id, amount, applied_day, reversed_day FROM allocation WHERE company_id = $1 AND id = $2",
            [.int(company), .int(id)])
        else { throw StoreError.notFound("allocation \(id) does not exist") }
        guard a.intOrNil(5) == nil else { throw StoreError.conflict("allocation \(id) was already un-applied") }
        let day = max(on, LocalDate(dayNumber: Int(a.int(4))))
        let d = Int64(day.dayNumber)
        try await c.execute(
            "UPDATE allocation SET reversed_day = $3, reversed_at = $4, reversed_by = $5 WHERE company_id = $1 AND id = $2",
            [.int(company), .int(id), .int(d), .int(now), .text(actor)])
        let bump = "last_alloc_day = CASE WHEN last_alloc_day IS NULL OR last_alloc_day < $4 THEN $4 ELSE last_alloc_day END, updated_at = $5"
        try await c.execute("UPDATE invoice SET open_amount = open_amount + $3, \(bump) WHERE company_id = $1 AND id = $2",
                            [.int(company), .int(a.int(0)), .int(a.int(3)), .int(d), .int(now)])
        if let p = a.intOrNil(1) {
            try await c.execute("UPDATE payment SET unapplied_amount = unapplied_amount + $3, \(bump) WHERE company_id = $1 AND id = $2",
                                [.int(company), .int(p), .int(a.int(3)), .int(d), .int(now)])
        } else if let cn = a.intOrNil(2) {
            try await c.execute("UPDATE invoice SET open_amount = open_amount + $3, \(bump) WHERE company_id = $1 AND id = $2",
                                [.int(company), .int(cn), .int(a.int(3)), .int(d), .int(now)])
        }
        try await Audit.record(c, company: company, actor: actor, action: "allocation.reverse", entity: "allocation", ref: String(id),
                               before: ["reversed_on": ""], after: ["reversed_on": day.iso], at: now)
        // A payment un-applied from an invoice takes back the early-payment discount it earned there.
        if let p = a.intOrNil(1), let discount = try await c.first(
            """
            SELECT al.id FROM allocation al JOIN invoice n ON n.company_id = al.company_id AND n.id = al.credit_note_id
            WHERE al.company_id = $1 AND al.invoice_id = $2 AND n.ref = $3 AND al.reversed_day IS NULL
            """, [.int(company), .int(a.int(0)), .text(LedgerWriter.discountRef(paymentID: p, invoiceID: a.int(0)))])
        {
            try await reverseAllocation(id: discount.int(0), on: day)
        }
    }
}
