/// A variable name in a template: one or more segments separated by dots (`customer.name` → `["customer", "name"]`).
///
/// The first segment is looked up through the enclosing sections, innermost first; the following segments are
/// looked up inside the value found (Mustache's dotted-name rule).
public struct TemplatePath: Hashable, Sendable, Codable, CustomStringConvertible {
    public var segments: [String]

    public init(_ segments: [String]) { self.segments = segments }

    /// Parses a dotted name; `nil` unless every segment is non-empty and made of ASCII letters, digits, `_` or `-`
    /// and starts with a letter or `_`.
    public init?(dotted text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy(TemplatePath.isSegment) else { return nil }
        self.segments = parts.map { String($0) }
    }

    /// The name as written: `customer.name`.
    public var dotted: String { segments.joined(separator: ".") }
    public var description: String { dotted }

    static func isSegment(_ s: Substring) -> Bool {
        guard let first = s.unicodeScalars.first, isLetter(first) || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    private static func isLetter(_ u: Unicode.Scalar) -> Bool { ("a"..."z").contains(u) || ("A"..."Z").contains(u) }
}
