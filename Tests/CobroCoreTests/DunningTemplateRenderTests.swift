import Foundation
import Testing

@testable import CobroCore

// Rendering: escaping per output mode, lookup through sections, lists, inverted sections.

private func render(_ source: String, _ context: TemplateValue, _ mode: TemplateOutputMode = .text) throws -> String {
    try MessageTemplate(source).render(context, mode: mode)
}

@Suite("Dunning templates: rendering")
struct DunningTemplateRenderTests {
    @Test func htmlModeEscapesTheFiveSpecialCharacters() throws {
        let ctx: TemplateValue = ["v": "<a href=\"x\">Tom & Jerry's</a>"]
        #expect(try render("{{v}}", ctx, .html) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
    }

    @Test func textModeDoesNotEscape() throws {
        let ctx: TemplateValue = ["v": "<b>Tom & Jerry's</b>"]
        #expect(try render("{{v}}", ctx, .text) == "<b>Tom & Jerry's</b>")
    }

    @Test func rawTagsAreNotEscapedInHTML() throws {
        let ctx: TemplateValue = ["v": "<b>&</b>"]
        #expect(try render("{{{v}}}|{{& v}}", ctx, .html) == "<b>&</b>|<b>&</b>")
    }

    @Test func literalTextIsNeverEscaped() throws {
        #expect(try render("<p>a & b</p>", [:], .html) == "<p>a & b</p>")
    }

    @Test func dottedNamesReachIntoObjects() throws {
        let ctx: TemplateValue = ["customer": ["name": "ACME", "address": ["city": "Monterrey"]]]
        #expect(try render("{{customer.name}} / {{customer.address.city}}", ctx) == "ACME / Monterrey")
    }

    @Test func missingNamesRenderEmpty() throws {
        #expect(try render("[{{nope}}][{{customer.nope}}][{{a.b.c}}]", ["customer": ["name": "x"]]) == "[][][]")
    }

    @Test func onlyTextPrints() throws {
        let ctx: TemplateValue = ["flag": true, "list": [["a": "1"]], "obj": ["a": "1"]]
        #expect(try render("[{{flag}}][{{list}}][{{obj}}]", ctx) == "[][][]")
    }

    @Test func listSectionRepeatsPerItem() throws {
        let ctx: TemplateValue = ["xs": [["n": "1"], ["n": "2"], ["n": "3"]]]
        #expect(try render("{{#xs}}[{{n}}]{{/xs}}", ctx) == "[1][2][3]")
    }

    @Test func emptyListRendersNothingAndInvertedRendersOnce() throws {
        let ctx: TemplateValue = ["xs": .list([])]
        #expect(try render("{{#xs}}item{{/xs}}{{^xs}}none{{/xs}}", ctx) == "none")
    }

    @Test func truthinessOfNonListValues() throws {
        let ctx: TemplateValue = ["yes": true, "no": false, "text": "x", "empty": "", "obj": [:]]
        #expect(try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#text}}T{{/text}}{{#empty}}E{{/empty}}{{#obj}}O{{/obj}}", ctx) == "YTO")
        #expect(try render("{{^yes}}Y{{/yes}}{{^no}}N{{/no}}{{^text}}T{{/text}}{{^empty}}E{{/empty}}{{^missing}}M{{/missing}}", ctx) == "NEM")
    }

    @Test func textSectionCanPrintItself() throws {
        let ctx: TemplateValue = ["link": "https://x.test/p"]
        #expect(try render("{{#link}}Pay: {{link}}{{/link}}", ctx) == "Pay: https://x.test/p")
        #expect(try render("{{#link}}Pay: {{link}}{{/link}}", ["link": ""]) == "")
    }

    @Test func objectSectionOpensItsFields() throws {
        let ctx: TemplateValue = ["customer": ["name": "ACME"], "name": "outer"]
        #expect(try render("{{#customer}}{{name}}{{/customer}} {{name}}", ctx) == "ACME outer")
    }

    @Test func outerNamesAreVisibleInsideAndInnerFieldsShadowThem() throws {
        let ctx: TemplateValue = [
            "company": "Aceros", "currency": "EUR",
            "invoices": [["ref": "A", "currency": "USD"], ["ref": "B"]],
        ]
        // B has no currency of its own, so the outer one shows through.
        #expect(try render("{{#invoices}}{{ref}}:{{currency}}@{{company}};{{/invoices}}", ctx) == "A:USD@Aceros;B:EUR@Aceros;")
    }

    @Test func dottedNameResolvesOnlyItsFirstPartThroughTheStack() throws {
        // Mustache rule: "customer" is found in the item, so "customer.name" does not fall back to the outer customer.
        let ctx: TemplateValue = ["customer": ["name": "outer"], "items": [["customer": ["ref": "C1"]]]]
        #expect(try render("{{#items}}[{{customer.name}}|{{customer.ref}}]{{/items}}", ctx) == "[|C1]")
    }

    @Test func nestedLists() throws {
        let ctx: TemplateValue = [
            "invoices": [
                ["ref": "A", "lines": [["sku": "1"], ["sku": "2"]]],
                ["ref": "B", "lines": .list([])],
            ]
        ]
        #expect(try render("{{#invoices}}{{ref}}({{#lines}}{{sku}}{{/lines}}{{^lines}}-{{/lines}}){{/invoices}}", ctx) == "A(12)B(-)")
    }

    @Test func standaloneSectionsLeaveNoBlankLines() throws {
        let source = """
            Invoices:
            {{#invoices}}
            - {{ref}}
            {{/invoices}}
            {{^invoices}}
            (none)
            {{/invoices}}
            Total
            """
        #expect(try render(source, ["invoices": [["ref": "A"], ["ref": "B"]]]) == "Invoices:\n- A\n- B\nTotal")
        #expect(try render(source, ["invoices": .list([])]) == "Invoices:\n(none)\nTotal")
    }

    @Test func renderingTwiceGivesTheSameText() throws {
        let t = try MessageTemplate("{{#xs}}{{n}}{{/xs}}")
        let ctx: TemplateValue = ["xs": [["n": "1"]]]
        #expect(t.render(ctx, mode: .html) == t.render(ctx, mode: .html))
    }

    @Test func contextDecodesFromPlainJSON() throws {
        let json = #"{"a": "x", "b": true, "c": [{"d": "1"}], "n": 5, "o": {"p": "q"}}"#
        let v = try JSONDecoder().decode(TemplateValue.self, from: Data(json.utf8))
        #expect(v == ["a": "x", "b": true, "c": [["d": "1"]], "n": "5", "o": ["p": "q"]])
    }

    @Test func contextRoundTripsThroughJSON() throws {
        let v: TemplateValue = ["a": "x", "b": false, "c": [["d": "1"]], "o": ["p": "q"]]
        #expect(try JSONDecoder().decode(TemplateValue.self, from: JSONEncoder().encode(v)) == v)
    }

    @Test func contextRejectsFractionsAndNull() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TemplateValue.self, from: Data("1.5".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TemplateValue.self, from: Data("[1, 2]".utf8)) }
    }
}
