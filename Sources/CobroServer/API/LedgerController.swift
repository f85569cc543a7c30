import CobroCore
import CobroStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1` routes for customers, contacts, invoices, payments and allocations.
struct LedgerController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("company", use: company)
        api.get("customers", use: listCustomers)
        api.post("customers", use: upsertCustomer)
        api.get("customers/:ref", use: getCustomer)
        api.get("customers/:ref/contacts", use: listContacts)
        api.post("customers/:ref/contacts", use: createContact)
        api.get("invoices", use: listInvoices)
        api.post("invoices", use: upsertInvoice)
        api.get("invoices/:ref", use: getInvoice)
        api.get("payments", use: listPayments)
        api.post("payments", use: createPayment)
        api.get("payments/:ref", use: getPayment)
        api.get("allocations", use: listAllocations)
        api.post("allocations", use: createAllocation)
        api.post("allocations/:id/reverse", use: reverseAllocation)
        api.get("audit", use: listAudit)
    }

    func writer(_ c: any Connection, _ company: CompanyRecord, _ ctx: AppRequestContext) async throws -> LedgerWriter {
        LedgerWriter(c, company: company.id, actor: ctx.actor, now: clock.nowMillis(), events: try await EventSink.load(c, company: company.id))
    }

    @Sendable func company(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        return .json(.object([
            ("slug", .string(co.slug)), ("name", .string(co.name)), ("base_currency", .string(co.baseCurrency.code)),
            ("timezone", .string(co.timezone)), ("locale", .string(co.locale)),
            ("aging_buckets", .array(co.agingBuckets.bounds.map { .int($0) })), ("today", .string(clock.today(in: co.timezone).iso)),
        ]))
    }

    // MARK: Customers

    @Sendable func listCustomers(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        try q.check()
        let search = q.string("q")
        let rows = try await db.read { c in try await LedgerQueries(c, company: co.id).customers(after: page.after, limit: page.limit, search: search) }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id) { Representation.customer($0, base: co.baseCurrency) })
    }

    @Sendable func getCustomer(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        guard let v = try await db.read({ c in try await LedgerQueries(c, company: co.id).customer(ref: ref) }) else {
            throw Problem.notFound("customer \(ref) does not exist")
        }
        return .json(Representation.customer(v, base: co.baseCurrency))
    }

    /// Creates or updates a customer by `ref` (201 when created, 200 otherwise).
    @Sendable func upsertCustomer(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var j = try await JSONInput.parse(req)
        let ref = j.string("ref", required: true)
        let name = j.string("name", required: true)
        let email = j.string("email")
        if let email, !Validation.isEmail(email) { j.fail("email", "\"\(email)\" is not an email address") }
        let language = j.string("language")
        if let language, !Validation.isLanguageTag(language) { j.fail("language", "\"\(language)\" is not a BCP 47 language tag (e.g. es-MX)") }
        let tz = j.string("timezone")
        if let tz, !Validation.isTimeZone(tz) { j.fail("timezone", "\"\(tz)\" is not an IANA time zone (e.g. America/Mexico_City)") }
        let country = j.string("country")
        if let country, !Validation.isCountry(country) { j.fail("country", "\"\(country)\" is not an ISO 3166 alpha-2 code") }
        let currency = j.currency("currency")
        let limit = j.amount("credit_limit", currency: currency ?? co.baseCurrency, allowZero: true)
        let customer = Customer(
            ref: ref ?? "", name: name ?? "", email: email, phone: j.string("phone"), language: language, timezone: tz,
            country: country?.uppercased(), segment: j.string("segment"), strategic: j.bool("strategic") ?? false, creditLimitMinor: limit, currency: currency)
        try j.check()
        let ctxCopy = ctx
        let (outcome, view) = try await db.transaction { c in
            let o = try await writer(c, co, ctxCopy).upsertCustomer(customer, importID: nil).get()
            return (o, try await LedgerQueries(c, company: co.id).customer(ref: customer.ref)!)
        }
        return .json(Representation.customer(view, base: co.baseCurrency), status: outcomeStatus(outcome))
    }

    func outcomeStatus(_ o: UpsertOutcome) -> HTTPResponse.Status {
        if case .inserted = o { return .created }
        return .ok
    }

    @Sendable func listContacts(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        let contacts = try await db.read { c -> [ContactView]? in
            guard let cu = try await LedgerQueries(c, company: co.id).customer(ref: ref) else { return nil }
            return try await LedgerQueries(c, company: co.id).contacts(customerID: cu.id)
        }
        guard let contacts else { throw Problem.notFound("customer \(ref) does not exist") }
        return .json(.object([("data", .array(contacts.map(Representation.contact))), ("next_cursor", .null)]))
    }

    @Sendable func createContact(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let name = j.string("name", required: true)
        let email = j.string("email")
        if let email, !Validation.isEmail(email) { j.fail("email", "\"\(email)\" is not an email address") }
        let language = j.string("language")
        if let language, !Validation.isLanguageTag(language) { j.fail("language", "\"\(language)\" is not a BCP 47 language tag") }
        let channel = j.string("preferred_channel")
        if let channel, !["email", "sms", "letter", "phone"].contains(channel) { j.fail("preferred_channel", "must be one of email, sms, letter, phone") }
        let role = j.string("role"), phone = j.string("phone"), primary = j.bool("is_primary") ?? false
        try j.check()
        let ctxCopy = ctx
        let view = try await db.transaction { c -> ContactView? in
            guard let cu = try await LedgerQueries(c, company: co.id).customer(ref: ref) else { return nil }
            let id = try await writer(c, co, ctxCopy).addContact(
                customerID: cu.id, customerRef: ref, name: name!, role: role, email: email, phone: phone, language: language,
                preferredChannel: channel, isPrimary: primary)
            return try await LedgerQueries(c, company: co.id).contacts(customerID: cu.id).first { $0.id == id }
        }
        guard let view else { throw Problem.notFound("customer \(ref) does not exist") }
        return .json(Representation.contact(view), status: .created)
    }

    // MARK: Invoices

    @Sendable func listInvoices(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        var f = DocumentFilter()
        f.customerRef = q.string("customer")
        f.status = q.oneOf("status", [DocumentFilter.Status.open, .paid])
        f.kind = q.oneOf("kind", DocumentKind.allCases)
        f.dueBefore = q.date("due_before")
        f.dueAfter = q.date("due_after")
        let today = clock.today(in: co.timezone)
        if q.bool("overdue") == true { f.overdueOn = today }
        let page = q.page()
        try q.check()
        let filter = f
        let rows = try await db.read { c in try await LedgerQueries(c, company: co.id).documents(filter, after: page.after, limit: page.limit) }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id) { Representation.document($0, today: today) })
    }

    @Sendable func getInvoice(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        let found = try await db.read { c -> (DocumentView, [AllocationView])? in
            let q = LedgerQueries(c, company: co.id)
            guard let d = try await q.document(ref: ref) else { return nil }
            let allocs = d.document.kind == .creditNote ? try await q.allocations(creditNoteID: d.id) : try await q.allocations(invoiceID: d.id)
            return (d, allocs)
        }
        guard let (d, allocs) = found else { throw Problem.notFound("invoice \(ref) does not exist") }
        guard case .object(var fields) = Representation.document(d, today: clock.today(in: co.timezone)) else { fatalError("document renders an object") }
        fields.append(("allocations", .array(allocs.map(Representation.allocation))))
        return .json(.object(fields))
    }

    /// Creates or updates an invoice, debit note or credit note by `ref` (the CSV import's rules).
    @Sendable func upsertInvoice(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var j = try await JSONInput.parse(req)
        let ref = j.string("ref", required: true)
        let customerRef = j.string("customer_ref", required: true)
        let issue = j.date("issue_date", required: true)
        let due = j.date("due_date", required: true)
        let currency = j.currency("currency", required: true)
        let amount = j.amount("amount", currency: currency, required: true)
        var kind = DocumentKind.invoice
        if let k = j.string("kind") { if let v = DocumentKind(rawValue: k) { kind = v } else { j.fail("kind", "must be one of invoice, credit_note, debit_note") } }
        var channel: BillingChannel?
        if let ch = j.string("billing_channel") { channel = BillingChannel(rawValue: ch); if channel == nil { j.fail("billing_channel", "must be one of paper, electronic, portal") } }
        if let issue, let due, due < issue { j.fail("due_date", "due date \(due.iso) is before issue date \(issue.iso)") }
        let desc = j.string("description"), terms = j.string("terms"), po = j.string("po_number"), disputed = j.bool("disputed") ?? false
        try j.check()
        let doc = Document(ref: ref!, customerRef: customerRef!, kind: kind, issueDate: issue!, dueDate: due!, currency: currency!, amountMinor: amount!,
                           description: desc, terms: terms, poNumber: po, billingChannel: channel, disputed: disputed)
        let ctxCopy = ctx
        let (outcome, view) = try await db.transaction { c -> (UpsertOutcome, DocumentView) in
            guard let cid = try await LedgerQueries(c, company: co.id).customer(ref: doc.customerRef)?.id else {
                throw LedgerError(field: "customer_ref", "unknown customer \"\(doc.customerRef)\"; create the customer first")
            }
            switch try await writer(c, co, ctxCopy).upsertDocument(doc, customerID: cid, importID: nil) {
            case .failure(let e): throw e
            case .success(let o): return (o, try await LedgerQueries(c, company: co.id).document(ref: doc.ref)!)
            }
        }
        return .json(Representation.document(view, today: clock.today(in: co.timezone)), status: outcomeStatus(outcome))
    }

    // MARK: Payments

    @Sendable func listPayments(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        try q.check()
        let customer = q.string("customer")
        let rows = try await db.read { c in try await LedgerQueries(c, company: co.id).payments(customerRef: customer, after: page.after, limit: page.limit) }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id, render: Representation.payment))
    }

    @Sendable func getPayment(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        let found = try await db.read { c -> (PaymentView, [AllocationView])? in
            let q = LedgerQueries(c, company: co.id)
            guard let p = try await q.payment(ref: ref) else { return nil }
            return (p, try await q.allocations(paymentID: p.id))
        }
        guard let (p, allocs) = found else { throw Problem.notFound("payment \(ref) does not exist") }
        guard case .object(var fields) = Representation.payment(p) else { fatalError("payment renders an object") }
        fields.append(("allocations", .array(allocs.map(Representation.allocation))))
        return .json(.object(fields))
    }

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    /// Records a payment and applies it. With `Idempotency-Key`, a retry with the same body returns the first
    /// response (and records nothing new); the same key with a different body is refused with 422.
    @Sendable func createPayment(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var request = req
        let body = try await request.collectBody(upTo: JSONInput.maxBody)
        let key = req.headers[LedgerController.idempotencyKey]
        if let key, key.isEmpty || key.count > 255 { throw Problem.invalid("Idempotency-Key", "must be 1–255 characters") }
        let hash = SHA256.hash(data: Data(body.readableBytesView)).map { String(format: "%02x", $0) }.joined()
        var j = try JSONInput.parse(body)
        let ref = j.string("ref", required: true)
        let customerRef = j.string("customer_ref", required: true)
        let date = j.date("date", required: true)
        let currency = j.currency("currency", required: true)
        let amount = j.amount("amount", currency: currency, required: true)
        let invoiceRef = j.string("invoice_ref"), method = j.string("method"), reference = j.string("reference")
        try j.check()
        let payment = Payment(ref: ref!, customerRef: customerRef!, date: date!, currency: currency!, amountMinor: amount!, invoiceRef: invoiceRef, method: method, reference: reference)
        let ctxCopy = ctx
        let (status, text) = try await db.transaction { c -> (Int, String) in
            if let key {
                switch try await IdempotencyStore.lookup(c, company: co.id, key: key, requestHash: hash) {
                case .replay(let status, let body): return (status, body)
                case .mismatch: throw Problem.invalid("Idempotency-Key", "this key was already used with a different request body")
                case .new: break
                }
            }
            let w = try await writer(c, co, ctxCopy)
            guard let cid = try await w.customerID(ref: payment.customerRef) else {
                throw LedgerError(field: "customer_ref", "unknown customer \"\(payment.customerRef)\"")
            }
            let outcome: UpsertOutcome
            switch try await w.recordPayment(payment, customerID: cid, importID: nil) {
            case .failure(var e):
                if e.field == "payment_date" { e.field = "date" }  // the CSV column's JSON name
                throw e
            case .success(let o): outcome = o
            }
            let q = LedgerQueries(c, company: co.id)
            let view = try await q.payment(ref: payment.ref)!
            guard case .object(var fields) = Representation.payment(view) else { fatalError("payment renders an object") }
            fields.append(("allocations", .array(try await q.allocations(paymentID: view.id).map(Representation.allocation))))
            let status = Int(outcomeStatus(outcome).code)
            let text = JSONValue.object(fields).render()
            if let key { try await IdempotencyStore.save(c, company: co.id, key: key, requestHash: hash, status: status, body: text, now: clock.nowMillis()) }
            return (status, text)
        }
        return .text(text, contentType: "application/json; charset=utf-8", status: HTTPResponse.Status(code: status))
    }

    // MARK: Allocations

    @Sendable func listAllocations(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        try q.check()
        let invoiceRef = q.string("invoice"), paymentRef = q.string("payment")
        let rows = try await db.read { c -> [AllocationView]? in
            let lq = LedgerQueries(c, company: co.id)
            var invoiceID: Int64?, paymentID: Int64?, creditID: Int64?
            if let r = invoiceRef {
                guard let d = try await lq.document(ref: r) else { return nil }
                if d.document.kind == .creditNote { creditID = d.id } else { invoiceID = d.id }
            }
            if let r = paymentRef {
                guard let p = try await lq.payment(ref: r) else { return nil }
                paymentID = p.id
            }
            return try await lq.allocations(invoiceID: invoiceID, paymentID: paymentID, creditNoteID: creditID, after: page.after, limit: page.limit)
        }
        guard let rows else { throw Problem.notFound("no such invoice or payment") }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id, render: Representation.allocation))
    }

    @Sendable func createAllocation(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var j = try await JSONInput.parse(req)
        let invoiceRef = j.string("invoice_ref", required: true)
        let paymentRef = j.string("payment_ref"), creditRef = j.string("credit_note_ref")
        if (paymentRef == nil) == (creditRef == nil) { j.fail("payment_ref", "give exactly one of payment_ref or credit_note_ref") }
        let on = j.date("date")
        try j.check()
        let input = j
        let ctxCopy = ctx
        let view = try await db.transaction { c -> AllocationView in
            let lq = LedgerQueries(c, company: co.id)
            guard let inv = try await lq.document(ref: invoiceRef!) else { throw Problem.notFound("invoice \(invoiceRef!) does not exist") }
            var j2 = input
            let amount = j2.amount("amount", currency: inv.document.currency, required: true)
            try j2.check()
            let id = try await writer(c, co, ctxCopy).applyManually(invoiceRef: invoiceRef!, paymentRef: paymentRef, creditNoteRef: creditRef, amount: amount!, on: on)
            return try await lq.allocations(after: id - 1, limit: 1).first!
        }
        return .json(Representation.allocation(view), status: .created)
    }

    @Sendable func reverseAllocation(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        guard let id = Int64(try ctx.parameters.require("id")) else { throw Problem.notFound("allocation ids are numbers") }
        var on = clock.today(in: co.timezone)
        var request = req
        let body = try await request.collectBody(upTo: JSONInput.maxBody)
        if body.readableBytes > 0 {
            var j = try JSONInput.parse(body)
            if let d = j.date("date") { on = d }
            try j.check()
        }
        let day = on
        let ctxCopy = ctx
        let view = try await db.transaction { c -> AllocationView in
            try await writer(c, co, ctxCopy).reverseAllocation(id: id, on: day)
            return try await LedgerQueries(c, company: co.id).allocations(after: id - 1, limit: 1).first!
        }
        return .json(Representation.allocation(view))
    }

    // MARK: Audit

    @Sendable func listAudit(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        let from = q.date("from"), to = q.date("to")
        if let from, let to, to < from { q.errors.append(.init(field: "to", message: "\(to.iso) is before from \(from.iso)")) }
        try q.check()
        // Days are UTC days: from its first millisecond, to the end of `to`.
        let filter = Audit.Filter(
            entity: q.string("entity"), ref: q.string("ref"), actor: q.string("actor"), customerRef: q.string("customer"),
            fromMillis: from.map { Int64($0.dayNumber) * 86_400_000 }, toMillis: to.map { Int64($0.dayNumber + 1) * 86_400_000 })
        let rows = try await db.read { c in try await Audit.list(c, company: co.id, filter, afterID: page.after, limit: page.limit) }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id) { e in
            .object([
                ("id", .int(e.id)), ("at", .int(e.at)), ("actor", .string(e.actor)), ("action", .string(e.action)), ("entity", .string(e.entity)),
                ("entity_ref", .optional(e.entityRef)), ("before", e.before.map(JSONValue.embedded) ?? .null), ("after", e.after.map(JSONValue.embedded) ?? .null),
            ])
        })
    }
}
