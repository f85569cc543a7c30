/// Turns a `DecodingError` into the path of the field at fault and a plain message, for documents people edit
/// (a dunning configuration in JSON or YAML): `assignment.policies[0].steps[2].offset_days: expected a number`.
public enum DecodingErrorPath {
    public static func describe(_ error: any Error) -> (path: String, message: String) {
        guard let e = error as? DecodingError else { return ("body", "\(error)") }
        switch e {
        case .keyNotFound(let key, let ctx):
            return (path(ctx.codingPath + [key]), "is required")
        case .typeMismatch(let type, let ctx):
            return (path(ctx.codingPath), "expected \(name(of: type))")
        case .valueNotFound(let type, let ctx):
            return (path(ctx.codingPath), "expected \(name(of: type)), found null")
        case .dataCorrupted(let ctx):
            return (path(ctx.codingPath), ctx.debugDescription)
        @unknown default:
            return ("body", "\(e)")
        }
    }

    /// `a.b[2].c`; an empty path is `body`.
    public static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for k in keys {
            if let i = k.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? k.stringValue : "." + k.stringValue
            }
        }
        return out.isEmpty ? "body" : out
    }

    /// Plain words for a Swift type (or a YAML node kind: `Sequence`, `Mapping`, `Scalar`).
    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let t = String(describing: type)
            if t.hasPrefix("Array") || t.hasSuffix("Sequence") { return "a list" }
            if t.hasSuffix("Scalar") { return "a single value" }
            return "an object"
        }
    }
}
