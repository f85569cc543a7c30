import Testing
@testable import CobroCore

// Customer account statement (estado de cuenta).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private let USD = Currency(code: "USD")!

private func line(_ date: String, _ kind: StatementLine.Kind, _ ref: String, debit: Int64 = 0, credit: Int64 = 0) -> StatementLine {
    StatementLine(date: day(date), kind: kind, ref: ref, description: "\(kind.rawValue) \(ref)", debitMinor: debit, creditMinor: credit)
}

private func openItem(_ ref: String, due: String, amount: Int64, open: Int64, kind: DocumentKind = .invoice) -> StatementOpenItem {
    StatementOpenItem(ref: ref, kind: kind, issueDate: day("2024-01-01"), dueDate: day(due), amountMinor: amount, openMinor: open, daysPastDue: 0)
}

@Suite("Core: Statement.build")
struct CoreStatementTests {
    // Refs are chosen so that sorting by ref alone would give the wrong order.
    let movements = [
        line("2024-06-15", .payment, "A-PAY", credit: 30_000),
        line("2024-06-15", .creditNote, "B-CN", credit: 5_000),
        line("2024-06-15", .invoice, "Z-INV", debit: 20_000),
        line("2024-06-15", .debitNote, "M-DN", debit: 1_000),
        line("2024-06-01", .invoice, "INV-2", debit: 50_000),
        line("2024-05-31", .invoice, "INV-OLD", debit: 99_999),  // before the period
        line("2024-07-01", .payment, "PAY-LATE", credit: 88_888),  // after the period
        line("2024-06-30", .payment, "PAY-9", credit: 10_000),
        line("2024-06-01", .invoice, "INV-1", debit: 7_000),
    ]

    func build(opening: Int64 = 12_345, open: [StatementOpenItem] = []) -> Statement {
        Statement.build(
            customerRef: "ACME", currency: USD, from: day("2024-06-01"), to: day("2024-06-30"), openingMinor: opening,
            movements: movements, openItems: open, unappliedMinor: 2_500)
    }

    @Test func linesAreOrderedAndFilteredToThePeriod() {
        let s = build()
        #expect(s.lines.map(\.ref) == ["INV-1", "INV-2", "M-DN", "Z-INV", "B-CN", "A-PAY", "PAY-9"])
    }

    @Test func runningBalanceFromOpening() {
        let s = build()
        #expect(s.openingMinor == 12_345)
        #expect(s.lines.map(\.balanceMinor) == [19_345, 69_345, 70_345, 90_345, 85_345, 55_345, 45_345])
        #expect(s.closingMinor == 45_345)
    }

    @Test func closingIsOpeningPlusDebitsMinusCredits() {
        for opening: Int64 in [0, 12_345, -4_000] {
            let s = build(opening: opening)
            // In-period debits 7,000 + 50,000 + 1,000 + 20,000; credits 5,000 + 30,000 + 10,000.
            #expect(s.closingMinor == opening + 78_000 - 45_000)
            #expect(s.lines.last?.balanceMinor == s.closingMinor)
        }
    }

    @Test func headerFieldsAreCarried() {
        let s = build()
        #expect(s.customerRef == "ACME")
        #expect(s.currency == USD)
        #expect(s.from == day("2024-06-01"))
        #expect(s.to == day("2024-06-30"))
        #expect(s.unappliedMinor == 2_500)
        #expect(s.lines.first?.description == "invoice INV-1")
    }

    @Test func emptyPeriodClosesAtOpening() {
        let s = Statement.build(
            customerRef: "ACME", currency: USD, from: day("2024-08-01"), to: day("2024-08-31"), openingMinor: 5_000,
            movements: movements, openItems: [], unappliedMinor: 0)
        #expect(s.lines.isEmpty)
        #expect(s.closingMinor == 5_000)
    }

    @Test func periodBoundsAreInclusive() {
        let s = Statement.build(
            customerRef: "ACME", currency: USD, from: day("2024-06-15"), to: day("2024-06-15"), openingMinor: 0,
            movements: movements, openItems: [], unappliedMinor: 0)
        #expect(s.lines.map(\.ref) == ["M-DN", "Z-INV", "B-CN", "A-PAY"])
        #expect(s.closingMinor == -14_000)
    }

    @Test func openItemsSortedByDueThenRefWithoutZeroes() {
        let s = build(open: [
            openItem("INV-9", due: "2024-07-15", amount: 9_000, open: 9_000),
            openItem("INV-3", due: "2024-06-30", amount: 3_000, open: 1_000),
            openItem("INV-PAID", due: "2024-05-01", amount: 4_000, open: 0),
            openItem("DN-1", due: "2024-07-15", amount: 500, open: 500, kind: .debitNote),
            openItem("INV-1", due: "2024-06-01", amount: 2_000, open: 2_000),
        ])
        #expect(s.openItems.map(\.ref) == ["INV-1", "INV-3", "DN-1", "INV-9"])
        #expect(s.openItems.map(\.openMinor) == [2_000, 1_000, 500, 9_000])
    }
}
