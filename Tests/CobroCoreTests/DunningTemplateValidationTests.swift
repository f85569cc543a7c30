import Testing

@testable import CobroCore

// Checking templates against a schema when they are saved: unknown names with positions and suggestions,
// section scoping, and misuse of lists, groups and flags.

private func errors(_ source: String, _ schema: TemplateSchema = .reminder) throws -> [TemplateVariableError] {
    schema.validate(try MessageTemplate(source))
}

@Suite("Dunning templates: validation")
struct DunningTemplateValidationTests {
    @Test func aTemplateUsingOnlyDeclaredNamesIsValid() throws {
        let source = """
            {{#contact.name}}Dear {{contact.name}},{{/contact.name}}
            {{#invoices}}
            {{ref}} {{issue_date}} {{due_date}} {{amount}} {{open_amount}} {{currency}} {{#overdue}}{{days_past_due}}{{/overdue}} {{company.name}}
            {{/invoices}}
            {{#totals}}{{currency}} {{amount}}{{/totals}} {{total_due}} {{invoice_count}} {{#single_invoice}}one{{/single_invoice}}
            {{earliest_due_date}} {{portal_link}} {{collector.name}} {{collector.signature}} {{collector.email}} {{collector.phone}}
            {{step.name}} {{today}} {{customer.name}} {{customer.ref}}
            """
        #expect(try errors(source) == [])
    }

    @Test func misspeltNameIsReportedWithPositionAndSuggestion() throws {
        let found = try errors("Hello\n    {{custmer.name}}")
        #expect(found.count == 1)
        let e = try #require(found.first)
        #expect(e.name == "custmer.name")
        #expect(e.problem == .unknown)
        #expect(e.position == TemplatePosition(line: 2, column: 5))
        #expect(e.suggestions.first == "customer.name")
        #expect(e.message.contains("did you mean 'customer.name'"))
        #expect(e.validNames.contains("portal_link"))
        #expect(e.validNames.contains("company.name"))
        #expect(!e.validNames.contains("ref"))  // item fields are not valid outside their section
        #expect(e.validNames == e.validNames.sorted())
        #expect(e.description.hasPrefix("line 2, column 5: unknown variable 'custmer.name'"))
    }

    @Test func bareNameSuggestsEveryMemberWithThatName() throws {
        let e = try #require(try errors("{{name}}").first)
        #expect(e.problem == .unknown)
        #expect(e.suggestions == ["collector.name", "company.name", "contact.name", "customer.name", "step.name"])
    }

    @Test func farOffNameGetsNoSuggestionButTheList() throws {
        let e = try #require(try errors("{{xyzzy}}").first)
        #expect(e.suggestions == [])
        #expect(e.message.contains("Valid names here:"))
        #expect(!e.message.contains("did you mean"))
    }

    @Test func itemFieldsAreValidInsideTheirListSection() throws {
        #expect(try errors("{{#invoices}}{{ref}} {{days_past_due}} {{company.name}}{{/invoices}}") == [])
        #expect(try errors("{{#totals}}{{currency}}: {{amount}}{{/totals}}") == [])
    }

    @Test func itemFieldOutsideItsSectionSaysWhereToUseIt() throws {
        let found = try errors("{{#invoices}}{{ref}}{{/invoices}}\n{{ref}}")
        #expect(found.count == 1)
        let e = try #require(found.first)
        #expect(e.problem == .outsideSection(list: "invoices"))
        #expect(e.position == TemplatePosition(line: 2, column: 1))
        #expect(e.message.contains("{{#invoices}}"))
    }

    @Test func dottedAccessIntoAListIsRejected() throws {
        let e = try #require(try errors("{{invoices.ref}}").first)
        #expect(e.problem == .outsideSection(list: "invoices"))
    }

    @Test func invertedSectionDoesNotOpenItemFields() throws {
        let e = try #require(try errors("{{^invoices}}{{ref}}{{/invoices}}").first)
        #expect(e.problem == .outsideSection(list: "invoices"))
        #expect(e.position == TemplatePosition(line: 1, column: 14))
    }

    @Test func misspeltItemFieldInsideSectionSuggestsTheField() throws {
        let e = try #require(try errors("{{#invoices}}{{refs}}{{/invoices}}").first)
        #expect(e.problem == .unknown)
        #expect(e.suggestions == ["ref"])
        #expect(e.validNames.contains("ref"))
        #expect(e.validNames.contains("company.name"))
    }

    @Test func listGroupAndFlagCannotBeInserted() throws {
        let found = try errors("{{invoices}} {{customer}} {{single_invoice}}")
        #expect(found.map(\.problem) == [.listAsValue, .groupAsValue(members: ["customer.name", "customer.ref"]), .flagAsValue])
        #expect(found.map(\.position.column) == [1, 14, 27])
        #expect(found[1].message.contains("customer.name, customer.ref"))
    }

    @Test func groupSectionOpensItsMembers() throws {
        #expect(try errors("{{#customer}}{{name}} {{ref}}{{/customer}}") == [])
    }

    @Test func flagsAndTextWorkAsSections() throws {
        #expect(try errors("{{#single_invoice}}x{{/single_invoice}}{{^portal_link}}no link{{/portal_link}}") == [])
    }

    @Test func unknownSectionIsReportedAndItsContentStillChecked() throws {
        let found = try errors("{{#invoice}}\n{{reff}}\n{{/invoice}}")
        #expect(found.map(\.name) == ["invoice", "reff"])
        #expect(found.map(\.position) == [TemplatePosition(line: 1, column: 1), TemplatePosition(line: 2, column: 1)])
        #expect(found[0].suggestions == ["invoices"])
    }

    @Test func memberOfTextIsUnknown() throws {
        let e = try #require(try errors("{{portal_link.url}}").first)
        #expect(e.problem == .unknown)
    }

    @Test func compileRejectsSyntaxAndNamesSeparately() {
        #expect(throws: TemplateRejection.self) { try TemplateSchema.reminder.compile("{{#invoices}}") }
        do {
            _ = try TemplateSchema.reminder.compile("ok\n{{#invoices}}")
            Issue.record("should not compile")
        } catch {
            guard case .syntax(let e) = error else { Issue.record("expected a syntax rejection"); return }
            #expect(e.code == .unclosedSection)
            #expect(error.position == TemplatePosition(line: 2, column: 1))
        }
        do {
            _ = try TemplateSchema.reminder.compile("{{a}} {{b}}")
            Issue.record("should not compile")
        } catch {
            guard case .variables(let list) = error else { Issue.record("expected a variables rejection"); return }
            #expect(list.map(\.name) == ["a", "b"])
            #expect(error.position == TemplatePosition(line: 1, column: 1))
        }
    }

    @Test func compileReturnsTheParsedTemplate() throws {
        let t = try TemplateSchema.reminder.compile("Hi {{contact.name}}")
        #expect(t.source == "Hi {{contact.name}}")
    }

    @Test func customSchemaScoping() throws {
        let schema = TemplateSchema([
            .list("orders", "", item: [.text("id", ""), .list("lines", "", item: [.text("sku", "")])]),
            .text("title", ""),
        ])
        #expect(try errors("{{title}}{{#orders}}{{id}}{{#lines}}{{sku}}{{id}}{{title}}{{/lines}}{{/orders}}", schema) == [])
        let e = try #require(try errors("{{#orders}}{{sku}}{{/orders}}", schema).first)
        #expect(e.problem == .outsideSection(list: "lines"))
    }

    @Test func reminderSchemaListsItsTopLevelNames() {
        let names = TemplateSchema.reminder.topLevelNames
        for expected in [
            "company.name", "customer.name", "customer.ref", "contact.name", "invoices", "totals", "total_due",
            "portal_link", "collector.name", "collector.signature", "step.name", "today",
        ] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        #expect(!names.contains("ref"))
    }

    @Test(arguments: [
        ("kitten", "sitting", 3), ("name", "name", 0), ("nmae", "name", 1), ("Name", "name", 0), ("", "abc", 3),
        ("custmer.name", "customer.name", 1), ("ca", "abc", 3),
    ])
    func editDistances(a: String, b: String, distance: Int) {
        #expect(editDistance(a, b) == distance)
    }
}
