import Foundation
import Testing

@testable import CobroCore

// Building the render context from typed facts, and its agreement with the reminder schema.

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func cur(_ code: String) -> Currency {
    guard let c = Currency(code: code) else { fatalError("unknown test currency \(code)") }
    return c
}

private func facts(_ invoices: [ReminderFacts.Invoice], asOf: String = "2026-11-25") -> ReminderFacts {
    ReminderFacts(
        companyName: "Aceros del Norte", customerName: "Ferretería López", customerRef: "C-001", contactName: "Marta Ruiz",
        invoices: invoices, portalLink: "https://pay.example/p/x", collectorName: "Juan Pérez", stepName: "Overdue 7",
        asOf: day(asOf))
}

private func invoice(_ ref: String, due: String, amount: Int64, open: Int64, _ currency: String = "USD") -> ReminderFacts.Invoice {
    ReminderFacts.Invoice(
        ref: ref, issueDate: day("2026-10-01"), dueDate: day(due), amount: Money(minor: amount, cur(currency)),
        open: Money(minor: open, cur(currency)))
}

/// Checks that `value` has exactly the fields of `fields`, each of the declared kind.
private func conforms(_ value: TemplateValue, to fields: [TemplateField], path: String = "") -> [String] {
    guard case .object(let object) = value else { return ["\(path) is not an object"] }
    var problems: [String] = []
    let declared = Set(fields.map(\.name))
    for extra in Set(object.keys).subtracting(declared) { problems.append("undeclared \(path)\(extra)") }
    for field in fields {
        let name = path + field.name
        guard let v = object[field.name] else {
            problems.append("missing \(name)")
            continue
        }
        switch (field.kind, v) {
        case (.text, .string), (.flag, .bool): break
        case (.group(let members), .object): problems += conforms(v, to: members, path: name + ".")
        case (.list(let item), .list(let items)):
            for (i, element) in items.enumerated() { problems += conforms(.object(element), to: item, path: "\(name)[\(i)].") }
        default: problems.append("\(name) has the wrong kind")
        }
    }
    return problems
}

@Suite("Dunning templates: reminder context")
struct DunningTemplateContextTests {
    private let three = facts([
        invoice("INV-1", due: "2026-11-10", amount: 100_000, open: 25_050),
        invoice("INV-2", due: "2026-11-20", amount: 9_999, open: 9_999, "EUR"),
        invoice("INV-3", due: "2026-11-30", amount: 1_000, open: 1_000),
    ])

    @Test func formatsEveryLineForTheLanguage() {
        let ctx = ReminderContext(three, format: LocalizedFormat(language: .es))
        #expect(ctx.invoices.map(\.ref) == ["INV-1", "INV-2", "INV-3"])
        #expect(ctx.invoices.map(\.dueDate) == ["10/11/2026", "20/11/2026", "30/11/2026"])
        #expect(ctx.invoices.map(\.issueDate) == ["01/10/2026", "01/10/2026", "01/10/2026"])
        #expect(ctx.invoices.map(\.amount) == ["1.000,00 USD", "99,99 EUR", "10,00 USD"])
        #expect(ctx.invoices.map(\.openAmount) == ["250,50 USD", "99,99 EUR", "10,00 USD"])
        #expect(ctx.invoices.map(\.daysPastDue) == [15, 5, -5])
        #expect(ctx.invoices.map(\.currency) == ["USD", "EUR", "USD"])
        #expect(ctx.today == "25/11/2026")
    }

    @Test func totalsPerCurrencyInCodeOrder() {
        let ctx = ReminderContext(three, format: LocalizedFormat(language: .es))
        #expect(ctx.totals == [.init(currency: "EUR", amount: "99,99 EUR"), .init(currency: "USD", amount: "260,50 USD")])
        #expect(ctx.totalDue == "99,99 EUR + 260,50 USD")
        let en = ReminderContext(three, format: LocalizedFormat(language: .en))
        #expect(en.totalDue == "EUR 99.99 + USD 260.50")
    }

    @Test func totalsOfHugeAmountsDoNotOverflow() {
        let f = facts([invoice("A", due: "2026-11-01", amount: .max, open: .max), invoice("B", due: "2026-11-01", amount: .max, open: .max)])
        let ctx = ReminderContext(f, format: LocalizedFormat(language: .en))
        // 2 × 9,223,372,036,854,775,807 cents = 18,446,744,073,709,551,614 cents.
        #expect(ctx.totalDue == "USD 184,467,440,737,095,516.14")
    }

    @Test func earliestDueDateIsTheMostOverdueLine() {
        let ctx = ReminderContext(three, format: LocalizedFormat(language: .en))
        #expect(ctx.earliestDueDate == "10 Nov 2026")
        let reversed = ReminderContext(facts(three.invoices.reversed()), format: LocalizedFormat(language: .en))
        #expect(reversed.earliestDueDate == "10 Nov 2026")
        #expect(ReminderContext(facts([]), format: LocalizedFormat(language: .en)).earliestDueDate == "")
    }

    @Test func templateValueCarriesDerivedNames() {
        let value = ReminderContext(three, format: LocalizedFormat(language: .es)).templateValue
        #expect(value["invoice_count"] == "3")
        #expect(value["single_invoice"] == false)
        #expect(value["earliest_due_date"] == "10/11/2026")
        #expect(value["total_due"] == "99,99 EUR + 260,50 USD")
        #expect(value["customer"]?["ref"] == "C-001")
        guard case .list(let lines)? = value["invoices"] else {
            Issue.record("invoices is not a list")
            return
        }
        #expect(lines.map { $0["overdue"] } == [true, true, false])
        #expect(lines.map { $0["days_past_due"] } == ["15", "5", "-5"])
        let one = ReminderContext(facts([three.invoices[0]]), format: LocalizedFormat(language: .es)).templateValue
        #expect(one["single_invoice"] == true)
        #expect(one["invoice_count"] == "1")
    }

    @Test func dueTodayIsNotOverdue() {
        let onDueDate = facts([invoice("A", due: "2026-11-25", amount: 1, open: 1)])
        let value = ReminderContext(onDueDate, format: LocalizedFormat(language: .en)).templateValue
        guard case .list(let lines)? = value["invoices"] else {
            Issue.record("invoices is not a list")
            return
        }
        #expect(lines.first?["overdue"] == false)
        #expect(lines.first?["days_past_due"] == "0")
    }

    @Test func templateValueMatchesTheSchemaExactly() {
        let value = ReminderContext(three, format: LocalizedFormat(language: .fr)).templateValue
        #expect(conforms(value, to: TemplateSchema.reminder.fields) == [])
    }

    @Test func roundTripsThroughJSON() throws {
        let ctx = ReminderContext(three, format: LocalizedFormat(language: .pt))
        #expect(try JSONDecoder().decode(ReminderContext.self, from: JSONEncoder().encode(ctx)) == ctx)
    }
}
