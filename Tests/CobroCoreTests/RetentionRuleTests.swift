import CobroCore
import Foundation
import Testing

@Suite("Retention rule: who may be erased, and what is personal") struct RetentionRuleTests {
    func day(_ s: String) -> LocalDate { LocalDate(iso: s)! }
    func account(open: Int = 0, credit: Int = 0, disputes: Int = 0, agency: Bool = false, last: String) -> RetentionRule.Account {
        RetentionRule.Account(openItems: open, unappliedCredits: credit, openDisputes: disputes, withAgency: agency, lastActivity: day(last))
    }

    @Test("the cutoff is the same calendar day N years back; 29 February becomes 28 February")
    func cutoff() {
        #expect(RetentionRule.cutoff(asOf: day("2026-12-05"), years: 10) == day("2016-12-05"))
        #expect(RetentionRule.cutoff(asOf: day("2028-02-29"), years: 10) == day("2018-02-28"))
        #expect(RetentionRule.cutoff(asOf: day("2028-02-29"), years: 4) == day("2024-02-29"))
        #expect(RetentionRule.cutoff(asOf: day("2024-01-31"), years: 1) == day("2023-01-31"))
    }

    @Test("activity on the cutoff day is recent; the day before is old enough")
    func boundary() {
        let cutoff = day("2016-12-05")
        #expect(RetentionRule.decide(account(last: "2016-12-05"), cutoff: cutoff) == .tooRecent)
        #expect(RetentionRule.decide(account(last: "2016-12-04"), cutoff: cutoff) == .erase)
    }

    @Test("an old account is refused for each thing it still has, all of them listed")
    func refusals() {
        let cutoff = day("2016-12-05")
        #expect(RetentionRule.decide(account(open: 1, last: "2012-01-01"), cutoff: cutoff) == .refuse([.openBalance]))
        #expect(RetentionRule.decide(account(credit: 2, last: "2012-01-01"), cutoff: cutoff) == .refuse([.unappliedCredit]))
        #expect(RetentionRule.decide(account(disputes: 1, last: "2012-01-01"), cutoff: cutoff) == .refuse([.openDispute]))
        #expect(RetentionRule.decide(account(agency: true, last: "2012-01-01"), cutoff: cutoff) == .refuse([.withAgency]))
        #expect(RetentionRule.decide(account(open: 3, credit: 1, disputes: 1, agency: true, last: "2012-01-01"), cutoff: cutoff)
            == .refuse([.openBalance, .unappliedCredit, .openDispute, .withAgency]))
        // A recent account with an open balance is simply not a candidate: nothing to refuse yet.
        #expect(RetentionRule.decide(account(open: 1, last: "2020-01-01"), cutoff: cutoff) == .tooRecent)
        for r in RetentionRule.Refusal.allCases { #expect(!r.explanation.isEmpty) }
    }

    @Test("redaction replaces personal values at any depth and keeps amounts, dates and references")
    func redact() throws {
        let before = #"{"name":"Ana Pérez","email":"ana@x.example","amount":"1200.00","nested":{"phone":"+52 55 1234","due_date":"2013-05-01"},"list":[{"summary":"called Ana"}],"empty":"","gone":null}"#
        let out = try #require(RetentionRule.redact(json: before))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(obj["name"] as? String == "[erased]")
        #expect(obj["email"] as? String == "[erased]")
        #expect(obj["amount"] as? String == "1200.00")
        let nested = try #require(obj["nested"] as? [String: Any])
        #expect(nested["phone"] as? String == "[erased]")
        #expect(nested["due_date"] as? String == "2013-05-01")
        #expect((obj["list"] as? [[String: Any]])?.first?["summary"] as? String == "[erased]")
        #expect(obj["empty"] as? String == "")
        #expect(obj["gone"] is NSNull)
        #expect(!out.contains("Ana") && !out.contains("ana@") && !out.contains("1234"))
    }

    @Test("nothing personal, already redacted or not an object: nil (the event is left alone)")
    func redactUnchanged() {
        #expect(RetentionRule.redact(json: #"{"amount":"5.00","status":"paid"}"#) == nil)
        #expect(RetentionRule.redact(json: #"{"name":"[erased]"}"#) == nil)
        #expect(RetentionRule.redact(json: "[1,2]") == nil)
        #expect(RetentionRule.redact(json: "not json") == nil)
    }
}
