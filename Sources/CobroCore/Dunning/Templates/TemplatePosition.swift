/// A place in a template's source text, for error messages and editor markers.
///
/// Both numbers are 1-based. Lines are separated by `\n` (a `\r\n` pair ends a line too). Columns count
/// user-perceived characters (Swift `Character`s) from the start of the line, so `é` written either as one
/// code point or as `e` + combining accent is one column; a tab is one column.
public struct TemplatePosition: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }

    public static func < (a: TemplatePosition, b: TemplatePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}
