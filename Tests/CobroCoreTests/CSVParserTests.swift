import Testing
@testable import CobroCore

// MARK: - Helpers

private typealias Outcome = Result<CSVRecord, CSVSyntaxError>

/// Feeds `bytes` in the given chunks (split at the given offsets) and then finishes.
private func parse(_ bytes: [UInt8], splitAt offsets: [Int] = []) -> [Outcome] {
    var parser = CSVParser()
    var out: [Outcome] = []
    var start = 0
    for offset in offsets + [bytes.count] {
        out += parser.feed(Array(bytes[start..<offset]))
        start = offset
    }
    out += parser.finish()
    return out
}

private func parse(_ text: String) -> [Outcome] {
    parse(Array(text.utf8))
}

private func record(_ fields: [String], line: Int, columns: [Int]) -> Outcome {
    .success(CSVRecord(fields: fields, line: line, columns: columns))
}

private func failure(line: Int, column: Int, _ message: String) -> Outcome {
    .failure(CSVSyntaxError(line: line, column: column, message: message))
}

private let quoteInUnquotedMessage = "quote '\"' inside an unquoted field (quote the whole field and double the quote)"

// MARK: - Well-formed input

@Test func simpleRows() {
    #expect(parse("a,b,c\n1,22,333\n") == [
        record(["a", "b", "c"], line: 1, columns: [1, 3, 5]),
        record(["1", "22", "333"], line: 2, columns: [1, 3, 6]),
    ])
}

@Test func emptyFieldsAndVerbatimUnquotedFields() {
    #expect(parse(",a,,\n b , c\n") == [
        record(["", "a", "", ""], line: 1, columns: [1, 2, 4, 5]),
        record([" b ", " c"], line: 2, columns: [1, 5]),
    ])
}

@Test func crlfLineEndings() {
    #expect(parse("a,b\r\n\"c\",d\r\ne,\"f\"\r\n") == [
        record(["a", "b"], line: 1, columns: [1, 3]),
        record(["c", "d"], line: 2, columns: [1, 5]),
        record(["e", "f"], line: 3, columns: [1, 3]),
    ])
}

@Test func loneCarriageReturnIsData() {
    #expect(parse("\"a\rb\",x\ry\n") == [
        record(["a\rb", "x\ry"], line: 1, columns: [1, 7]),
    ])
}

@Test func quotedFieldsMayContainCommas() {
    #expect(parse("\"a,b\",c,\"\"\n") == [
        record(["a,b", "c", ""], line: 1, columns: [1, 7, 9]),
    ])
}

@Test func doubledQuotesAreOneQuote() {
    // "say ""hi""" occupies columns 1...12.
    #expect(parse("\"say \"\"hi\"\"\",x,\"\"\"\"\n") == [
        record(["say \"hi\"", "x", "\""], line: 1, columns: [1, 14, 16]),
    ])
}

@Test func embeddedNewlinesKeepLineNumbersRight() {
    let input = "\"a\nb\",c\nd,\"e\r\n\nf\"\ng,h\n"
    #expect(parse(input) == [
        record(["a\nb", "c"], line: 1, columns: [1, 4]),
        record(["d", "e\r\n\nf"], line: 3, columns: [1, 3]),
        record(["g", "h"], line: 6, columns: [1, 3]),
    ])
}

@Test func byteOrderMarkIsSkippedAndNotCounted() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\n\"c\"\n".utf8)
    #expect(parse(bytes) == [
        record(["a", "b"], line: 1, columns: [1, 3]),
        record(["c"], line: 2, columns: [1]),
    ])
    // Only at the very start: elsewhere U+FEFF is ordinary data.
    #expect(parse("x\n\u{FEFF}y\n") == [
        record(["x"], line: 1, columns: [1]),
        record(["\u{FEFF}y"], line: 2, columns: [1]),
    ])
}

@Test func bomLookalikeIsData() {
    // EF BB BE is U+FEFE, not a BOM: the two matched bytes must be replayed as data.
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBE, 0x2C, 0x61, 0x0A]
    #expect(parse(bytes) == [record(["\u{FEFE}", "a"], line: 1, columns: [1, 3])])
    #expect(parse(bytes, splitAt: [1, 2]) == [record(["\u{FEFE}", "a"], line: 1, columns: [1, 3])])
    // A lone BOM prefix at end of input is a truncated UTF-8 sequence.
    #expect(parse([0xEF, 0xBB]) == [failure(line: 1, column: 1, "invalid UTF-8")])
}

@Test func emptyLinesAreSkipped() {
    #expect(parse("\n\na\n\n\r\nb\n\n") == [
        record(["a"], line: 3, columns: [1]),
        record(["b"], line: 6, columns: [1]),
    ])
    // An empty quoted field is a record, not an empty line.
    #expect(parse("\"\"\n\n") == [record([""], line: 1, columns: [1])])
    #expect(parse("").isEmpty)
    #expect(parse("\n\r\n").isEmpty)
}

@Test func finalLineWithoutNewline() {
    var parser = CSVParser()
    #expect(parser.feed(Array("a,b\nc,d".utf8)) == [record(["a", "b"], line: 1, columns: [1, 3])])
    #expect(parser.finish() == [record(["c", "d"], line: 2, columns: [1, 3])])

    #expect(parse("x,") == [record(["x", ""], line: 1, columns: [1, 3])])
    #expect(parse("\"q\"") == [record(["q"], line: 1, columns: [1])])
    #expect(parse("\"q\"\r") == [record(["q"], line: 1, columns: [1])])
    #expect(parse("q\r") == [record(["q"], line: 1, columns: [1])])
}

@Test func recordsAreReturnedAsSoonAsTheirNewlineArrives() {
    var parser = CSVParser()
    #expect(parser.feed(Array("a,\"b".utf8)).isEmpty)
    #expect(parser.feed(Array("\n\"".utf8)).isEmpty)  // newline inside quotes
    #expect(parser.feed(Array(",c\r".utf8)).isEmpty)
    #expect(parser.feed(Array("\n".utf8)) == [record(["a", "b\n", "c"], line: 1, columns: [1, 3, 3])])
    #expect(parser.finish().isEmpty)
}

@Test func columnsCountCharactersNotBytes() {
    let text = "Señor Ñandú,x,\"ñ\",y\n"
    #expect(text.utf8.count == text.unicodeScalars.count + 4)  // ñ, Ñ, ú, ñ are two bytes each (precomposed)
    #expect(parse(text) == [
        record(["Señor Ñandú", "x", "ñ", "y"], line: 1, columns: [1, 13, 15, 19]),
    ])
    // Four-byte scalars count as one column too.
    #expect(parse("😀😀,\"a\"\"b\",c\n") == [
        record(["😀😀", "a\"b", "c"], line: 1, columns: [1, 4, 11]),
    ])
}

@Test func parserIsReusableAfterFinish() {
    var parser = CSVParser()
    _ = parser.feed(Array("a\nb".utf8))
    _ = parser.finish()
    #expect(parser.feed(Array("c\n".utf8)) == [record(["c"], line: 1, columns: [1])])
}

// MARK: - Errors and recovery

@Test func quoteInsideUnquotedField() {
    #expect(parse("ok\nab\"c,d\nnext,row\n") == [
        record(["ok"], line: 1, columns: [1]),
        failure(line: 2, column: 3, quoteInUnquotedMessage),
        record(["next", "row"], line: 3, columns: [1, 6]),
    ])
    // Leading spaces make a field unquoted, so a quote after them is an error.
    #expect(parse("a, \"b\"\n") == [failure(line: 1, column: 4, quoteInUnquotedMessage)])
}

@Test func characterAfterClosingQuote() {
    #expect(parse("\"ab\"x,y\nz\n") == [
        failure(line: 1, column: 5, "unexpected character 'x' after closing quote"),
        record(["z"], line: 2, columns: [1]),
    ])
    #expect(parse("ñ,\"a\"ñb\nz\n") == [
        failure(line: 1, column: 6, "unexpected character 'ñ' after closing quote"),
        record(["z"], line: 2, columns: [1]),
    ])
    // CR not followed by LF after a closing quote.
    #expect(parse("x,\"a\"\rb\nz\n") == [
        failure(line: 1, column: 6, "unexpected character '\\r' after closing quote"),
        record(["z"], line: 2, columns: [1]),
    ])
    // The error position is on the line where it happens, the record started earlier.
    #expect(parse("\"a\nbc\" d\nz\n") == [
        failure(line: 2, column: 4, "unexpected character ' ' after closing quote"),
        record(["z"], line: 3, columns: [1]),
    ])
}

@Test func invalidUTF8() {
    // Stray byte 0xFF.
    #expect(parse([0x61, 0x2C, 0x62, 0xFF, 0x63, 0x0A] + Array("d\n".utf8)) == [
        failure(line: 1, column: 4, "invalid UTF-8"),
        record(["d"], line: 2, columns: [1]),
    ])
    // Truncated two-byte sequence before a comma; reported at the lead byte.
    #expect(parse(Array("ñ".utf8) + [0xC3, 0x2C, 0x61, 0x0A]) == [failure(line: 1, column: 2, "invalid UTF-8")])
    // Overlong encoding and encoded surrogate.
    #expect(parse([0x22, 0xE0, 0x80, 0xAF, 0x22, 0x0A]) == [failure(line: 1, column: 2, "invalid UTF-8")])
    #expect(parse([0x61, 0xED, 0xA0, 0x80, 0x0A]) == [failure(line: 1, column: 2, "invalid UTF-8")])
    // Truncated sequence at end of input.
    #expect(parse([0x61, 0x62, 0xE2, 0x82]) == [failure(line: 1, column: 3, "invalid UTF-8")])
    // Inside a quoted field spanning lines, resynchronisation waits for the newline outside quotes.
    let bytes = Array("\"x\n".utf8) + [0xFF] + Array("\ny\",z\nok\n".utf8)
    #expect(parse(bytes) == [
        failure(line: 2, column: 1, "invalid UTF-8"),
        record(["ok"], line: 4, columns: [1]),
    ])
}

@Test func unterminatedQuoteAtEndOfInput() {
    var parser = CSVParser()
    #expect(parser.feed(Array("a\nb,\"cd\nef,g\n".utf8)) == [record(["a"], line: 1, columns: [1])])
    #expect(parser.finish() == [
        failure(line: 2, column: 3, "unterminated quoted field (opened at line 2, column 3)"),
    ])
}

@Test func oneFailurePerBadRecordAndGoodRowsSurvive() {
    let input = "h1,h2\n\"a\"b,c\nok1,1\nx\"y,2\n\"fine\",3\n\"q\"\"\"z\nok2,4\n"
    #expect(parse(input) == [
        record(["h1", "h2"], line: 1, columns: [1, 4]),
        failure(line: 2, column: 4, "unexpected character 'b' after closing quote"),
        record(["ok1", "1"], line: 3, columns: [1, 5]),
        failure(line: 4, column: 2, quoteInUnquotedMessage),
        record(["fine", "3"], line: 5, columns: [1, 8]),
        failure(line: 6, column: 6, "unexpected character 'z' after closing quote"),
        record(["ok2", "4"], line: 7, columns: [1, 5]),
    ])
}

@Test func errorDescription() {
    let error = CSVSyntaxError(line: 3, column: 7, message: "invalid UTF-8")
    #expect(error.description == "line 3, column 7: invalid UTF-8")
    #expect("\(error)" == "line 3, column 7: invalid UTF-8")
}

// MARK: - Chunking

/// BOM, quotes, doubled quotes, CRLF, multi-byte UTF-8 (2- and 4-byte), an embedded newline,
/// an empty line, an error row, invalid UTF-8 and a last line without newline.
private let trickyInput: [UInt8] =
    [0xEF, 0xBB, 0xBF]
    + Array("id,name,note\r\n".utf8)
    + Array("1,\"Señor Ñandú\",\"say \"\"hi\"\"\"\r\n".utf8)
    + Array("2,\"multi\r\nline, 😀\",x\n".utf8)
    + Array("\r\n".utf8)
    + Array("3,bad\"quote,y\n".utf8)
    + Array("4,\"ok\"junk\r\n".utf8)
    + [0x35, 0x2C, 0xC3, 0x28, 0x0A]
    + Array("6,\"ü\",\"\"\r\n".utf8)
    + Array("7,last".utf8)

private let trickyExpected: [Outcome] = [
    record(["id", "name", "note"], line: 1, columns: [1, 4, 9]),
    record(["1", "Señor Ñandú", "say \"hi\""], line: 2, columns: [1, 3, 17]),
    record(["2", "multi\r\nline, 😀", "x"], line: 3, columns: [1, 3, 10]),
    failure(line: 6, column: 6, quoteInUnquotedMessage),
    failure(line: 7, column: 7, "unexpected character 'j' after closing quote"),
    failure(line: 8, column: 3, "invalid UTF-8"),
    record(["6", "ü", ""], line: 9, columns: [1, 3, 7]),
    record(["7", "last"], line: 10, columns: [1, 3]),
]

@Test func trickyInputParsedWhole() {
    #expect(parse(trickyInput) == trickyExpected)
}

@Test func everySplitPointGivesTheSameResult() {
    for offset in 0...trickyInput.count {
        let result = parse(trickyInput, splitAt: [offset])
        #expect(result == trickyExpected, "split at \(offset)")
    }
}

@Test func everyPairOfSplitPointsGivesTheSameResult() {
    var mismatches: [(Int, Int)] = []
    for first in 0...trickyInput.count {
        for second in first...trickyInput.count where parse(trickyInput, splitAt: [first, second]) != trickyExpected {
            mismatches.append((first, second))
        }
    }
    #expect(mismatches.isEmpty, "mismatching splits: \(mismatches.prefix(10))")
}

@Test func byteByByteGivesTheSameResult() {
    #expect(parse(trickyInput, splitAt: Array(1..<trickyInput.count)) == trickyExpected)
}

@Test func rawBufferFeedMatchesArrayFeed() {
    var parser = CSVParser()
    var out: [Outcome] = []
    trickyInput.withUnsafeBytes { raw in
        let cut = 40
        out += parser.feed(UnsafeRawBufferPointer(rebasing: raw[0..<cut]))
        out += parser.feed(UnsafeRawBufferPointer(rebasing: raw[cut...]))
    }
    out += parser.finish()
    #expect(out == trickyExpected)
}
