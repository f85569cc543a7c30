import CobroCore
import CobroStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What the customer sees in the portal.
struct PortalPage: Sendable {
    struct Item: Sendable {
        var ref: String
        var issued: String
        var due: String
        var amount: String
        var open: String
        var pill: Pill
        var disputed: Bool
    }
    var lang: String
    var t: [String: String]
    var token: String
    var company: String
    var customer: String
    var items: [Item]
    var noItems: Bool
    var totals: [String]
    var reasons: [Option]
    var defaultPromiseDate: String
    var notice: String?
    var error: String?
}

struct PortalMessage: Sendable {
    var lang: String
    var t: [String: String]
    var title: String
    var detail: String?
    var token: String?
    var offerRenewal: Bool
}

/// The customer portal: a contact opens a signed, expiring link (``PortalLink``) and sees the statement and open
/// invoices, downloads the statement PDF, disputes an invoice, promises to pay, or pays through the configured
/// provider. The link is the credential (and, being secret and in the path, also what stops cross-site forms);
/// every request re-checks its signature, expiry and rate limit. The provider confirms payments on
/// `POST /hooks/payments/{company}` with a signed body.
struct PortalController {
    let deps: AppDependencies
    let limiter: RateLimiter
    var db: any Database { deps.db }
    var clock: Clock { deps.clock }

    init(_ deps: AppDependencies) {
        self.deps = deps
        limiter = RateLimiter(limit: deps.web.portalRequestsPerMinute, clock: deps.clock)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("portal/:token", use: page)
        router.get("portal/:token/statement.pdf", use: statement)
        router.post("portal/:token/disputes", use: dispute)
        router.post("portal/:token/promises", use: promise)
        router.post("portal/:token/pay", use: pay)
        router.get("portal/:token/paid", use: paid)
        router.post("portal/:token/renew", use: renew)
        router.get("portal/:token/test-checkout/:intent", use: testCheckout)
        router.post("portal/:token/test-checkout/:intent", use: testCheckoutConfirm)
        router.post("hooks/payments/:company", use: providerWebhook)
    }

    /// A request's verified link and its company, or the page to show instead (invalid, expired, rate-limited).
    enum Access {
        case ok(PortalLink, CompanyRecord, lang: String)
        case refused(Response)
    }

    func access(_ req: Request, _ ctx: AppRequestContext, allowExpired: Bool = false) async throws -> Access {
        let token = try ctx.parameters.require("token")
        let browserLang = WebLanguage.pick(user: nil, acceptLanguage: req.headers[.acceptLanguage], company: nil)
        guard limiter.allow(token) else { return .refused(message(browserLang, "login_rate", status: .tooManyRequests)) }
        let db = self.db
        guard let link = try await PortalLink.verify(token, secret: { company in
            try await db.read { c in try await SecretStore.existing(c, company: company, name: PortalLink.secretName) }
        }), let co = try await db.read({ c in try await CompanyStore.find(c, id: link.company) })
        else { return .refused(message(browserLang, "portal_invalid", status: .notFound)) }
        let lang = try await db.read { c in
            try await c.first("SELECT language FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(co.id), .text(link.customerRef)])?.textOrNil(0)
        }.flatMap(WebLanguage.supported) ?? WebLanguage.pick(user: nil, acceptLanguage: req.headers[.acceptLanguage], company: co.locale)
        if !allowExpired && link.isExpired(today: clock.today(in: co.timezone)) {
            return .refused(WebRenderer.shared.html(
                "portal_message",
                PortalMessage(lang: lang, t: WebText.table(lang), title: WebText.word("portal_expired", lang), detail: WebText.word("portal_expired_offer", lang), token: token, offerRenewal: true),
                status: .gone))
        }
        return .ok(link, co, lang: lang)
    }

    func message(_ lang: String, _ key: String, status: HTTPResponse.Status, detail: String? = nil) -> Response {
        WebRenderer.shared.html(
            "portal_message", PortalMessage(lang: lang, t: WebText.table(lang), title: WebText.word(key, lang), detail: detail, token: nil, offerRenewal: false), status: status)
    }

    @Sendable func page(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard case .ok(let link, let co, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        return try await render(link, co, lang: lang, token: try ctx.parameters.require("token"), notice: req.uri.queryParameters["notice"].map(String.init), error: nil)
    }

    func refusal(_ req: Request, _ ctx: AppRequestContext, allowExpired: Bool = false) async throws -> Response {
        if case .refused(let r) = try await access(req, ctx, allowExpired: allowExpired) { return r }
        throw Problem.notFound("portal")
    }

    func render(_ link: PortalLink, _ co: CompanyRecord, lang: String, token: String, notice: String?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let today = clock.today(in: co.timezone)
        let f = WebFormat(language: lang, companyLocale: co.locale)
        let (name, statements, disputed) = try await db.read { c -> (String, [Statement], Set<String>) in
            let view = try await LedgerQueries(c, company: co.id).customer(ref: link.customerRef)
            let s = try await ReportStore(c, company: co.id).statements(customerRef: link.customerRef, from: today.adding(days: -89), to: today) ?? []
            let d = try await c.query(
                """
                SELECT i.ref FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
                WHERE d.company_id = $1 AND cu.customer_ref = $2 AND d.status IN ('open', 'in_review')
                """, [.int(co.id), .text(link.customerRef)]).map { $0.text(0) }
            return (view?.customer.name ?? link.customerRef, s, Set(d))
        }
        let items = statements.flatMap { s in
            s.openItems.filter { $0.kind != .creditNote }.map { i in
                PortalPage.Item(
                    ref: i.ref, issued: f.date(i.issueDate), due: f.date(i.dueDate), amount: f.money(i.amountMinor, s.currency), open: f.money(i.openMinor, s.currency),
                    pill: f.pill(daysPastDue: i.daysPastDue), disputed: disputed.contains(i.ref))
            }
        }
        let totals = statements.map { s in f.money(s.openItems.reduce(Int64(0)) { $0 + $1.openMinor } - s.unappliedMinor, s.currency) }
        let page = PortalPage(
            lang: lang, t: WebText.table(lang), token: token, company: co.name, customer: name, items: items, noItems: items.isEmpty, totals: totals,
            reasons: DisputeReason.allCases.map { Option(value: $0.rawValue, label: WebText.word("reason_\($0.rawValue)", lang)) },
            defaultPromiseDate: today.adding(days: 7).iso, notice: notice, error: error)
        return WebRenderer.shared.html("portal", page, status: status)
    }

    func back(_ token: String, notice key: String, _ lang: String) -> Response {
        WebResponse.redirect("/portal/\(token)", notice: WebText.word(key, lang))
    }

    @Sendable func statement(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard case .ok(let link, let co, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        let today = clock.today(in: co.timezone)
        guard let pdf = try await StatementFile.pdf(db, company: co, customerRef: link.customerRef, language: lang, today: today) else { throw Problem.notFound("statement") }
        return StatementFile.response(pdf, ref: link.customerRef, today: today)
    }

    /// A dispute from the customer: invoice, reason, comment and an optional file (multipart form).
    @Sendable func dispute(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard case .ok(let link, let co, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        let token = try ctx.parameters.require("token")
        let body = try await req.body.collect(upTo: deps.attachments.maxBytes + (1 << 20))
        let bytes = Array(buffer: body)
        let fields: [String: String], file: MultipartForm.File?
        if let boundary = MultipartForm.boundary(req.headers[.contentType]) {
            guard let m = MultipartForm(body: bytes, boundary: boundary) else {
                return try await render(link, co, lang: lang, token: token, notice: nil, error: "malformed form", status: .badRequest)
            }
            fields = m.fields
            file = m.files.first
        } else {
            fields = WebForm(body: String(decoding: bytes, as: UTF8.self)).fields.compactMapValues(\.first)
            file = nil
        }
        let invoice = fields["invoice"] ?? "", comment = fields["comment"].flatMap { $0.isEmpty ? nil : $0 }
        guard let reason = fields["reason"].flatMap(DisputeReason.init(rawValue:)) else {
            return try await render(link, co, lang: lang, token: token, notice: nil, error: WebText.word("reason", lang) + ": ?", status: .unprocessableContent)
        }
        let today = clock.today(in: co.timezone), now = clock.nowMillis(), settings = deps.attachments
        let actor = "portal:\(link.customerRef)"
        do {
            try await db.transaction { c in
                try await WebApp.requireInvoice(c, company: co.id, customerRef: link.customerRef, invoice: invoice)
                let opened = try await DisputeStore.open(
                    c, company: co.id, invoices: [(ref: invoice, amount: nil)], reason: reason, owner: nil, dueDate: nil, comment: comment, today: today, actor: actor, now: now)
                if let file, let d = opened.first {
                    _ = try await AttachmentStore.add(
                        c, company: co.id, owner: .dispute(d.id), fileName: file.fileName, declaredType: file.contentType, bytes: file.bytes, settings: settings, actor: actor, now: now)
                }
            }
        } catch {
            var form = WebForm(body: "")
            guard form.absorb(error) else {
                if let big = error as? AttachmentTooLarge { return try await render(link, co, lang: lang, token: token, notice: nil, error: big.message, status: .contentTooLarge) }
                throw error
            }
            return try await render(link, co, lang: lang, token: token, notice: nil, error: form.errors.values.sorted().joined(separator: " "), status: .unprocessableContent)
        }
        return back(token, notice: "portal_thanks_dispute", lang)
    }

    @Sendable func promise(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard case .ok(let link, let co, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        let token = try ctx.parameters.require("token")
        let form = try await WebForm.parse(req)
        let today = clock.today(in: co.timezone), now = clock.nowMillis()
        do {
            guard let amount = form.string("amount") else { throw StoreError.invalid(field: "amount", WebText.word("amount", lang) + "?") }
            guard let day = form.string("promise_date").flatMap(LocalDate.init(iso:)) else { throw StoreError.invalid(field: "promise_date", "YYYY-MM-DD") }
            _ = try await db.transaction { c in
                try await PromiseStore.create(
                    c, company: co.id, customerRef: link.customerRef, amountText: amount, currency: nil, promiseDate: day, toleranceDays: 3, invoiceRefs: [], channel: "portal",
                    note: form.string("note"), today: today, actor: "portal:\(link.customerRef)", now: now)
            }
        } catch {
            var f = form
            guard f.absorb(error) else { throw error }
            return try await render(link, co, lang: lang, token: token, notice: nil, error: f.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "), status: .unprocessableContent)
        }
        return back(token, notice: "portal_thanks_promise", lang)
    }

    /// Starts a payment of the selected invoices and sends the customer to the provider's hosted checkout.
    @Sendable func pay(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard case .ok(let link, let co, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        let token = try ctx.parameters.require("token")
        let form = try await WebForm.parse(req)
        let now = clock.nowMillis()
        let intent: PaymentIntent
        do {
            intent = try await db.transaction { c in
                try await PaymentIntentStore.create(c, company: co.id, customerRef: link.customerRef, invoiceRefs: form.all("invoices"), actor: "portal:\(link.customerRef)", now: now)
            }
        } catch {
            var f = form
            guard f.absorb(error) else { throw error }
            return try await render(link, co, lang: lang, token: token, notice: nil, error: f.errors.values.sorted().joined(separator: " "), status: .unprocessableContent)
        }
        let returnURL = deps.web.publicURL + "/portal/\(token)/paid"
        guard let checkout = deps.web.checkoutURL else { return WebResponse.redirect("/portal/\(token)/test-checkout/\(intent.id)") }
        let amount = Money(minor: intent.amountMinor, intent.currency).decimalString
        let q: [(String, String)] = [("intent", "\(co.slug)-\(intent.id)"), ("amount", amount), ("currency", intent.currency.code), ("return", returnURL)]
        let query = q.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .unreservedURL) ?? "")" }.joined(separator: "&")
        return WebResponse.redirect(checkout + (checkout.contains("?") ? "&" : "?") + query)
    }

    @Sendable func paid(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard case .ok(_, _, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        return back(try ctx.parameters.require("token"), notice: "portal_paid", lang)
    }

    /// An expired link's "send me a new one": to the primary contact's email on file, never to an address typed in.
    @Sendable func renew(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard case .ok(let link, let co, let lang) = try await access(req, ctx, allowExpired: true) else { return try await refusal(req, ctx, allowExpired: true) }
        let today = clock.today(in: co.timezone)
        let email = try await db.read { c in try await LedgerQueries(c, company: co.id).billingEmail(customerRef: link.customerRef) }
        if let email {
            let fresh = try await db.transaction { c in try await PortalLinks.token(c, company: co.id, customerRef: link.customerRef, today: today) }
            let url = deps.web.publicURL + "/portal/" + fresh
            let text = lang == "es" ? "Este es su nuevo enlace al portal de \(co.name) (válido 30 días):\n\(url)\n" : "Here is your new link to the \(co.name) portal (valid for 30 days):\n\(url)\n"
            do { try await deps.mailer.send(email, lang == "es" ? "Su enlace al portal de \(co.name)" : "Your \(co.name) portal link", text) } catch {
                deps.logger.error("portal link email for \(link.customerRef) failed: \(error)")
            }
            try await db.transaction { c in
                try await Audit.record(c, company: co.id, actor: "portal:\(link.customerRef)", action: "portal.link_renewed", entity: "customer", ref: link.customerRef,
                                       before: nil, after: ["sent_to": email], at: clock.nowMillis())
            }
        }
        return message(lang, "portal_new_sent", status: .ok)
    }

    // MARK: provider

    /// The provider's signed confirmation: JSON `{"intent": "<company slug>-<id>", "status": "succeeded"|"failed",
    /// "amount": "123.45", "currency": "USD", "provider_ref": "…"}`, header `Cobro-Provider-Signature`.
    @Sendable func providerWebhook(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let slug = try ctx.parameters.require("company")
        let body = Array(buffer: try await req.body.collect(upTo: 64 << 10))
        guard let co = try await db.read({ c in try await CompanyStore.find(c, slug: slug) }) else { throw Problem.notFound("company \(slug) does not exist") }
        let secret = try await db.transaction { c in try await SecretStore.secret(c, company: co.id, name: ProviderSignature.secretName) }
        guard ProviderSignature.verify(header: req.headers[ProviderSignature.header], body: body, secret: secret, nowSeconds: clock.nowMillis() / 1000) else {
            throw Problem(.unauthorized, "Unauthorized", detail: "the Cobro-Provider-Signature header is missing, stale (over 5 minutes) or does not match the body")
        }
        var j = try JSONInput.parse(ByteBuffer(bytes: body))
        let intentText = j.string("intent", required: true) ?? ""
        let status = j.string("status", required: true)
        let currency = j.currency("currency", required: true)
        let amount = j.amount("amount", currency: currency, required: true)
        let providerRef = j.string("provider_ref")
        if let status, status != "succeeded" && status != "failed" { j.fail("status", "\"\(status)\" is not succeeded or failed") }
        let prefix = "\(co.slug)-"
        let id = intentText.hasPrefix(prefix) ? Int64(intentText.dropFirst(prefix.count)) : nil
        if !intentText.isEmpty && id == nil { j.fail("intent", "\"\(intentText)\" is not an intent of \(co.slug) (\(prefix)<id>)") }
        try j.check()
        let intent = try await confirm(co, id: id!, succeeded: status == "succeeded", amountMinor: amount!, currency: currency!, providerRef: providerRef)
        return .json(.object([("intent", .string(intentText)), ("status", .string(intent.status.rawValue))]))
    }

    func confirm(_ co: CompanyRecord, id: Int64, succeeded: Bool, amountMinor: Int64, currency: Currency, providerRef: String?) async throws -> PaymentIntent {
        let now = clock.nowMillis(), today = clock.today(in: co.timezone)
        return try await db.transaction { c in
            let writer = LedgerWriter(c, company: co.id, actor: "provider", now: now, events: try await EventSink.load(c, company: co.id))
            return try await PaymentIntentStore.confirm(
                c, company: co.id, id: id, succeeded: succeeded, amountMinor: amountMinor, currency: currency, providerRef: providerRef, day: today, writer: writer, now: now)
        }
    }

    // MARK: test checkout (no provider configured)

    struct CheckoutPage: Sendable {
        var lang: String
        var t: [String: String]
        var token: String
        var intent: Int64
        var amount: String
    }

    /// Without `COBRO_CHECKOUT_URL` the portal's payments go to this stand-in for a hosted checkout, which confirms
    /// through the same code path as the provider's webhook. It says plainly that it is a test.
    @Sendable func testCheckout(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard deps.web.checkoutURL == nil else { throw Problem.notFound("test checkout is off: a payment provider is configured") }
        guard case .ok(let link, let co, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        guard let id = Int64(try ctx.parameters.require("intent")),
            let intent = try await db.read({ c in try await PaymentIntentStore.get(c, company: co.id, id: id) }), intent.customerRef == link.customerRef
        else { throw Problem.notFound("payment intent") }
        let f = WebFormat(language: lang, companyLocale: co.locale)
        return WebRenderer.shared.html(
            "checkout", CheckoutPage(lang: lang, t: WebText.table(lang), token: try ctx.parameters.require("token"), intent: id, amount: f.money(intent.amountMinor, intent.currency)))
    }

    @Sendable func testCheckoutConfirm(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        guard deps.web.checkoutURL == nil else { throw Problem.notFound("test checkout is off: a payment provider is configured") }
        guard case .ok(let link, let co, let lang) = try await access(req, ctx) else { return try await refusal(req, ctx) }
        let token = try ctx.parameters.require("token")
        let form = try await WebForm.parse(req)
        guard let id = Int64(try ctx.parameters.require("intent")),
            let intent = try await db.read({ c in try await PaymentIntentStore.get(c, company: co.id, id: id) }), intent.customerRef == link.customerRef
        else { throw Problem.notFound("payment intent") }
        let succeeded = form.string("result") == "succeeded"
        _ = try await confirm(co, id: id, succeeded: succeeded, amountMinor: intent.amountMinor, currency: intent.currency, providerRef: "test-\(id)")
        return back(token, notice: succeeded ? "portal_paid" : "portal_cancelled", lang)
    }
}

extension ProviderSignature {
    static let header = HTTPField.Name("Cobro-Provider-Signature")!
}
