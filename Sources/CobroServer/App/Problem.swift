import CobroCore
import CobroStore
import Hummingbird
import NIOCore

/// An RFC 9457 `application/problem+json` error, with a list of field errors where the input was at fault.
public struct Problem: HTTPResponseError, Sendable {
    public struct FieldError: Sendable, Equatable {
        public var field: String
        public var message: String
        public var line: Int?
        public var column: Int?
        public init(field: String, message: String, line: Int? = nil, column: Int? = nil) {
            self.field = field
            self.message = message
            self.line = line
            self.column = column
        }
    }

    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ title: String, detail: String, errors: [FieldError] = []) {
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields: [(String, JSONValue)] = [
            ("type", .string("https://cobro.dev/problems/\(title.lowercased().replacing(" ", with: "-"))")),
            ("title", .string(title)), ("status", .int(Int(status.code))), ("detail", .string(detail)),
            ("instance", .string(request.uri.path)),
        ]
        if !errors.isEmpty {
            fields.append(("errors", .array(errors.map { e in
                var f: [(String, JSONValue)] = [("field", .string(e.field)), ("message", .string(e.message))]
                if let l = e.line { f.append(("line", .int(l))) }
                if let c = e.column { f.append(("column", .int(c))) }
                return .object(f)
            })))
        }
        var h = headers
        h[.contentType] = "application/problem+json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(fields).render())))
    }

    public static func unauthorized() -> Problem {
        var p = Problem(.unauthorized, "Unauthorized", detail: "send a bearer token: Authorization: Bearer cobro_… (create one with `cobro token create`)")
        p.headers[.wwwAuthenticate] = "Bearer"
        return p
    }
    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, "Not Found", detail: detail) }
    public static func invalid(_ field: String, _ message: String) -> Problem {
        Problem(.unprocessableContent, "Invalid Input", detail: "\(field): \(message)", errors: [FieldError(field: field, message: message)])
    }
    public static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(.unprocessableContent, "Invalid Input", detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }
    public static func conflict(_ detail: String) -> Problem { Problem(.conflict, "Conflict", detail: detail) }

    /// Maps store and ledger errors to problems; anything else stays an internal error.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let e as LedgerError: return Problem.invalid(e.field ?? "body", e.message)
        case let e as StoreError:
            switch e {
            case .notFound(let m): return Problem.notFound(m)
            case .invalid(let f, let m): return Problem.invalid(f, m)
            case .invalidFields(let all): return Problem.invalid(all.map { FieldError(field: $0.field, message: $0.message) })
            case .conflict(let m): return Problem.conflict(m)
            }
        case let e as DatabaseError where e.kind == .busy: return Problem(.serviceUnavailable, "Busy", detail: "the database is busy; retry")
        case let e as DatabaseError where e.kind == .constraint:
            return Problem.conflict("a concurrent request changed the same records (\(e.message)); retry the request")
        default: return error
        }
    }
}

/// Turns store/ledger errors thrown by handlers into problem responses, and unknown errors into a 500 problem
/// (the cause is logged, not shown).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let p as Problem {
            throw p
        } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, "Content Too Large", detail: "the request body is larger than this endpoint accepts (1 MiB for JSON, 4 MiB for a dunning configuration; use /api/v1/imports for CSV files)")
        } catch let e as HTTPError {
            throw Problem(e.status, e.status.reasonPhrase, detail: e.body ?? e.status.reasonPhrase)
        } catch {
            let mapped = Problem.from(error)
            if mapped is Problem { throw mapped }
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            throw Problem(.internalServerError, "Internal Server Error", detail: "the request failed; the error was logged")
        }
    }
}
