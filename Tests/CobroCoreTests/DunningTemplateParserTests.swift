import Foundation
import Testing

@testable import CobroCore

// Parsing the Mustache subset: nodes, standalone lines, positions and syntax errors.

private func parse(_ source: String) throws -> [TemplateNode] { try MessageTemplate(source).nodes }

private func variable(_ dotted: String, escaped: Bool = true, _ line: Int, _ column: Int) -> TemplateNode {
    .variable(.init(path: TemplatePath(dotted.split(separator: ".").map(String.init)), escaped: escaped, position: .init(line: line, column: column)))
}

private func section(_ name: String, inverted: Bool = false, _ line: Int, _ column: Int, _ children: [TemplateNode]) -> TemplateNode {
    .section(.init(path: TemplatePath([name]), inverted: inverted, children: children, position: .init(line: line, column: column)))
}

private func syntaxError(_ source: String) -> TemplateSyntaxError? {
    if case .failure(let e) = MessageTemplate.parse(source) { return e }
    return nil
}

@Suite("Dunning templates: parser")
struct DunningTemplateParserTests {
    @Test func plainTextIsOneNode() throws {
        #expect(try parse("Hello, world") == [.text("Hello, world")])
        #expect(try parse("") == [])
        #expect(try parse("a { b } c }} d") == [.text("a { b } c }} d")])
    }

    @Test func escapedVariableWithSpacesAroundName() throws {
        #expect(try parse("Hi {{ name }}!") == [.text("Hi "), variable("name", 1, 4), .text("!")])
    }

    @Test func rawVariablesTripleAndAmpersand() throws {
        // "{{{a}}}" is 7 characters, so the second tag starts in column 8.
        #expect(try parse("{{{a}}}{{& b.c}}") == [variable("a", escaped: false, 1, 1), variable("b.c", escaped: false, 1, 8)])
        #expect(try parse("{{{ spaced }}}") == [variable("spaced", escaped: false, 1, 1)])
    }

    @Test func dottedNamesSplitIntoSegments() throws {
        let nodes = try parse("{{customer.name}}")
        guard case .variable(let v)? = nodes.first else {
            Issue.record("expected a variable")
            return
        }
        #expect(v.path.segments == ["customer", "name"])
        #expect(v.path.dotted == "customer.name")
    }

    @Test func sectionsAndInvertedSectionsNest() throws {
        let nodes = try parse("{{#a}}x{{^b}}y{{/b}}{{/a}}")
        #expect(nodes == [section("a", 1, 1, [.text("x"), section("b", inverted: true, 1, 8, [.text("y")])])])
    }

    @Test func sigilMayFollowSpaces() throws {
        #expect(try parse("{{ #a }}x{{ /a }}") == [section("a", 1, 1, [.text("x")])])
    }

    @Test func commentsProduceNothingAndMaySpanLines() throws {
        #expect(try parse("a{{! note }}b") == [.text("ab")])
        #expect(try parse("a{{! line one\nline two }}b") == [.text("ab")])
    }

    // MARK: Standalone lines

    @Test func standaloneSectionTagsRemoveTheirLines() throws {
        let nodes = try parse("Begin\n{{#a}}\nX\n{{/a}}\nEnd\n")
        #expect(nodes == [.text("Begin\n"), section("a", 2, 1, [.text("X\n")]), .text("End\n")])
    }

    @Test func standaloneIgnoresIndentationAndTrailingBlanks() throws {
        let nodes = try parse("Begin\n  {{#a}}\t \nX\n\t{{/a}}  \nEnd")
        #expect(nodes == [.text("Begin\n"), section("a", 2, 3, [.text("X\n")]), .text("End")])
    }

    @Test func standaloneHandlesCRLF() throws {
        let nodes = try parse("A\r\n{{^a}}\r\nX\r\n{{/a}}\r\nB")
        #expect(nodes == [.text("A\r\n"), section("a", inverted: true, 2, 1, [.text("X\r\n")]), .text("B")])
    }

    @Test func standaloneAtStartAndEndOfTemplate() throws {
        #expect(try parse("{{#a}}\nx\n{{/a}}") == [section("a", 1, 1, [.text("x\n")])])
    }

    @Test func standaloneCommentLineDisappears() throws {
        #expect(try parse("a\n{{! c }}\nb") == [.text("a\nb")])
        #expect(try parse("a\n  {{! multi\n line }}  \nb") == [.text("a\nb")])
    }

    @Test func tagsSharingALineWithTextAreNotStandalone() throws {
        #expect(try parse("a {{#x}}\nb{{/x}}") == [.text("a "), section("x", 1, 3, [.text("\nb")])])
        // Two block tags on one line: neither is alone, so the newline stays.
        #expect(try parse("{{#a}}{{/a}}\n") == [section("a", 1, 1, []), .text("\n")])
    }

    @Test func variableAloneOnALineKeepsItsNewline() throws {
        #expect(try parse("{{name}}\n") == [variable("name", 1, 1), .text("\n")])
    }

    // MARK: Positions

    @Test func positionsCountLinesAndCharacters() throws {
        #expect(try parse("a\nbc {{x}}") == [.text("a\nbc "), variable("x", 2, 4)])
        #expect(try parse("é{{x}}") == [.text("é"), variable("x", 1, 2)])
        // "e" + combining acute accent is one character: still column 2.
        #expect(try parse("e\u{301}{{x}}") == [.text("e\u{301}"), variable("x", 1, 2)])
        // A flag emoji is two scalars but one character.
        #expect(try parse("🇲🇽 {{x}}") == [.text("🇲🇽 "), variable("x", 1, 3)])
    }

    // MARK: Errors

    @Test func unclosedTag() {
        let e = syntaxError("Hello {{name")
        #expect(e?.code == .unclosedTag)
        #expect(e?.position == TemplatePosition(line: 1, column: 7))
        #expect(e?.message.contains("expected '}}'") == true)
        #expect(e?.description.hasPrefix("line 1, column 7: ") == true)
    }

    @Test func tagMustCloseOnItsOwnLine() {
        let e = syntaxError("Hi {{name\n}}")
        #expect(e?.code == .unclosedTag)
        #expect(e?.position == TemplatePosition(line: 1, column: 4))
    }

    @Test func unclosedTripleMustache() {
        let e = syntaxError("x\n  {{{raw}} y")
        #expect(e?.code == .unclosedTag)
        #expect(e?.position == TemplatePosition(line: 2, column: 3))
        #expect(e?.message.contains("'}}}'") == true)
    }

    @Test func unclosedComment() {
        let e = syntaxError("a\nb {{! never closed\n\n")
        #expect(e?.code == .unclosedTag)
        #expect(e?.position == TemplatePosition(line: 2, column: 3))
        #expect(e?.message.contains("comment") == true)
    }

    @Test func unclosedSectionPointsAtItsOpeningTag() {
        let e = syntaxError("Dear {{name}},\n  {{#invoices}}\n- {{ref}}\n")
        #expect(e?.code == .unclosedSection)
        #expect(e?.position == TemplatePosition(line: 2, column: 3))
        #expect(e?.message.contains("expected '{{/invoices}}'") == true)
    }

    @Test func innermostUnclosedSectionIsReported() {
        let e = syntaxError("{{#a}}\n{{#b}}\n")
        #expect(e?.code == .unclosedSection)
        #expect(e?.position == TemplatePosition(line: 2, column: 1))
        #expect(e?.message.contains("'{{/b}}'") == true)
    }

    @Test func mismatchedSection() {
        let e = syntaxError("{{#a}}\n{{^b}}\n{{/a}}")
        #expect(e?.code == .mismatchedSection)
        #expect(e?.position == TemplatePosition(line: 3, column: 1))
        #expect(e?.message.contains("expected '{{/b}}'") == true)
        #expect(e?.message.contains("'{{^b}}' opened at line 2, column 1") == true)
        #expect(e?.message.contains("found '{{/a}}'") == true)
    }

    @Test func closeWithoutOpen() {
        let e = syntaxError("text {{/a}}")
        #expect(e?.code == .unexpectedClose)
        #expect(e?.position == TemplatePosition(line: 1, column: 6))
    }

    @Test(arguments: ["{{}}", "{{ }}", "{{#}}", "{{/ }}", "{{a b}}", "{{a..b}}", "{{.}}", "{{1abc}}", "{{& }}", "{{{}}}", "{{cliente.año}}"])
    func invalidNames(source: String) {
        let e = syntaxError(source)
        #expect(e?.code == .invalidName)
        #expect(e?.position == TemplatePosition(line: 1, column: 1))
        #expect(e?.message.contains("expected") == true)
    }

    @Test func partialsAndDelimiterChangesAreRejected() {
        #expect(syntaxError("{{> footer}}")?.code == .unsupportedTag)
        #expect(syntaxError("x {{=<% %>=}}")?.code == .unsupportedTag)
        #expect(syntaxError("x {{=<% %>=}}")?.position == TemplatePosition(line: 1, column: 3))
    }

    @Test func errorAfterMultilineComment() {
        let e = syntaxError("{{! a\nb }}\n  {{#x}}")
        #expect(e?.code == .unclosedSection)
        #expect(e?.position == TemplatePosition(line: 3, column: 3))
    }

    // MARK: Storage

    @Test func encodesAsItsSourceText() throws {
        let t = try MessageTemplate("Hi {{name}}")
        let data = try JSONEncoder().encode(t)
        #expect(String(decoding: data, as: UTF8.self) == "\"Hi {{name}}\"")
        let back = try JSONDecoder().decode(MessageTemplate.self, from: data)
        #expect(back == t)
        #expect(back.nodes == t.nodes)
    }

    @Test func decodingABrokenTemplateFails() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MessageTemplate.self, from: Data("\"{{#a}}\"".utf8)) }
    }
}
