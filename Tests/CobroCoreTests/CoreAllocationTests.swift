import Testing
@testable import CobroCore

// Cash application (DESIGN §4.2: Σ allocations ≤ credit, open balance never negative) and allocation spans.

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func item(_ id: Int64, issue: String, due: String, open: Int64) -> OpenItem {
    OpenItem(id: id, issueDate: day(issue), dueDate: day(due), openMinor: open)
}

private func alloc(_ id: Int64, _ amount: Int64) -> PlannedAllocation {
    PlannedAllocation(itemID: id, amountMinor: amount)
}

@Suite("Core: CashApplication.plan")
struct CoreCashApplicationTests {
    /// Given in scrambled order on purpose.
    let items = [
        item(3, issue: "2024-05-01", due: "2024-05-31", open: 3_000),
        item(1, issue: "2024-03-01", due: "2024-03-31", open: 1_000),
        item(2, issue: "2024-04-01", due: "2024-04-30", open: 2_000),
    ]

    @Test func oldestDueFirstWithPartialLastItem() {
        #expect(CashApplication.plan(amount: 3_500, items: items) == [alloc(1, 1_000), alloc(2, 2_000), alloc(3, 500)])
    }

    @Test func exactAmountStopsWithoutEmptyAllocations() {
        #expect(CashApplication.plan(amount: 3_000, items: items) == [alloc(1, 1_000), alloc(2, 2_000)])
        #expect(CashApplication.plan(amount: 1, items: items) == [alloc(1, 1)])
    }

    @Test func overpaymentLeavesRemainderUnapplied() {
        let plan = CashApplication.plan(amount: 10_000, items: items)
        #expect(plan == [alloc(1, 1_000), alloc(2, 2_000), alloc(3, 3_000)])
        #expect(plan.reduce(0) { $0 + $1.amountMinor } == 6_000)  // 4,000 stays as customer credit
    }

    @Test func tiesOnDueDateBreakByIssueDateThenID() {
        let tied = [
            item(9, issue: "2024-05-10", due: "2024-06-30", open: 100),
            item(7, issue: "2024-05-20", due: "2024-06-30", open: 100),
            item(8, issue: "2024-05-10", due: "2024-06-30", open: 100),
            item(5, issue: "2024-06-01", due: "2024-07-31", open: 100),
            item(6, issue: "2024-01-01", due: "2024-06-30", open: 100),
        ]
        let plan = CashApplication.plan(amount: 10_000, items: tied)
        #expect(plan.map(\.itemID) == [6, 8, 9, 7, 5])
    }

    @Test func namedItemOnly() {
        // Item 3 is the newest, but the remittance names it: it alone is paid, the rest stays unapplied.
        #expect(CashApplication.plan(amount: 2_000, items: items, namedItem: 3) == [alloc(3, 2_000)])
        #expect(CashApplication.plan(amount: 5_000, items: items, namedItem: 3) == [alloc(3, 3_000)])
        #expect(CashApplication.plan(amount: 5_000, items: items, namedItem: 42) == [])
    }

    @Test func namedItemThatIsAlreadyPaidGetsNothing() {
        let paid = [item(1, issue: "2024-03-01", due: "2024-03-31", open: 0), item(2, issue: "2024-04-01", due: "2024-04-30", open: 500)]
        #expect(CashApplication.plan(amount: 100, items: paid, namedItem: 1) == [])
    }

    @Test(arguments: [Int64(0), -1, -5_000, Int64.min])
    func zeroOrNegativeAmountPlansNothing(amount: Int64) {
        #expect(CashApplication.plan(amount: amount, items: items) == [])
        #expect(CashApplication.plan(amount: amount, items: items, namedItem: 1) == [])
    }

    @Test func itemsWithoutOpenBalanceAreSkipped() {
        let mixed = [
            item(1, issue: "2024-01-01", due: "2024-01-31", open: 0),
            item(2, issue: "2024-02-01", due: "2024-02-29", open: -300),
            item(3, issue: "2024-03-01", due: "2024-03-31", open: 400),
            item(4, issue: "2024-04-01", due: "2024-04-30", open: 600),
        ]
        #expect(CashApplication.plan(amount: 500, items: mixed) == [alloc(3, 400), alloc(4, 100)])
        #expect(CashApplication.plan(amount: 500, items: []) == [])
    }

    @Test func effectiveDateIsTheLaterOfCreditAndIssue() {
        #expect(CashApplication.effectiveDate(creditDate: day("2024-06-10"), itemIssueDate: day("2024-06-01")) == day("2024-06-10"))
        // A prepayment settles the invoice only once the invoice exists.
        #expect(CashApplication.effectiveDate(creditDate: day("2024-05-20"), itemIssueDate: day("2024-06-01")) == day("2024-06-01"))
        #expect(CashApplication.effectiveDate(creditDate: day("2024-06-01"), itemIssueDate: day("2024-06-01")) == day("2024-06-01"))
    }
}

@Suite("Core: AllocationSpan")
struct CoreAllocationSpanTests {
    let spans = [
        AllocationSpan(amountMinor: 1_000, appliedOn: day("2024-06-10")),
        AllocationSpan(amountMinor: 300, appliedOn: day("2024-06-05"), reversedOn: day("2024-06-20")),
        AllocationSpan(amountMinor: 50, appliedOn: day("2024-06-25"), reversedOn: day("2024-07-02")),
    ]

    @Test func isActiveFromAppliedUntilTheDayBeforeReversal() {
        let s = spans[1]
        #expect(!s.isActive(on: day("2024-06-04")))
        #expect(s.isActive(on: day("2024-06-05")))
        #expect(s.isActive(on: day("2024-06-19")))
        #expect(!s.isActive(on: day("2024-06-20")))  // reversed that day: no longer counts
        #expect(!s.isActive(on: day("2024-12-31")))
        #expect(spans[0].isActive(on: day("2099-01-01")))  // never reversed
    }

    @Test(arguments: [
        ("2024-06-04", Int64(0)),
        ("2024-06-05", 300),
        ("2024-06-09", 300),
        ("2024-06-10", 1_300),
        ("2024-06-19", 1_300),
        ("2024-06-20", 1_000),
        ("2024-06-25", 1_050),
        ("2024-07-01", 1_050),
        ("2024-07-02", 1_000),
    ])
    func appliedOnDate(date: String, expected: Int64) {
        #expect(AllocationSpan.applied(spans, on: day(date)) == expected)
    }

    @Test func lastEventDay() {
        #expect(AllocationSpan.lastEventDay(spans) == day("2024-07-02"))
        #expect(AllocationSpan.lastEventDay([spans[0], spans[1]]) == day("2024-06-20"))
        #expect(AllocationSpan.lastEventDay([spans[0]]) == day("2024-06-10"))
        #expect(AllocationSpan.lastEventDay([]) == nil)
        #expect(AllocationSpan.applied([], on: day("2024-06-30")) == 0)
    }
}
