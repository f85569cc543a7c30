/// Why a message (or a whole delivery pass) did not go out. ``permanent`` errors will not succeed on retry; the
/// outbox marks the message failed. Others are retried with backoff.
public enum DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting is missing or invalid (names the variable and what is valid).
    case configuration(String)
    /// The server could not be reached, or the connection broke.
    case connection(String)
    /// An SMTP reply other than the one expected: 5xx is permanent, 4xx temporary (RFC 5321).
    case reply(code: Int, text: String, during: String)
    /// A gateway (e.g. SMS over HTTP) answered, and refused the message.
    case refused(String, permanent: Bool)

    public var permanent: Bool {
        switch self {
        case .configuration: return true
        case .connection: return false
        case .reply(let code, _, _): return code >= 500
        case .refused(_, let permanent): return permanent
        }
    }

    public var description: String {
        switch self {
        case .configuration(let m): return m
        case .connection(let m): return "connection: \(m)"
        case .reply(let code, let text, let during): return "SMTP \(code) after \(during): \(text)"
        case .refused(let m, _): return m
        }
    }
}
