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
        let found = try await db.read { c -> (CompanyRecord, String)? in
            guard let (companyID, name) = try await TokenStore.authenticate(c, token: token),
                  let company = try await CompanyStore.find(c, id: companyID) else { return nil }
            return (company, name)
        }
        guard let (company, name) = found else { throw Problem.unauthorized() }
        var ctx = context
        ctx.company = company
        ctx.actor = "token:\(name)"
        return try await next(request, ctx)
    }
}
