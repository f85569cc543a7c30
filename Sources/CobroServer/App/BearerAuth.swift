import Foundation
import CobroStore
import Hummingbird

/// Authenticates `Authorization: Bearer …` against stored token hashes and sets the request's company.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let db: any Database

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { throw Problem.unauthorized() }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let session = try await db.read({ c in try await TokenStore.session(c, token: token) }) else { throw Problem.unauthorized() }
        if session.readOnly && request.method != .get && request.method != .head {
            throw Problem(.forbidden, "Forbidden", detail: "this token is read-only (scope read); create a write token to change data")
        }
        var ctx = context
        ctx.company = session.company
        ctx.ledgerVersion = session.ledgerVersion
        ctx.actor = "token:\(session.name)"
        ctx.collector = session.collector
        return try await next(request, ctx)
    }
}
