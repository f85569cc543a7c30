import Foundation
import Testing

@testable import CobroCore

// Early-payment discounts "d/D net N" (reference §4.2).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private let USD = Currency(code: "USD")!
private let EUR = Currency(code: "EUR")!

private func usd(_ minor: Int64) -> Money { Money(minor: minor, USD) }

private func terms(_ text: String) -> DiscountTerms {
    guard case .success(let t) = DiscountTerms.parse(text) else { fatalError("bad terms \(text)") }
    return t
}

@Suite("Late charges: discount terms parsing")
struct DiscountTermsParsingTests {
    @Test(
        arguments: [
            ("2/10 net 30", 20_000, 10, 30), ("2/10, n/30", 20_000, 10, 30), ("1.5/15 net 45", 15_000, 15, 45),
            ("2/10 N/30", 20_000, 10, 30), ("  2/10 NET 30  ", 20_000, 10, 30), ("2%/10 net30", 20_000, 10, 30),
            ("2/10,n/30", 20_000, 10, 30), ("2 / 10 n 30", 20_000, 10, 30), ("1/10 net 60", 10_000, 10, 60),
            ("0.25/0 net 1", 2_500, 0, 1), ("2/10 Net 30", 20_000, 10, 30),
        ] as [(String, Int64, Int, Int)])
    func parsesValidForms(text: String, ppm: Int64, discountDays: Int, netDays: Int) {
        let t = terms(text)
        #expect(t.discount == Percentage(partsPerMillion: ppm))
        #expect(t.discountDays == discountDays)
        #expect(t.netDays == netDays)
    }

    @Test(arguments: [
        ("", "the text is empty"),
        ("net 30", "expected the discount percent"),
        ("2", "expected \"/\" after the discount percent"),
        ("2/10", "expected \"net N\" or \"n/N\""),
        ("2/10 net", "expected the net days"),
        ("2/ net 30", "expected the discount days"),
        ("0/10 net 30", "more than 0% and less than 100%"),
        ("100/10 net 30", "more than 0% and less than 100%"),
        ("2/30 net 30", "must be fewer than the net days"),
        ("2/40 net 30", "must be fewer than the net days"),
        ("2/10 net 30 days", "unexpected text after the net days"),
        ("2.12345/10 net 30", "at most 4 decimals"),
        ("2/10 gross 30", "expected \"net N\" or \"n/N\""),
        ("2/10 net 9999", "at most 3650"),
        ("2/10 net 9999999999", "expected the net days"),
        ("-2/10 net 30", "expected the discount percent"),
        ("2x/10 net 30", "expected \"/\" after the discount percent"),
    ])
    func rejectsWithAClearMessage(text: String, fragment: String) {
        guard case .failure(let e) = DiscountTerms.parse(text) else {
            Issue.record("\"\(text)\" parsed")
            return
        }
        #expect(e.input == text)
        #expect(e.description.contains(fragment), "\(e.description)")
        #expect(e.description.contains("valid forms are"))
        #expect(e.description.contains("\"2/10 net 30\""))
    }

    @Test func canonicalTextAndCoding() throws {
        #expect(terms("2/10, n/30").description == "2/10 net 30")
        #expect(terms("1.50/15 NET 45").description == "1.5/15 net 45")
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        let data = try e.encode([terms("1.5/15 net 45")])
        #expect(String(decoding: data, as: UTF8.self) == #"["1.5/15 net 45"]"#)
        #expect(try JSONDecoder().decode([DiscountTerms].self, from: data) == [terms("1.5/15 net 45")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([DiscountTerms].self, from: Data(#"["2/30 net 30"]"#.utf8)) }
    }

    @Test func checkedInitializer() {
        #expect(DiscountTerms(discount: .percent(2), discountDays: 10, netDays: 30) == terms("2/10 net 30"))
        #expect(DiscountTerms(discount: .zero, discountDays: 10, netDays: 30) == nil)
        #expect(DiscountTerms(discount: .percent(2), discountDays: -1, netDays: 30) == nil)
        #expect(DiscountTerms(discount: .percent(2), discountDays: 30, netDays: 30) == nil)
    }
}

@Suite("Late charges: discount amounts (reference §4.2 example)")
struct DiscountTermsAmountTests {
    let t = terms("2/10 net 30")
    let issued = day("2024-06-01")
    let invoice = Money(minor: 10_000_00, USD)

    @Test func referenceExampleDates() {
        #expect(t.lastDiscountDate(issueDate: issued) == day("2024-06-11"))
        #expect(t.netDueDate(issueDate: issued) == day("2024-07-01"))
    }

    @Test func referenceExamplePayNineThousandEightHundredByJune11() {
        #expect(t.amountToSettle(invoice, issueDate: issued, paymentDate: day("2024-06-11")) == usd(9_800_00))  // day 10, inclusive
        #expect(t.discount(on: invoice, issueDate: issued, paymentDate: day("2024-06-11")) == usd(200_00))
        #expect(t.amountToSettle(invoice, issueDate: issued, paymentDate: day("2024-06-01")) == usd(9_800_00))
        #expect(t.amountToSettle(invoice, issueDate: issued, paymentDate: day("2024-05-30")) == usd(9_800_00))  // prepaid
        #expect(t.amountToSettle(invoice, issueDate: issued, paymentDate: day("2024-06-12")) == usd(10_000_00))  // day 11
        #expect(t.amountToSettle(invoice, issueDate: issued, paymentDate: day("2024-07-01")) == usd(10_000_00))
        #expect(t.isDiscountAvailable(issueDate: issued, paymentDate: day("2024-06-11")))
        #expect(!t.isDiscountAvailable(issueDate: issued, paymentDate: day("2024-06-12")))
    }

    @Test func discountRoundingIsHalfToEven() {
        let onTime = day("2024-06-05")
        #expect(t.discount(on: usd(25), issueDate: issued, paymentDate: onTime) == usd(0))  // 0.5 cent → 0
        #expect(t.discount(on: usd(75), issueDate: issued, paymentDate: onTime) == usd(2))  // 1.5 → 2
        #expect(t.discount(on: usd(125), issueDate: issued, paymentDate: onTime) == usd(2))  // 2.5 → 2
        #expect(t.amountToSettle(usd(125), issueDate: issued, paymentDate: onTime) == usd(123))
        // 1.5% of 33.33 = 0.49995 → 0.50.
        #expect(terms("1.5/15 net 45").discount(on: usd(33_33), issueDate: issued, paymentDate: onTime) == usd(50))
        #expect(t.discount(on: usd(-100_00), issueDate: issued, paymentDate: onTime) == usd(0))
    }

    @Test func paymentInFullOnTime() throws {
        let r = try t.apply(payment: usd(9_800_00), toOpen: invoice, issueDate: issued, paymentDate: day("2024-06-11")).get()
        #expect(
            r == DiscountedPayment(discount: usd(200_00), settled: usd(10_000_00), remainingOpen: usd(0), unapplied: usd(0), unearnedDiscount: usd(0))
        )
    }

    @Test func overpaymentOnTimeLeavesTheExcessUnapplied() throws {
        let r = try t.apply(payment: usd(9_900_00), toOpen: invoice, issueDate: issued, paymentDate: day("2024-06-10")).get()
        #expect(
            r
                == DiscountedPayment(
                    discount: usd(200_00), settled: usd(10_000_00), remainingOpen: usd(0), unapplied: usd(100_00), unearnedDiscount: usd(0)))
    }

    @Test func partialPaymentOnTimeEarnsAProRataDiscount() throws {
        // 4,900 paid within the window settles 4,900 / 0.98 = 5,000: discount 100.
        let r = try t.apply(payment: usd(4_900_00), toOpen: invoice, issueDate: issued, paymentDate: day("2024-06-05")).get()
        #expect(
            r
                == DiscountedPayment(
                    discount: usd(100_00), settled: usd(5_000_00), remainingOpen: usd(5_000_00), unapplied: usd(0), unearnedDiscount: usd(0)))
        // 1.00 paid: earns 1.00 × 0.02 / 0.98 = 0.020408… → 0.02.
        let small = try t.apply(payment: usd(1_00), toOpen: invoice, issueDate: issued, paymentDate: day("2024-06-05")).get()
        #expect(small.discount == usd(2))
        #expect(small.settled == usd(1_02))
    }

    @Test func discountTakenAfterTheWindowIsUnearned() throws {
        // 9,800 paid on June 15: no discount; 200 stays open and is flagged as an unearned discount.
        let r = try t.apply(payment: usd(9_800_00), toOpen: invoice, issueDate: issued, paymentDate: day("2024-06-15")).get()
        #expect(
            r
                == DiscountedPayment(
                    discount: usd(0), settled: usd(9_800_00), remainingOpen: usd(200_00), unapplied: usd(0), unearnedDiscount: usd(200_00)))
        // An ordinary late partial payment is not an unearned discount.
        let partial = try t.apply(payment: usd(5_000_00), toOpen: invoice, issueDate: issued, paymentDate: day("2024-06-15")).get()
        #expect(partial.unearnedDiscount == usd(0))
        #expect(partial.remainingOpen == usd(5_000_00))
        // Paying the full amount late is fine.
        let full = try t.apply(payment: usd(10_000_00), toOpen: invoice, issueDate: issued, paymentDate: day("2024-07-20")).get()
        #expect(
            full == DiscountedPayment(discount: usd(0), settled: usd(10_000_00), remainingOpen: usd(0), unapplied: usd(0), unearnedDiscount: usd(0)))
    }

    @Test func mismatchedCurrencyAndEmptyAmounts() throws {
        #expect(
            t.apply(payment: Money(minor: 9_800_00, EUR), toOpen: invoice, issueDate: issued, paymentDate: day("2024-06-05"))
                == .failure(.currencyMismatch(what: "payment", expected: USD, got: EUR)))
        let nothingOpen = try t.apply(payment: usd(50_00), toOpen: usd(0), issueDate: issued, paymentDate: day("2024-06-05")).get()
        #expect(nothingOpen.unapplied == usd(50_00))
        #expect(nothingOpen.settled == usd(0))
    }
}

@Suite("Late charges: implied annual cost of a discount (reference §4.2 table)")
struct DiscountTermsCostTests {
    @Test(
        arguments: [
            // terms, basis, nominal in ppm (d/(1−d) × B/(N−D), worked by hand), nominal to 2 decimals of percent
            ("2/10 net 30", DayCountBasis.actual365, 372_449, "37.24"),
            ("2/10 net 30", DayCountBasis.actual360, 367_347, "36.73"),
            ("1/10 net 30", DayCountBasis.actual365, 184_343, "18.43"),
            ("2/10 net 60", DayCountBasis.actual365, 148_980, "14.90"),
        ] as [(String, DayCountBasis, Int64, String)])
    func nominalCost(text: String, basis: DayCountBasis, ppm: Int64, rounded: String) {
        let cost = terms(text).nominalAnnualCost(basis: basis)
        #expect(cost.partsPerMillion == ppm)
        // Round to basis points and compare with the reference's two-decimal percent.
        let bp = (cost.partsPerMillion + 50) / 100
        #expect(Money.format(minor: bp, exponent: 2) == rounded)
    }

    @Test(arguments: [("2/10 net 30", 0.4459), ("1/10 net 30", 0.2013), ("2/10 net 60", 0.1589)])
    func effectiveCost(text: String, expected: Double) {
        let e = terms(text).effectiveAnnualCost(basis: .actual365)
        #expect(abs(e - expected) < 0.00005)
    }
}
