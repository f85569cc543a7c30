/// A problem with one place of an input file: where (line, column, field) and what.
public struct ImportIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }
    /// 1-based physical line of the file.
    public var line: Int
    /// 1-based column (characters) where the field starts, when the issue is about one field.
    public var column: Int?
    /// The CSV header name of the field, when the issue is about one field.
    public var field: String?
    public var message: String
    public var severity: Severity

    public init(line: Int, column: Int? = nil, field: String? = nil, message: String, severity: Severity = .error) {
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        self.severity = severity
    }

    /// `line 7, column 23 (due_date): due date 2024-01-01 is before issue date 2024-02-01`
    public var description: String {
        var s = "line \(line)"
        if let column { s += ", column \(column)" }
        if let field { s += " (\(field))" }
        return s + ": " + message
    }
}

/// The column layout of an import file, resolved from its header row (any column order).
public struct CSVHeader: Sendable {
    public let names: [String]
    private let index: [String: Int]
    /// Unknown columns, reported as warnings and otherwise ignored.
    public let warnings: [ImportIssue]

    /// Resolves the header. Fails (with every problem) when a required column is missing or a column repeats.
    public static func resolve(_ record: CSVRecord, required: [String], optional: [String]) -> Result<CSVHeader, ImportIssues> {
        var index: [String: Int] = [:]
        var errors: [ImportIssue] = []
        var warnings: [ImportIssue] = []
        let known = Set(required + optional)
        for (i, raw) in record.fields.enumerated() {
            let name = raw.trimmingSpaces().lowercased()
            if index[name] != nil {
                errors.append(ImportIssue(line: record.line, column: record.columns[i], field: name, message: "column \"\(name)\" appears twice in the header"))
                continue
            }
            index[name] = i
            if !known.contains(name) {
                warnings.append(ImportIssue(
                    line: record.line, column: record.columns[i], field: name,
                    message: "unknown column \"\(raw)\" ignored (known columns: \((required + optional).joined(separator: ", ")))",
                    severity: .warning))
            }
        }
        for r in required where index[r] == nil {
            errors.append(ImportIssue(
                line: record.line, message: "required column \"\(r)\" is missing from the header (required: \(required.joined(separator: ", ")))"))
        }
        if !errors.isEmpty { return .failure(ImportIssues(errors)) }
        return .success(CSVHeader(names: record.fields, index: index, warnings: warnings))
    }

    private init(names: [String], index: [String: Int], warnings: [ImportIssue]) {
        self.names = names
        self.index = index
        self.warnings = warnings
    }

    public func position(of field: String) -> Int? { index[field] }
}

extension String {
    /// The string without leading and trailing spaces. Works on bytes and returns `self` when there is nothing to
    /// trim (almost every cell of an import), so a field costs no copy.
    func trimmingSpaces() -> String {
        let u = utf8
        guard u.first == 0x20 || u.last == 0x20 else { return self }
        var bytes = Substring(self).utf8[...]
        while bytes.first == 0x20 { bytes = bytes.dropFirst() }
        while bytes.last == 0x20 { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A list of problems found in one input (a header or a row).
public struct ImportIssues: Error, Sendable, Equatable {
    public var issues: [ImportIssue]
    public init(_ issues: [ImportIssue]) { self.issues = issues }
}

/// A value that is not valid, with a message that says what would be.
public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
