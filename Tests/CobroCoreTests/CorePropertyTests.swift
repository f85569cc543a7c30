import Testing
@testable import CobroCore

// Property tests (DESIGN §4) with a small deterministic generator. Every case has its own seed, printed in the
// failure message: rerun one case by calling the property body with that seed.


private let USD = Currency(code: "USD")!
private let EUR = Currency(code: "EUR")!
private let JPY = Currency(code: "JPY")!
private let BHD = Currency(code: "BHD")!
private let CLF = Currency(code: "CLF")!

private let baseSeed: UInt64 = 0xC0B2_2024
private func seeds(_ property: UInt64, count: Int) -> [UInt64] {
    (0..<UInt64(count)).map { baseSeed &+ property &* 1_000_003 &+ $0 }
}

private let asOf = LocalDate(year: 2024, month: 6, day: 30)!

/// An independent bucket function for the default rules (DESIGN §5): inclusive upper bounds, due today = current.
private func expectedBucket(days: Int, bounds: [Int], basis: AgingBasis) -> Int {
    if basis == .dueDate && days <= 0 { return 0 }
    let offset = basis == .dueDate ? 1 : 0
    var i = 0
    while i < bounds.count && days > bounds[i] { i += 1 }
    return i + offset
}

private struct Key: Hashable {
    let ref: String
    let cur: String
}

@Suite("Core: properties")
struct CorePropertyTests {
    // MARK: (a) cash application

    @Test func cashApplicationPlanProperties() {
        for seed in seeds(1, count: 500) {
            var g = SplitMix64(seed: seed)
            let n = g.int(0...8)
            var items: [OpenItem] = []
            for k in 0..<n {
                let issue = asOf.adding(days: -g.int(0...200))
                let due = issue.adding(days: g.pick([0, 15, 30, 30, 45, 60]))
                let open: Int64 = g.chance(15) ? g.pick([0, -1, -500]) : g.int(1...100_000)
                // Ids are unique but not in date order.
                items.append(OpenItem(id: Int64(k * 7 % 11 + 100 * k), issueDate: issue, dueDate: due, openMinor: open))
            }
            let amount: Int64 = g.chance(10) ? g.int(-1_000...0) : g.int(1...400_000)
            let named: Int64? = g.chance(25) && !items.isEmpty ? (g.chance(80) ? g.pick(items).id : 999_999) : nil
            let plan = CashApplication.plan(amount: amount, items: items, namedItem: named)
            let ctx = "seed \(seed): amount \(amount), named \(String(describing: named)), items \(items), plan \(plan)"

            let openByID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.openMinor) })
            let total = plan.reduce(Int64(0)) { $0 + $1.amountMinor }
            #expect(plan.allSatisfy { $0.amountMinor > 0 }, "\(ctx)")
            #expect(plan.allSatisfy { $0.amountMinor <= openByID[$0.itemID] ?? Int64.min }, "\(ctx)")
            #expect(Set(plan.map(\.itemID)).count == plan.count, "an item planned twice: \(ctx)")
            #expect(total <= max(amount, 0), "\(ctx)")

            if amount <= 0 {
                #expect(plan.isEmpty, "\(ctx)")
            } else if let named {
                let open = max(openByID[named] ?? 0, 0)
                #expect(plan.allSatisfy { $0.itemID == named }, "\(ctx)")
                #expect(total == min(amount, open), "\(ctx)")
            } else {
                let totalOpen = items.reduce(Int64(0)) { $0 + max($1.openMinor, 0) }
                #expect(total == min(amount, totalOpen), "\(ctx)")
                // Oldest due first (ties: issue date, then id), and only the last planned item may be partial.
                let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
                let keys = plan.map { a in byID[a.itemID].map { ($0.dueDate.dayNumber, $0.issueDate.dayNumber, $0.id) } ?? (0, 0, 0) }
                #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "order: \(ctx)")
                #expect(plan.dropLast().allSatisfy { $0.amountMinor == openByID[$0.itemID] }, "partial before last: \(ctx)")
                // No skipped open item sorts before the last planned one.
                if let last = keys.last {
                    let planned = Set(plan.map(\.itemID))
                    let skippedEarlier = items.filter {
                        $0.openMinor > 0 && !planned.contains($0.id)
                            && ($0.dueDate.dayNumber, $0.issueDate.dayNumber, $0.id) < last
                    }
                    #expect(skippedEarlier.isEmpty, "skipped \(skippedEarlier): \(ctx)")
                }
            }
        }
    }

    // MARK: (b) aging totals

    @Test(arguments: [AgingBasis.dueDate, .issueDate])
    func agingTotalsAddUp(basis: AgingBasis) throws {
        let customers = ["A", "B", "C", "D"]
        let currencies = [USD, EUR, JPY, BHD]
        for seed in seeds(basis == .dueDate ? 2 : 3, count: 300) {
            var g = SplitMix64(seed: seed)
            // Random valid buckets: 1–4 strictly increasing bounds.
            var bounds: [Int] = []
            var b = 0
            for _ in 0..<g.int(1...4) { b += g.int(1...60); bounds.append(b) }
            let buckets = try AgingBuckets.make(bounds).get()
            var items: [AgingItem] = []
            for _ in 0..<g.int(0...30) {
                let issue = asOf.adding(days: -g.int(0...400))
                let due = issue.adding(days: g.int(0...90))
                let open: Int64 = g.chance(10) ? g.pick([0, -5]) : g.int(1...1_000_000)
                items.append(AgingItem(customerRef: g.pick(customers), currency: g.pick(currencies), issueDate: issue, dueDate: due, openMinor: open))
            }
            var credits: [AgingCredit] = []
            for _ in 0..<g.int(0...6) {
                credits.append(AgingCredit(customerRef: g.pick(customers), currency: g.pick(currencies), unappliedMinor: g.chance(10) ? 0 : g.int(1...500_000)))
            }
            let report = AgingReport.build(asOf: asOf, basis: basis, buckets: buckets, items: items, credits: credits)
            let ctx = "seed \(seed), bounds \(bounds), basis \(basis)"
            let width = basis == .dueDate ? bounds.count + 2 : bounds.count + 1
            #expect(report.labels.count == width, "\(ctx)")

            // Independent expectation per (customer, currency).
            var expectedBuckets: [Key: [Int64]] = [:]
            var expectedCredit: [Key: Int64] = [:]
            for i in items where i.openMinor > 0 {
                let days = basis == .dueDate ? i.dueDate.dayNumber : i.issueDate.dayNumber
                let idx = expectedBucket(days: asOf.dayNumber - days, bounds: bounds, basis: basis)
                expectedBuckets[Key(ref: i.customerRef, cur: i.currency.code), default: Array(repeating: 0, count: width)][idx] += i.openMinor
            }
            for c in credits where c.unappliedMinor > 0 {
                expectedCredit[Key(ref: c.customerRef, cur: c.currency.code), default: 0] += c.unappliedMinor
            }
            let keys = Set(expectedBuckets.keys).union(expectedCredit.keys)
            #expect(report.rows.count == keys.count, "\(ctx)")
            for row in report.rows {
                let k = Key(ref: row.customerRef, cur: row.currency.code)
                #expect(row.buckets == expectedBuckets[k] ?? Array(repeating: 0, count: width), "\(ctx) row \(k)")
                #expect(row.unappliedMinor == expectedCredit[k] ?? 0, "\(ctx) row \(k)")
            }
            #expect(report.rows.map { [$0.currency.code, $0.customerRef] }.isSortedLexicographically(), "rows not sorted: \(ctx)")

            for cur in currencies {
                let rows = report.rows.filter { $0.currency == cur }
                let opens = items.filter { $0.currency == cur && $0.openMinor > 0 }.reduce(Int64(0)) { $0 + $1.openMinor }
                let unapplied = credits.filter { $0.currency == cur && $0.unappliedMinor > 0 }.reduce(Int64(0)) { $0 + $1.unappliedMinor }
                guard let total = report.total(for: cur) else {
                    #expect(rows.isEmpty, "\(ctx): rows in \(cur) but no TOTAL")
                    continue
                }
                #expect(total.customerRef == "TOTAL")
                #expect(total.totalMinor == rows.reduce(Int64(0)) { $0 + $1.totalMinor }, "\(ctx) \(cur)")
                #expect(total.buckets.reduce(0, +) == opens, "\(ctx) \(cur)")
                #expect(total.unappliedMinor == unapplied, "\(ctx) \(cur)")
                #expect(total.totalMinor == opens - unapplied, "\(ctx) \(cur)")
                for i in 0..<width {
                    #expect(total.buckets[i] == rows.reduce(Int64(0)) { $0 + $1.buckets[i] }, "\(ctx) \(cur) bucket \(i)")
                }
            }
        }
    }

    /// DESIGN §4.3: aging total as of D = Σ statement closing balances as of D (statements from the first
    /// movement with opening 0), with credits applied by CashApplication.plan.
    @Test func agingTotalEqualsStatementClosings() {
        for seed in seeds(4, count: 200) {
            var g = SplitMix64(seed: seed)
            var agingItems: [AgingItem] = []
            var agingCredits: [AgingCredit] = []
            var closings: Int64 = 0
            for customer in ["A", "B", "C"] {
                var open: [OpenItem] = []
                var movements: [StatementLine] = []
                var unapplied: Int64 = 0
                var nextID: Int64 = 1
                for _ in 0..<g.int(0...12) {
                    let date = asOf.adding(days: -g.int(0...180))
                    if g.chance(60) {
                        let amount = g.int(Int64(1)...200_000)
                        open.append(OpenItem(id: nextID, issueDate: date, dueDate: date.adding(days: 30), openMinor: amount))
                        movements.append(StatementLine(date: date, kind: .invoice, ref: "I\(nextID)", debitMinor: amount, creditMinor: 0))
                        nextID += 1
                    } else {
                        let amount = g.int(Int64(1)...250_000)
                        let plan = CashApplication.plan(amount: amount, items: open)
                        for a in plan {
                            if let i = open.firstIndex(where: { $0.id == a.itemID }) { open[i].openMinor -= a.amountMinor }
                        }
                        unapplied += amount - plan.reduce(0) { $0 + $1.amountMinor }
                        movements.append(StatementLine(date: date, kind: .payment, ref: "P\(nextID)", debitMinor: 0, creditMinor: amount))
                        nextID += 1
                    }
                }
                let from = movements.map(\.date).min() ?? asOf
                let s = Statement.build(
                    customerRef: customer, currency: USD, from: from, to: asOf, openingMinor: 0, movements: movements,
                    openItems: [], unappliedMinor: unapplied)
                #expect(s.lines.count == movements.count, "seed \(seed)")
                closings += s.closingMinor
                agingItems += open.map { AgingItem(customerRef: customer, currency: USD, issueDate: $0.issueDate, dueDate: $0.dueDate, openMinor: $0.openMinor) }
                agingCredits.append(AgingCredit(customerRef: customer, currency: USD, unappliedMinor: unapplied))
            }
            let report = AgingReport.build(asOf: asOf, items: agingItems, credits: agingCredits)
            #expect((report.total(for: USD)?.totalMinor ?? 0) == closings, "seed \(seed)")
        }
    }

    // MARK: (c) money format/parse round trip

    @Test(arguments: [JPY, USD, BHD, CLF])
    func moneyFormatParseRoundTrip(currency: Currency) {
        let limit = Int64.max / 1_000
        for seed in seeds(5 &+ UInt64(currency.exponent), count: 500) {
            var g = SplitMix64(seed: seed)
            let minor: Int64 = switch g.int(0...3) {
            case 0: g.int(-1_000...1_000)
            case 1: g.int(-10_000_000...10_000_000)
            case 2: g.int(-limit...limit)
            default: g.pick([0, 1, -1, limit, -limit, 10, -10, 100, 999])
            }
            let text = Money.format(minor: minor, exponent: currency.exponent)
            #expect(Money.parseMinor(text, currency: currency) == .success(minor), "seed \(seed): \(minor) → \(text)")
            // Shape: optional '-', digits, and exactly `exponent` fraction digits after one '.'.
            let body = text.hasPrefix("-") ? String(text.dropFirst()) : text
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            if currency.exponent == 0 {
                #expect(parts.count == 1, "seed \(seed): \(text)")
            } else {
                #expect(parts.count == 2 && parts[1].count == currency.exponent && !parts[0].isEmpty, "seed \(seed): \(text)")
            }
            #expect(text.hasPrefix("-") == (minor < 0), "seed \(seed): \(text)")
            // Trailing zeros do not change the value.
            let padded = currency.exponent == 0 ? text + ".000" : text + "00"
            #expect(Money.parseMinor(padded, currency: currency) == .success(minor), "seed \(seed): \(padded)")
        }
    }

    // MARK: (d) exchange-rate conversion

    @Test func exchangeRateConvertIsMonotonicAndExact() {
        let currencies = [JPY, USD, BHD, CLF]
        for seed in seeds(9, count: 500) {
            var g = SplitMix64(seed: seed)
            let from = g.pick(currencies), to = g.pick(currencies)
            let nanos = g.chance(20) ? g.pick([Int64(1), 500_000_000, 1_000_000_000, 1_500_000_000, 2_500_000_000]) : g.int(Int64(1)...1_000_000_000_000)
            let rate = ExchangeRate(from: from, to: to, rateNanos: nanos)
            let x = g.int(Int64(-1_000_000_000)...1_000_000_000)
            let y = x + g.int(Int64(0)...1_000_000)
            let cx = rate.convert(x), cy = rate.convert(y)
            let ctx = "seed \(seed): \(from)→\(to) nanos \(nanos), x \(x), y \(y)"
            #expect(rate.convert(0) == 0, "\(ctx)")
            #expect(cx <= cy, "\(ctx): \(cx) > \(cy)")
            #expect(rate.convert(-x) == -cx, "half-even rounding is symmetric: \(ctx)")
            // |convert(x) − exact| ≤ ½ unit, with exact = x · nanos · 10^(to−from) / 10^9.
            var num = Int128(x) * Int128(nanos)
            var den = Int128(1_000_000_000)
            let shift = to.exponent - from.exponent
            for _ in 0..<max(shift, 0) { num *= 10 }
            for _ in 0..<max(-shift, 0) { den *= 10 }
            let twiceError = (Int128(cx) * den - num) * 2
            #expect(twiceError.magnitude <= den.magnitude, "\(ctx): \(cx)")
            if twiceError.magnitude == den.magnitude { #expect(cx % 2 == 0, "tie not to even: \(ctx): \(cx)") }
        }
    }

    // MARK: (e) dates

    @Test func localDateArithmeticRoundTrips() {
        for seed in seeds(10, count: 500) {
            var g = SplitMix64(seed: seed)
            let start = LocalDate(dayNumber: g.int(-600_000...600_000))  // ≈ years 327 … 3612 (±274 years below)
            let n = g.int(-100_000...100_000)
            let end = start.adding(days: n)
            let ctx = "seed \(seed): \(start) + \(n)"
            #expect(end.days(since: start) == n, "\(ctx)")
            #expect(start.days(since: end) == -n, "\(ctx)")
            #expect(end.adding(days: -n) == start, "\(ctx)")
            #expect((n > 0) == (start < end) || n == 0, "\(ctx)")
            #expect(LocalDate(iso: start.iso) == start, "\(ctx)")
            #expect(LocalDate(iso: end.iso) == end, "\(ctx)")
            // Months: calendar month index moves by exactly k, the day never grows and is clamped to the month end.
            let k = g.int(-240...240)
            let m = start.adding(months: k)
            let (y0, m0, d0) = start.parts
            let (y1, m1, d1) = m.parts
            #expect((y1 * 12 + m1) - (y0 * 12 + m0) == k, "\(ctx) months \(k) → \(m)")
            #expect(d1 == min(d0, LocalDate.daysIn(year: y1, month: m1)), "\(ctx) months \(k) → \(m)")
            #expect(m.isoWeekday == ((m.dayNumber - start.dayNumber) % 7 + 7 + start.isoWeekday - 1) % 7 + 1, "\(ctx)")
        }
    }
}

private extension Array where Element == [String] {
    /// Whether the rows are in non-decreasing lexicographic order.
    func isSortedLexicographically() -> Bool {
        zip(self, dropFirst()).allSatisfy { a, b in !b.lexicographicallyPrecedes(a) }
    }
}
