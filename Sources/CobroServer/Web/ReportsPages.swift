import CobroCore
import CobroDelivery
import CobroStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every report of Cobro as a page: the same figures as `GET /api/v1/reports/{name}?format=csv` (the page asks
/// the API's own handler in-process, with the signed-in user's company, so the numbers cannot drift apart), shown
/// as a table with the parameters above it, a CSV export, and a chart where one helps.
struct ReportCatalog {
    struct Entry: Sendable {
        var name: String
        var en: String
        var es: String
        /// Query parameters the form offers (dates get date pickers).
        var parameters: [String]
    }

    static let entries: [Entry] = [
        .init(name: "aging", en: "Aging", es: "Antigüedad de saldos", parameters: ["as_of", "basis", "buckets", "rates"]),
        .init(name: "kpis", en: "KPIs (DSO, BPDSO, ADD, CEI)", es: "Indicadores (DSO, DSO óptimo, días de atraso, CEI)", parameters: ["as_of", "window"]),
        .init(name: "statement", en: "Customer statement", es: "Estado de cuenta de un cliente", parameters: ["customer", "from", "to"]),
        .init(name: "cash-forecast", en: "Cash forecast", es: "Pronóstico de cobranza", parameters: ["weeks"]),
        .init(name: "forecast-accuracy", en: "Cash forecast vs actual", es: "Pronóstico contra lo cobrado", parameters: ["made_on"]),
        .init(name: "roll-rates", en: "Roll rates", es: "Tasas de traspaso entre tramos", parameters: ["from", "to"]),
        .init(name: "provision", en: "Bad-debt provision", es: "Estimación de cuentas incobrables", parameters: ["as_of", "loss_rates"]),
        .init(name: "payment-trends", en: "Payment trends", es: "Tendencias de pago", parameters: ["from", "to", "by"]),
        .init(name: "promises", en: "Promises kept", es: "Promesas cumplidas", parameters: ["from", "to"]),
        .init(name: "plans", en: "Payment plans", es: "Acuerdos de pago", parameters: ["from", "to"]),
        .init(name: "disputes", en: "Open disputes", es: "Disputas abiertas", parameters: ["as_of"]),
        .init(name: "default-reasons", en: "Reasons for not paying", es: "Motivos de no pago", parameters: ["from", "to"]),
        .init(name: "contactability", en: "Contactability", es: "Contactabilidad", parameters: ["from", "to"]),
        .init(name: "communication", en: "Reminder effectiveness", es: "Efectividad de los recordatorios", parameters: ["from", "to"]),
        .init(name: "goals", en: "Collector goals", es: "Metas por gestor", parameters: ["month"]),
        .init(name: "discounts", en: "Early-payment discounts", es: "Descuentos por pronto pago", parameters: ["from", "to", "as_of"]),
    ]

    static func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }
}

struct ReportsIndexPage: Sendable {
    struct Item: Sendable {
        var name: String
        var title: String
    }
    var items: [Item]
}

struct ReportPage: Sendable {
    struct Field: Sendable {
        var name: String
        var value: String
        var type: String
    }
    struct Row: Sendable { var cells: [Cell] }
    struct Cell: Sendable {
        var text: String
        var numeric: Bool
    }
    var name: String
    var title: String
    var fields: [Field]
    var header: [String]
    var rows: [Row]
    var empty: Bool
    var csv: String
    var pdf: String
    var chart: String?
    var error: String?
}

/// Runs an API report handler in-process for a web request.
struct ReportRunner: Sendable {
    let responder: any HTTPResponder<AppRequestContext>

    /// The report's CSV body (or the API's error text) for the company of `ctx`.
    func csv(_ name: String, query: String, ctx: AppRequestContext) async throws -> (ok: Bool, body: String) {
        let path = "/api/v1/reports/\(name)?format=csv" + (query.isEmpty ? "" : "&" + query)
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "cobro", path: path), body: .init(buffer: ByteBuffer()))
        let response: Response
        do { response = try await responder.respond(to: request, context: ctx) } catch let e as any HTTPResponseError {
            response = try e.response(from: request, context: ctx)
        }
        var body = ""
        for try await chunk in response.body.stream() { body += String(buffer: chunk) }
        if response.status == .ok { return (true, body) }
        // A problem body: its detail is the message for the user.
        let detail = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["detail"] as? String
        return (false, detail ?? body)
    }

    /// The records of a CSV body (header first); malformed lines are left out.
    static func records(_ csv: String) -> [[String]] {
        var parser = CSVParser()
        return (parser.feed(Array(csv.utf8)) + parser.finish()).compactMap { if case .success(let r) = $0 { r.fields } else { nil } }
    }

    /// The report's table as a PDF (see ``ReportPDF``).
    static func pdf(title: String, company: CompanyRecord, query: String, today: LocalDate, csv: String, pageLabel: PageNumberLabel) -> [UInt8] {
        let records = records(csv)
        let subtitle = [company.name, query.isEmpty ? nil : query.removingPercentEncoding ?? query, today.iso].compactMap { $0 }.joined(separator: " · ")
        return ReportPDF(title: title, subtitle: subtitle, header: records.first ?? [], rows: Array(records.dropFirst()), pageLabel: pageLabel)
            .document(author: company.name).bytes()
    }
}

extension ResponseBody {
    /// The body as chunks (for in-process calls).
    func stream() -> AsyncThrowingStream<ByteBuffer, any Error> {
        AsyncThrowingStream { continuation in
            let writer = CollectingWriter { continuation.yield($0) }
            Task {
                do {
                    try await self.write(writer)
                    continuation.finish()
                } catch { continuation.finish(throwing: error) }
            }
        }
    }
}

/// A ``ResponseBodyWriter`` that hands each buffer to a closure.
struct CollectingWriter: ResponseBodyWriter {
    let sink: @Sendable (ByteBuffer) -> Void
    mutating func write(_ buffer: ByteBuffer) async throws { sink(buffer) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension WebApp {
    @Sendable func reportsIndex(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let items = ReportCatalog.entries.map { ReportsIndexPage.Item(name: $0.name, title: w.lang == "es" ? $0.es : $0.en) }
        return WebRenderer.shared.html("reports", w.model("nav_reports", current: "/app/reports", ReportsIndexPage(items: items)))
    }

    /// The query string of the report's own parameters (anything else in the URL is dropped).
    static func reportQuery(_ entry: ReportCatalog.Entry, _ req: Request) -> String {
        return entry.parameters.compactMap { p in
            guard let v = req.uri.queryParameters[Substring(p)].map(String.init), !v.isEmpty else { return nil }
            return "\(p)=\(v.addingPercentEncoding(withAllowedCharacters: .unreservedURL) ?? "")"
        }.joined(separator: "&")
    }

    @Sendable func report(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        var name = try ctx.parameters.require("name")
        let wantsCSV = name.hasSuffix(".csv"), wantsPDF = name.hasSuffix(".pdf")
        if wantsCSV || wantsPDF { name = String(name.dropLast(4)) }
        guard let entry = ReportCatalog.entry(name) else { return WebPages.message(status: .notFound, title: w.t("not_found") + ": " + name, lang: w.lang) }
        let query = Self.reportQuery(entry, req)
        let (ok, body) = try await reports.csv(name, query: query, ctx: ctx)
        if wantsCSV {
            guard ok else { return WebPages.message(status: .unprocessableContent, title: body, lang: w.lang) }
            var r = Response.text(body, contentType: "text/csv; charset=utf-8")
            r.headers[.contentDisposition] = "attachment; filename=\"\(name).csv\""
            return r
        }
        if wantsPDF {
            guard ok else { return WebPages.message(status: .unprocessableContent, title: body, lang: w.lang) }
            let bytes = ReportRunner.pdf(
                title: w.lang == "es" ? entry.es : entry.en, company: w.company, query: query, today: clock.today(in: w.company.timezone), csv: body,
                pageLabel: PageNumberLabel(w.t("page_of")))
            var r = Response(status: .ok, headers: [.contentType: "application/pdf"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            r.headers[.contentDisposition] = "attachment; filename=\"\(name).pdf\""
            return r
        }
        let records = ok ? ReportRunner.records(body) : []
        let header = records.first ?? []
        // The same test as the PDF's, so a column is right-aligned on the page and on paper alike.
        let rows = records.dropFirst().map { fields in
            ReportPage.Row(cells: fields.map { ReportPage.Cell(text: $0, numeric: ReportPDF.isNumeric($0)) })
        }
        let fields = entry.parameters.map { p in
            ReportPage.Field(
                name: p, value: req.uri.queryParameters[Substring(p)].map(String.init) ?? "", type: ["as_of", "from", "to", "made_on"].contains(p) ? "date" : p == "month" ? "month" : "text")
        }
        var chart: String?
        if ok, name == "aging", !query.contains("basis=issue") {
            let today = clock.today(in: w.company.timezone)
            if query.isEmpty {
                let k = try await DashboardSnapshots.figures(
                    db, company: w.company, today: today, clock: clock, inlineLimitMillis: deps.web.snapshotInlineLimitMillis).today
                chart = Charts.agingBars(title: w.t("aging_chart"), labels: k.agingLabels.map(w.format.bucket), amounts: k.agingTotals) {
                    w.format.money($0, w.company.baseCurrency)
                }
            }
        }
        let page = ReportPage(
            name: name, title: w.lang == "es" ? entry.es : entry.en, fields: fields, header: header, rows: Array(rows), empty: ok && rows.isEmpty,
            csv: "/app/reports/\(name).csv" + (query.isEmpty ? "" : "?" + query), pdf: "/app/reports/\(name).pdf" + (query.isEmpty ? "" : "?" + query), chart: chart, error: ok ? nil : body)
        var model = w.model("nav_reports", current: "/app/reports", page)
        model.chrome.title = page.title
        return WebRenderer.shared.html("report", model, status: ok ? .ok : .unprocessableContent)
    }
}
