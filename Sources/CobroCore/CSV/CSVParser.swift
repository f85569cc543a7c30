// Incremental RFC 4180 CSV parser: a byte-level state machine that keeps its state across
// chunk boundaries, validates UTF-8 as it goes and reports precise line/column positions.
// Pure Swift, no Foundation, no I/O.

/// One CSV record (row) with where it came from.
public struct CSVRecord: Sendable, Equatable {
    public var fields: [String]
    /// 1-based physical line number on which the record starts.
    public var line: Int
    /// 1-based column at which each field starts (for a quoted field: its opening quote),
    /// counted in Unicode scalars from the start of the physical line on which the field starts;
    /// same count as `fields`.
    public var columns: [Int]

    public init(fields: [String], line: Int, columns: [Int]) {
        self.fields = fields
        self.line = line
        self.columns = columns
    }
}

/// A malformed record: where and what.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based physical line of the problem.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the problem.
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// "line L, column C: message"
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Incremental RFC 4180 parser. Feed it chunks of bytes (any split, even in the middle of a UTF-8 sequence,
/// a quoted field or a CRLF); it returns each complete record as soon as its terminating newline is seen.
///
/// - Separator `,`; records end at LF or CRLF. A CR elsewhere is data (inside quotes, or inside an
///   unquoted field when not followed by LF). A CR right before end of input is treated as a line end.
/// - A UTF-8 BOM at the very start of the input is skipped.
/// - Empty lines (nothing, or only CR, between two newlines) are skipped.
/// - Each malformed record yields exactly one `.failure`; parsing resumes with the next record.
public struct CSVParser: Sendable {
    private enum State: UInt8, Sendable {
        /// Nothing of the current record seen yet.
        case recordStart
        /// Just after a comma.
        case fieldStart
        case unquoted
        case quoted
        /// Saw a `"` inside a quoted field: either the first half of `""` or the closing quote.
        case quoteInQuoted
        /// Saw CR right after a closing quote; only LF may follow.
        case crAfterQuote
        /// The record is malformed; discard bytes up to the next LF.
        case skipping
    }

    private enum Problem: UInt8, Sendable {
        case invalidUTF8
        case quoteInUnquoted
        case afterClosingQuote
        case unterminated
    }

    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22
    private static let comma: UInt8 = 0x2C

    private var state: State = .recordStart
    /// Current physical line (1-based).
    private var line = 1
    /// Column (1-based, Unicode scalars) of the next byte to be read.
    private var column = 1
    private var recordLine = 1
    private var fieldColumn = 1
    private var quoteLine = 1
    private var quoteColumn = 1

    /// Bytes of the current field that did not lie in one contiguous run of the current chunk
    /// (the field crossed a chunk boundary or contained `""`). Empty means "nothing spilled".
    private var fieldBuffer: [UInt8] = []
    private var fields: [String] = []
    private var columns: [Int] = []

    // Per-chunk positions (indices into the chunk being processed).
    private var segmentStart = 0
    private var contentEnd = 0

    // The first problem of the current record, if any.
    private var problem: Problem?
    private var problemLine = 0
    private var problemColumn = 0
    /// The bytes of the character after a closing quote (for the message).
    private var offending: [UInt8] = []
    private var offendingNeed = 0

    // UTF-8 validation of a multi-byte sequence in progress.
    private var utf8Need: UInt8 = 0
    private var utf8Low: UInt8 = 0x80
    private var utf8High: UInt8 = 0xBF
    private var utf8LeadColumn = 0

    /// How many bytes of a leading BOM have been matched; 3 once decided (BOM skipped or absent).
    private var bomMatched = 0

    public init() {}

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [Result<CSVRecord, CSVSyntaxError>] {
        var out: [Result<CSVRecord, CSVSyntaxError>] = []
        let count = bytes.count
        guard count > 0 else { return out }
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            if bomMatched < 3 {
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                while bomMatched < 3, start < count {
                    if base[start] == bom[bomMatched] {
                        bomMatched += 1
                        start += 1
                    } else {
                        // Not a BOM after all: the bytes matched so far are data.
                        let matched = bomMatched
                        bomMatched = 3
                        if matched > 0 { replay(bom, count: matched, into: &out) }
                    }
                }
            }
            if start < count {
                run(base + start, count - start, into: &out)
            }
        }
        return out
    }

    public mutating func feed(_ bytes: [UInt8]) -> [Result<CSVRecord, CSVSyntaxError>] {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Call once at end of input: returns the last record if the file does not end with a newline,
    /// or the error for an unterminated quote. The parser is then reset and may be reused.
    public mutating func finish() -> [Result<CSVRecord, CSVSyntaxError>] {
        var out: [Result<CSVRecord, CSVSyntaxError>] = []
        if bomMatched > 0, bomMatched < 3 {
            let matched = bomMatched
            bomMatched = 3
            replay([0xEF, 0xBB, 0xBF], count: matched, into: &out)
        }
        if utf8Need > 0 {
            noteInvalidUTF8(at: utf8LeadColumn)
            utf8Need = 0
        }
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        switch state {
        case .recordStart:
            break
        case .fieldStart:
            fieldColumn = column
            appendEmptyField()
            endRecord(into: &out)
        case .unquoted:
            if fieldBuffer.last == Self.cr { fieldBuffer.removeLast() }
            if !(fields.isEmpty && fieldBuffer.isEmpty && problem == nil) {
                finishField(empty)
                endRecord(into: &out)
            }
        case .quoted:
            // The unterminated quote is what swallowed the rest of the input: report it.
            problem = .unterminated
            problemLine = quoteLine
            problemColumn = quoteColumn
            endRecord(into: &out)
        case .quoteInQuoted:
            finishField(empty)
            endRecord(into: &out)
        case .crAfterQuote, .skipping:
            endRecord(into: &out)
        }
        self = CSVParser()
        return out
    }

    // MARK: - State machine

    private mutating func replay(_ bytes: [UInt8], count: Int, into out: inout [Result<CSVRecord, CSVSyntaxError>]) {
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { run(base, count, into: &out) }
        }
    }

    private mutating func run(_ p: UnsafePointer<UInt8>, _ n: Int, into out: inout [Result<CSVRecord, CSVSyntaxError>]) {
        let lf = Self.lf, cr = Self.cr, quote = Self.quote, comma = Self.comma
        var i = 0
        segmentStart = 0
        contentEnd = 0
        if utf8Need > 0 { continueUTF8(p, &i, n) }
        while i < n {
            switch state {
            case .recordStart, .fieldStart:
                let b = p[i]
                if b == quote {
                    quoteLine = line
                    quoteColumn = column
                    fieldColumn = column
                    column += 1
                    i += 1
                    segmentStart = i
                    state = .quoted
                } else if b == comma {
                    fieldColumn = column
                    appendEmptyField()
                    column += 1
                    i += 1
                    state = .fieldStart
                } else if b == lf {
                    if state == .fieldStart {
                        fieldColumn = column
                        appendEmptyField()
                        endRecord(into: &out)
                    }
                    // else: an empty line, skipped.
                    newLine()
                    i += 1
                } else {
                    fieldColumn = column
                    segmentStart = i
                    state = .unquoted
                }

            case .unquoted:
                var j = i
                while j < n {
                    let b = p[j]
                    if b == comma || b == lf || b == quote || b >= 0x80 { break }
                    j &+= 1
                }
                column += j - i
                i = j
                if j == n { break }
                let b = p[j]
                if b == comma {
                    finishField(UnsafeBufferPointer(start: p + segmentStart, count: j - segmentStart))
                    column += 1
                    i += 1
                    state = .fieldStart
                } else if b == lf {
                    var end = j
                    if end > segmentStart {
                        if p[end - 1] == cr { end -= 1 }
                    } else if fieldBuffer.last == cr {
                        fieldBuffer.removeLast()
                    }
                    if fields.isEmpty, end == segmentStart, fieldBuffer.isEmpty, problem == nil {
                        // A line holding only CR: an empty CRLF line, skipped.
                    } else {
                        finishField(UnsafeBufferPointer(start: p + segmentStart, count: end - segmentStart))
                        endRecord(into: &out)
                    }
                    newLine()
                    i += 1
                } else if b == quote {
                    fail(.quoteInUnquoted, column: column)
                    column += 1
                    i += 1
                } else {
                    decodeNonASCII(p, &i, n)
                }

            case .quoted:
                var j = i
                while j < n {
                    let b = p[j]
                    if b == quote || b == lf || b >= 0x80 { break }
                    j &+= 1
                }
                column += j - i
                i = j
                if j == n { break }
                let b = p[j]
                if b == quote {
                    contentEnd = j
                    column += 1
                    i += 1
                    state = .quoteInQuoted
                } else if b == lf {
                    line += 1
                    column = 1
                    i += 1
                } else {
                    decodeNonASCII(p, &i, n)
                }

            case .quoteInQuoted:
                let b = p[i]
                if b == quote {
                    // `""`: one literal quote.
                    spill(p, from: segmentStart, to: contentEnd)
                    fieldBuffer.append(quote)
                    column += 1
                    i += 1
                    segmentStart = i
                    state = .quoted
                } else if b == comma {
                    finishField(UnsafeBufferPointer(start: p + segmentStart, count: contentEnd - segmentStart))
                    column += 1
                    i += 1
                    state = .fieldStart
                } else if b == lf {
                    finishField(UnsafeBufferPointer(start: p + segmentStart, count: contentEnd - segmentStart))
                    endRecord(into: &out)
                    newLine()
                    i += 1
                } else if b == cr {
                    finishField(UnsafeBufferPointer(start: p + segmentStart, count: contentEnd - segmentStart))
                    column += 1
                    i += 1
                    state = .crAfterQuote
                } else {
                    if problem == nil {
                        offending = [b]
                        offendingNeed = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0
                    }
                    fail(.afterClosingQuote, column: column)
                    column += 1
                    i += 1
                }

            case .crAfterQuote:
                if p[i] == lf {
                    endRecord(into: &out)
                    newLine()
                    i += 1
                } else {
                    if problem == nil {
                        offending = [cr]
                        offendingNeed = 0
                    }
                    fail(.afterClosingQuote, column: column - 1)
                }

            case .skipping:
                while i < n {
                    let b = p[i]
                    if b == lf { break }
                    if offendingNeed > 0 {
                        if b & 0xC0 == 0x80 {
                            offending.append(b)
                            offendingNeed -= 1
                        } else {
                            offendingNeed = 0
                        }
                    }
                    i += 1
                }
                if i < n {
                    endRecord(into: &out)
                    newLine()
                    i += 1
                }
            }
        }
        // End of chunk: keep what belongs to the field in progress.
        switch state {
        case .unquoted, .quoted:
            spill(p, from: segmentStart, to: n)
        case .quoteInQuoted:
            spill(p, from: segmentStart, to: contentEnd)
        case .recordStart, .fieldStart, .crAfterQuote, .skipping:
            break
        }
    }

    @inline(__always)
    private mutating func newLine() {
        line += 1
        column = 1
        recordLine = line
        state = .recordStart
    }

    @inline(__always)
    private mutating func spill(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) {
        if end > start, problem == nil {
            fieldBuffer.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start))
        }
    }

    @inline(__always)
    private mutating func appendEmptyField() {
        if problem == nil {
            fields.append("")
            columns.append(fieldColumn)
        }
    }

    /// Completes the current field: its content is `fieldBuffer` followed by `tail`.
    private mutating func finishField(_ tail: UnsafeBufferPointer<UInt8>) {
        guard problem == nil else {
            fieldBuffer.removeAll(keepingCapacity: true)
            return
        }
        let value: String
        if fieldBuffer.isEmpty {
            // Already validated byte by byte, so decoding never repairs anything.
            value = String(decoding: tail, as: UTF8.self)
        } else {
            fieldBuffer.append(contentsOf: tail)
            value = String(decoding: fieldBuffer, as: UTF8.self)
            fieldBuffer.removeAll(keepingCapacity: true)
        }
        fields.append(value)
        columns.append(fieldColumn)
    }

    private mutating func endRecord(into out: inout [Result<CSVRecord, CSVSyntaxError>]) {
        if let problem {
            out.append(.failure(makeError(problem)))
            self.problem = nil
            offending.removeAll()
            offendingNeed = 0
            fields.removeAll(keepingCapacity: true)
            columns.removeAll(keepingCapacity: true)
            fieldBuffer.removeAll(keepingCapacity: true)
        } else {
            let count = fields.count
            out.append(.success(CSVRecord(fields: fields, line: recordLine, columns: columns)))
            fields = []
            fields.reserveCapacity(count)
            columns = []
            columns.reserveCapacity(count)
        }
    }

    /// Records a structural problem and discards the rest of the physical record.
    private mutating func fail(_ kind: Problem, column: Int) {
        if problem == nil {
            problem = kind
            problemLine = line
            problemColumn = column
        }
        fieldBuffer.removeAll(keepingCapacity: true)
        utf8Need = 0
        state = .skipping
    }

    /// Records invalid UTF-8; parsing of the record's structure continues (so quotes are still
    /// honoured when looking for the end of the record).
    private mutating func noteInvalidUTF8(at column: Int) {
        if problem == nil {
            problem = .invalidUTF8
            problemLine = line
            problemColumn = column
        }
    }

    /// Handles a byte >= 0x80 at `p[i]` inside a field: starts (and if possible completes) a
    /// multi-byte sequence, checking it against the UTF-8 well-formedness table.
    private mutating func decodeNonASCII(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) {
        let b = p[i]
        let leadColumn = column
        column += 1
        i += 1
        switch b {
        case 0xC2...0xDF: utf8Need = 1; utf8Low = 0x80; utf8High = 0xBF
        case 0xE0: utf8Need = 2; utf8Low = 0xA0; utf8High = 0xBF
        case 0xE1...0xEC, 0xEE...0xEF: utf8Need = 2; utf8Low = 0x80; utf8High = 0xBF
        case 0xED: utf8Need = 2; utf8Low = 0x80; utf8High = 0x9F
        case 0xF0: utf8Need = 3; utf8Low = 0x90; utf8High = 0xBF
        case 0xF1...0xF3: utf8Need = 3; utf8Low = 0x80; utf8High = 0xBF
        case 0xF4: utf8Need = 3; utf8Low = 0x80; utf8High = 0x8F
        default:
            // Stray continuation byte, C0/C1 (always overlong) or F5...FF.
            noteInvalidUTF8(at: leadColumn)
            return
        }
        utf8LeadColumn = leadColumn
        continueUTF8(p, &i, n)
    }

    @inline(__always)
    private mutating func continueUTF8(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) {
        while utf8Need > 0, i < n {
            let c = p[i]
            guard c >= utf8Low, c <= utf8High else {
                // Truncated or malformed sequence; `c` itself is processed normally.
                noteInvalidUTF8(at: utf8LeadColumn)
                utf8Need = 0
                return
            }
            utf8Need -= 1
            utf8Low = 0x80
            utf8High = 0xBF
            i += 1
        }
    }

    private func makeError(_ kind: Problem) -> CSVSyntaxError {
        let message: String
        switch kind {
        case .invalidUTF8:
            message = "invalid UTF-8"
        case .quoteInUnquoted:
            message = "quote '\"' inside an unquoted field (quote the whole field and double the quote)"
        case .afterClosingQuote:
            message = "unexpected character '\(Self.describe(offending))' after closing quote"
        case .unterminated:
            message = "unterminated quoted field (opened at line \(problemLine), column \(problemColumn))"
        }
        return CSVSyntaxError(line: problemLine, column: problemColumn, message: message)
    }

    /// A printable rendering of one character's bytes: the character itself (control characters
    /// escaped, e.g. `\r`), or `\xNN` escapes if the bytes are not valid UTF-8.
    private static func describe(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self), s.unicodeScalars.count == 1,
           let scalar = s.unicodeScalars.first {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                return scalar.escaped(asASCII: true)
            }
            return s
        }
        var out = ""
        for b in bytes {
            out += "\\x"
            if b < 0x10 { out += "0" }
            out += String(b, radix: 16, uppercase: true)
        }
        return out
    }
}
