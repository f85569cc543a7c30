import CobroCore
import Foundation
import Hummingbird
import NIOCore

/// Any JSON value, decoded exactly (numbers keep their decimal text, so money is never a Double).
enum AnyJSON: Decodable, Sendable {
    case null, bool(Bool), number(Decimal), string(String), array([AnyJSON]), object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Decimal.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([AnyJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: AnyJSON].self)) }
    }
}

/// Reads a JSON request body field by field, collecting every problem with the field's name.
struct JSONInput: Sendable {
    let object: [String: AnyJSON]
    var errors: [Problem.FieldError] = []

    static let maxBody = 1 << 20

    static func parse(_ request: Request) async throws -> JSONInput {
        var req = request
        return try parse(try await req.collectBody(upTo: maxBody))
    }

    /// Parses an already collected body.
    static func parse(_ buffer: ByteBuffer) throws -> JSONInput {
        guard buffer.readableBytes > 0 else { throw Problem.invalid("body", "a JSON object is required") }
        let parsed: AnyJSON
        do {
            parsed = try JSONDecoder().decode(AnyJSON.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem.invalid("body", "the body is not valid JSON")
        }
        guard case .object(let object) = parsed else { throw Problem.invalid("body", "expected a JSON object") }
        return JSONInput(object: object)
    }

    mutating func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }

    func value(_ key: String) -> AnyJSON? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        return v
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let v = value(key) else {
            if required { fail(key, "\(key) is required") }
            return nil
        }
        guard case .string(let s) = v else {
            fail(key, "expected a string")
            return nil
        }
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.isEmpty {
            if required { fail(key, "\(key) must not be empty") }
            return nil
        }
        return t
    }

    /// The text of a decimal amount given as a string (`"1500.00"`) or a JSON number, for parsing in a currency known
    /// later; `nil` when absent (an error when `required`) or of another type.
    mutating func decimalText(_ key: String, required: Bool = false) -> String? {
        switch value(key) {
        case .string(let s)?: return s
        case .number(let n)?: return "\(n)"
        case nil:
            if required { fail(key, "\(key) is required") }
            return nil
        default:
            fail(key, "expected a decimal amount, e.g. \"1500.00\"")
            return nil
        }
    }

    /// A whole number in `range`, or `nil` (absent or null); a fraction, a string or a value out of range is a field
    /// error naming the range.
    mutating func int(_ key: String, range: ClosedRange<Int>) -> Int? {
        guard let v = value(key) else { return nil }
        guard case .number(let n) = v, n >= Decimal(range.lowerBound), n <= Decimal(range.upperBound),
            Decimal(NSDecimalNumber(decimal: n).intValue) == n
        else {
            fail(key, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return NSDecimalNumber(decimal: n).intValue
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else {
            fail(key, "expected true or false")
            return nil
        }
        return b
    }

    mutating func date(_ key: String, required: Bool = false) -> LocalDate? {
        guard let s = string(key, required: required) else { return nil }
        guard let d = LocalDate(iso: s) else {
            fail(key, "\"\(s)\" is not a date; use YYYY-MM-DD")
            return nil
        }
        return d
    }

    mutating func currency(_ key: String, required: Bool = false) -> Currency? {
        guard let s = string(key, required: required) else { return nil }
        guard s.count == 3, let c = Currency(code: s.uppercased()) else {
            fail(key, "\"\(s)\" is not a known ISO 4217 currency code")
            return nil
        }
        return c
    }

    /// An amount given as a decimal string ("1234.50") or a JSON number, in minor units of `currency`.
    mutating func amount(_ key: String, currency: Currency?, required: Bool = false, allowZero: Bool = false) -> Int64? {
        guard let v = value(key) else {
            if required { fail(key, "\(key) is required") }
            return nil
        }
        let text: String
        switch v {
        case .string(let s): text = s
        case .number(let n): text = "\(n)"
        default:
            fail(key, "expected a decimal amount such as \"1234.50\"")
            return nil
        }
        guard let currency else { return nil }
        switch Money.parseMinor(text, currency: currency) {
        case .failure(let e):
            fail(key, e.description)
            return nil
        case .success(let m):
            if m < 0 || (m == 0 && !allowZero) {
                fail(key, allowZero ? "must not be negative" : "must be greater than zero")
                return nil
            }
            return m
        }
    }

    mutating func stringArray(_ key: String, required: Bool = false) -> [String]? {
        guard let v = value(key) else {
            if required { fail(key, "\(key) is required") }
            return nil
        }
        guard case .array(let a) = v else {
            fail(key, "expected an array of strings")
            return nil
        }
        var out: [String] = []
        for item in a {
            guard case .string(let s) = item else {
                fail(key, "expected an array of strings")
                return nil
            }
            out.append(s)
        }
        return out
    }

    /// Throws a 422 problem listing every field error found so far.
    func check() throws {
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }
}

/// Reads query parameters with the same error reporting.
struct QueryInput {
    let request: Request
    var errors: [Problem.FieldError] = []
    init(_ request: Request) { self.request = request }

    func string(_ key: String) -> String? {
        guard let v = request.uri.queryParameters.get(key), !v.isEmpty else { return nil }
        return v
    }

    mutating func required(_ key: String) -> String? {
        guard let v = string(key) else {
            errors.append(.init(field: key, message: "query parameter \(key) is required"))
            return nil
        }
        return v
    }

    mutating func date(_ key: String, required isRequired: Bool = false) -> LocalDate? {
        guard let s = isRequired ? required(key) : string(key) else { return nil }
        guard let d = LocalDate(iso: s) else {
            errors.append(.init(field: key, message: "\"\(s)\" is not a date; use YYYY-MM-DD"))
            return nil
        }
        return d
    }

    mutating func month(_ key: String) -> YearMonth? {
        guard let text = string(key) else { return nil }
        guard let m = YearMonth(iso: text) else {
            errors.append(.init(field: key, message: "\"\(text)\" is not a month; use YYYY-MM, e.g. 2024-06"))
            return nil
        }
        return m
    }

    mutating func int(_ key: String, range: ClosedRange<Int>) -> Int? {
        guard let s = string(key) else { return nil }
        guard let v = Int(s), range.contains(v) else {
            errors.append(.init(field: key, message: "\"\(s)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return v
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let s = string(key) else { return nil }
        switch s.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            errors.append(.init(field: key, message: "\"\(s)\" must be true or false"))
            return nil
        }
    }

    mutating func oneOf<T: RawRepresentable>(_ key: String, _ all: [T]) -> T? where T.RawValue == String {
        guard let s = string(key) else { return nil }
        guard let v = T(rawValue: s) else {
            errors.append(.init(field: key, message: "\"\(s)\" must be one of \(all.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        return v
    }

    /// Keyset pagination: `cursor` (opaque, from `next_cursor`) and `limit` (1–500, default 50).
    mutating func page() -> (after: Int64, limit: Int) {
        let limit = int("limit", range: 1...500) ?? 50
        guard let c = string("cursor") else { return (0, limit) }
        guard let data = Data(base64Encoded: c.replacing("-", with: "+").replacing("_", with: "/").padding(toLength: ((c.count + 3) / 4) * 4, withPad: "=", startingAt: 0)),
              let s = String(data: data, encoding: .utf8), s.hasPrefix("id:"), let id = Int64(s.dropFirst(3)), id >= 0
        else {
            errors.append(.init(field: "cursor", message: "not a cursor returned by this API (use next_cursor from the previous page)"))
            return (0, limit)
        }
        return (id, limit)
    }

    func check() throws {
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }
}

enum Cursor {
    static func encode(_ id: Int64) -> String {
        Data("id:\(id)".utf8).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }
    /// `{"data": [...], "next_cursor": …}` where the cursor is present only if the page was full.
    static func page<T>(_ items: [T], limit: Int, id: (T) -> Int64, render: (T) -> JSONValue) -> JSONValue {
        let next: JSONValue = items.count == limit ? items.last.map { .string(encode(id($0))) } ?? .null : .null
        return .object([("data", .array(items.map(render))), ("next_cursor", next)])
    }
}

extension Response {
    static func json(_ v: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: v.bytes())))
    }
    static func text(_ s: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}
