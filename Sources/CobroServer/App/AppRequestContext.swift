import CobroStore
import Hummingbird

/// Per-request state: the authenticated company and who is acting.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``BearerAuthMiddleware`` for `/api/v1` routes.
    public var company: CompanyRecord?
    public var actor: String = "anonymous"
    /// The company's ledger version when the request was authenticated (keys the report cache).
    public var ledgerVersion: Int64 = 0
    /// The collector the token acts for; nil for a company-wide token.
    public var collector: String?
    /// Set by ``WebSessionMiddleware`` for the web app's `/app` pages: the signed-in user.
    var web: WebSession?
    /// The checked form of a web POST (its CSRF token matched the session's).
    var form: WebForm?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// The authenticated company; routes behind the auth middleware can rely on it.
    public func requireCompany() throws -> CompanyRecord {
        guard let company else { throw Problem.unauthorized() }
        return company
    }
}
