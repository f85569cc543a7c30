import CobroCore
import CobroStore
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1` routes for attached files. Upload is the raw file as the body, its type in `Content-Type` and its name
/// in `?file_name=` (a browser form posts the same through the web app).
struct AttachmentsController {
    let db: any Database
    let clock: Clock
    let settings: AttachmentSettings

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        // The same parameter names as the owners' other routes (the router matches one parameter name per level).
        for owner in ["customers/:ref", "invoices/:ref", "disputes/:id", "plans/:id"] {
            api.post("\(owner)/attachments", use: upload)
            api.get("\(owner)/attachments", use: list)
        }
        api.get("attachments/:id", use: get)
        api.get("attachments/:id/content", use: download)
        api.delete("attachments/:id", use: delete)
        api.post("attachments/:id/restore", use: restore)
    }

    static func render(_ a: AttachmentRecord) -> JSONValue {
        .object([
            ("id", .int(a.id)), ("owner", .string(a.ownerKind)), ("owner_ref", .string(a.ownerRef)), ("customer_ref", .string(a.customerRef)),
            ("file_name", .string(a.fileName)), ("content_type", .string(a.contentType)), ("size_bytes", .int(a.sizeBytes)), ("sha256", .string(a.sha256)),
            ("uploaded_at", .string(DunningRendering.instant(a.uploadedAt))), ("uploaded_by", .string(a.uploadedBy)),
            ("deleted_at", a.deletedAt.map { .string(DunningRendering.instant($0)) } ?? .null), ("deleted_by", .optional(a.deletedBy)),
            ("restorable_until", a.purgedAt == nil ? a.restorableUntil.map { .string($0.iso) } ?? .null : .null),
            ("purged", .bool(a.purgedAt != nil)),
        ])
    }

    /// The owner named by the path: `/customers/K1/…`, `/invoices/INV-1/…`, `/disputes/7/…`, `/plans/3/…`.
    func owner(_ req: Request, _ ctx: AppRequestContext) throws -> AttachmentOwner {
        let ref = ctx.parameters.get("ref") ?? ctx.parameters.get("id") ?? ""
        let kind = req.uri.path.split(separator: "/").dropFirst(2).first.map(String.init) ?? ""
        switch kind {
        case "customers": return .customer(ref)
        case "invoices": return .invoice(ref)
        case "disputes", "plans":
            guard let id = Int64(ref) else { throw Problem.invalid(kind == "plans" ? "plan" : "dispute", "\"\(ref)\" is not an id") }
            return kind == "plans" ? .plan(id) : .dispute(id)
        default: throw Problem.notFound("no attachments under /\(kind)")
        }
    }

    func id(_ ctx: AppRequestContext) throws -> Int64 {
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not an attachment id") }
        return id
    }

    @Sendable func upload(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let owner = try owner(req, ctx)
        let name = req.uri.queryParameters.get("file_name") ?? ""
        var r = req
        let body: ByteBuffer
        do {
            body = try await r.collectBody(upTo: settings.maxBytes)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge("the file is larger than the limit of \(settings.maxBytes >> 20) MiB", settings.maxBytes)
        }
        let bytes = Array(body.readableBytesView)
        let declared = req.headers[.contentType]
        let created: AttachmentRecord
        do {
            created = try await db.transaction { c in
                try await AttachmentStore.add(
                    c, company: co.id, owner: owner, fileName: name, declaredType: declared, bytes: bytes, settings: settings, actor: ctx.actor,
                    now: clock.nowMillis())
            }
        } catch let e as AttachmentTooLarge {
            throw Self.tooLarge(e.message, e.maxBytes)
        }
        return .json(Self.render(created), status: .created)
    }

    static func tooLarge(_ message: String, _ max: Int) -> Problem {
        Problem(.contentTooLarge, "Content Too Large", detail: "content: \(message)", errors: [.init(field: "content", message: message)])
    }

    @Sendable func list(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let owner = try owner(req, ctx)
        let deletedText = req.uri.queryParameters.get("include_deleted")
        guard deletedText == nil || deletedText == "true" || deletedText == "false" else {
            throw Problem.invalid("include_deleted", "\"\(deletedText!)\" is not true or false")
        }
        let all = try await db.read { c in try await AttachmentStore.list(c, company: co.id, owner: owner, includeDeleted: deletedText == "true") }
        return .json(.object([("data", .array(all.map(Self.render)))]))
    }

    @Sendable func get(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        guard let a = try await db.read({ c in try await AttachmentStore.get(c, company: co.id, id: id) }) else {
            throw Problem.notFound("attachment \(id) does not exist")
        }
        return .json(Self.render(a))
    }

    /// The file itself, never rendered inline by the browser as something else (`nosniff`, attachment disposition,
    /// a sandboxing CSP for the rare viewer that ignores both).
    @Sendable func download(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        let (a, bytes) = try await db.read { c in try await AttachmentStore.content(c, company: co.id, id: id) }
        var headers: HTTPFields = [:]
        headers[.contentType] = a.contentType
        headers[.contentDisposition] = Self.disposition(a.fileName)
        headers[.eTag] = "\"\(a.sha256)\""
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback and the exact UTF-8 name.
    static func disposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~")).subtracting(CharacterSet(charactersIn: "\u{80}"..."\u{10FFFF}"))
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    @Sendable func delete(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        let days = settings.retentionDays
        let a = try await db.transaction { c in
            try await AttachmentStore.delete(c, company: co.id, id: id, retentionDays: days, today: clock.today(in: co.timezone), actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(a))
    }

    @Sendable func restore(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        let a = try await db.transaction { c in try await AttachmentStore.restore(c, company: co.id, id: id, actor: ctx.actor, now: clock.nowMillis()) }
        return .json(Self.render(a))
    }
}
