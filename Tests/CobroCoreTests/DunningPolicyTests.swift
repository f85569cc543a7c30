import Foundation
import Testing

@testable import CobroCore

// Dunning policies: built-ins, validation with field paths, JSON, and which policy a customer gets.

private let EUR = Currency(code: "EUR")!

private func paths(_ issues: [DunningPolicyIssue]) -> [String] { issues.map(\.path) }

@Suite("Dunning: policies")
struct DunningPolicyTests {
    @Test func cobroDefaultIsTheLadderOfTheIssue() {
        let p = DunningPolicy.cobroDefault
        #expect(p.steps.map(\.id) == ["reminder_before_due", "due_today", "overdue_7", "overdue_15", "overdue_30", "final_notice_45"])
        #expect(p.steps.map(\.offsetDays) == [-5, 0, 7, 15, 30, 45])
        #expect(p.steps.map(\.templateKey) == p.steps.map(\.id))
        #expect(p.steps[0].channels == [DunningStepChannel(.email)])
        #expect(p.steps[1].channels == [DunningStepChannel(.email)])
        #expect(p.steps[2].channels == [DunningStepChannel(.email, fallback: [.letter])])
        #expect(p.steps[3].channels == [DunningStepChannel(.email), DunningStepChannel(.sms)])
        #expect(p.steps[4].channels == [DunningStepChannel(.email, fallback: [.letter]), DunningStepChannel(.call)])
        #expect(p.steps[5].channels == [DunningStepChannel(.letter), DunningStepChannel(.email)])
        #expect(p.steps[5].escalations == [.creditHold, .handOverToAgency])
        #expect(p.steps[0..<5].allSatisfy { $0.escalations.isEmpty && $0.lateFee == nil })
        #expect(p.steps.allSatisfy { $0.conditions == DunningStepConditions(minOverdueBaseMinor: nil, skipIfPromiseOrPlan: true) })
        #expect(!p.sendsNoReminders)
    }

    @Test func otherBuiltIns() {
        #expect(DunningPolicy.noReminders.steps.isEmpty)
        #expect(DunningPolicy.noReminders.sendsNoReminders)
        let s = DunningPolicy.strategicStatement
        #expect(s.steps.map(\.offsetDays) == [0, 30, 60])
        #expect(s.steps.allSatisfy { $0.channels == [DunningStepChannel(.statement, fallback: [.letter])] && $0.escalations.isEmpty })
        #expect(Set(s.steps.map(\.templateKey)) == ["account_statement"])
        #expect(Set(DunningPolicy.builtIn.map(\.id)) == ["cobro_default", "no_reminders", "strategic_statement"])
    }

    @Test func builtInsAndStandardAssignmentAreValid() {
        for p in DunningPolicy.builtIn { #expect(p.validate().isEmpty, "\(p.id): \(p.validate())") }
        #expect(DunningPolicyAssignment.standard.validate().isEmpty)
    }

    @Test func validationNamesEveryFieldPath() {
        let policy = DunningPolicy(
            id: "",
            steps: [
                DunningStep(id: "a", offsetDays: 5, channels: [.init(.email)]),
                DunningStep(id: "a", offsetDays: 5, channels: [], templateKey: " "),
                DunningStep(
                    id: "bad id!", offsetDays: 4000, channels: [.init(.email, fallback: [.letter, .letter])],
                    conditions: DunningStepConditions(minOverdueBaseMinor: -1), escalations: [.creditHold, .creditHold],
                    lateFee: .percent(basisPoints: 20_000)),
                DunningStep(id: "d", offsetDays: 10, channels: [.init(.sms)], lateFee: .fixed([])),
                DunningStep(
                    id: "e", offsetDays: 20, channels: [.init(.email, fallback: [.email])],
                    lateFee: .fixed([.init(EUR, minor: -1), .init(EUR, minor: 5)])),
            ])
        let issues = policy.validate()
        #expect(
            paths(issues) == [
                "id",
                "steps[1].id", "steps[1].offset_days", "steps[1].channels", "steps[1].template_key",
                "steps[2].id", "steps[2].offset_days", "steps[2].channels[0].fallback[1]", "steps[2].conditions.min_overdue_base_minor",
                "steps[2].escalations[1]", "steps[2].late_fee.basis_points",
                "steps[3].offset_days", "steps[3].late_fee.amounts",
                "steps[4].channels[0].fallback[0]", "steps[4].late_fee.amounts[0].amount_minor", "steps[4].late_fee.amounts[1].currency",
            ])
        // The messages say what is valid.
        func message(_ path: String) -> String { issues.filter { $0.path == path }.map(\.message).joined(separator: " | ") }
        #expect(message("steps[1].id").contains("duplicate step id \"a\""))
        #expect(message("steps[1].id").contains("steps[0].id"))
        #expect(message("steps[1].offset_days").contains("must be greater than 5 (steps[0].offset_days)"))
        #expect(message("steps[3].offset_days").contains("must be greater than 4000 (steps[2].offset_days)"))
        #expect(message("steps[2].offset_days").contains("between -365 and 3650"))
        #expect(message("steps[1].channels").contains("at least one channel"))
        #expect(message("steps[2].id").contains("letters, digits"))
        #expect(message("steps[2].conditions.min_overdue_base_minor").contains("≥ 0"))
        #expect(message("steps[2].late_fee.basis_points").contains("between 0 and 10000"))
        #expect(issues.first?.description.hasPrefix("id: ") == true)
    }

    // Payment plan reminders record steps `plan_<id>_…`: a policy step may not take that prefix and share their record.
    @Test func planReminderStepIdsAreReserved() {
        let issues = DunningPolicy(id: "p", steps: [DunningStep(id: "plan_1_2_due", offsetDays: 0, channels: [.init(.email)])]).validate()
        #expect(paths(issues) == ["steps[0].id"])
        #expect(issues.first?.message.contains("reserved for payment plan reminders") == true)
        #expect(DunningPolicy(id: "p", steps: [DunningStep(id: "planned", offsetDays: 0, channels: [.init(.email)])]).validate().isEmpty)
    }

    @Test func offsetsMustIncreaseStrictly() {
        let steps = [-5, 0, 0, 7, 6].enumerated().map { i, o in DunningStep(id: "s\(i)", offsetDays: o, channels: [.init(.email)]) }
        #expect(paths(DunningPolicy(id: "p", steps: steps).validate()) == ["steps[2].offset_days", "steps[4].offset_days"])
    }

    @Test func emptyPolicyIsValidAndMeansNoReminders() {
        #expect(DunningPolicy(id: "quiet", steps: []).validate().isEmpty)
        #expect(DunningPolicy(id: "quiet", steps: []).sendsNoReminders)
    }

    @Test func assignmentValidation() {
        let broken = DunningPolicy(id: "broken", steps: [DunningStep(id: "x", offsetDays: 1, channels: [])])
        let a = DunningPolicyAssignment(
            policies: [.cobroDefault, .cobroDefault, broken], defaultPolicyID: "nope", strategicPolicyID: "strategic_statement",
            segmentPolicyIDs: ["vip": "gone", "retail": "cobro_default"])
        let issues = a.validate()
        #expect(paths(issues) == ["policies[1].id", "policies[2].steps[0].channels", "default", "strategic", "segments[\"vip\"]"])
        #expect(issues[2].message.contains("\"nope\""))
        #expect(issues[2].message.contains("known: cobro_default, cobro_default, broken"))
    }

    // MARK: JSON

    @Test func stepEncodesWithSnakeCaseKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let step = DunningStep(id: "s", offsetDays: 7, channels: [.init(.email, fallback: [.letter])])
        let text = String(decoding: try encoder.encode(step), as: UTF8.self)
        #expect(
            text == #"{"channels":[{"channel":"email","fallback":["letter"]}],"conditions":{"skip_if_promise_or_plan":true},"#
                + #""escalations":[],"id":"s","offset_days":7,"template_key":"s"}"#)
    }

    @Test func decodesHandWrittenPolicy() throws {
        let json = """
            {"id": "custom", "steps": [
              {"id": "first", "offset_days": 3, "template_key": "t1",
               "channels": [{"channel": "email", "fallback": ["letter", "call"]}]},
              {"id": "second", "offset_days": 20, "template_key": "t2", "channels": [{"channel": "sms"}, {"channel": "call"}],
               "conditions": {"min_overdue_base_minor": 5000, "skip_if_promise_or_plan": false},
               "escalations": ["credit_hold", "reassign_to_manager"],
               "late_fee": {"type": "fixed", "amounts": [{"currency": "EUR", "amount_minor": 4000}]}},
              {"id": "third", "offset_days": 40, "template_key": "t3", "channels": [{"channel": "letter"}],
               "conditions": {}, "late_fee": {"type": "percent", "basis_points": 150}}
            ]}
            """
        let decoded = try JSONDecoder().decode(DunningPolicy.self, from: Data(json.utf8))
        let expected = DunningPolicy(
            id: "custom", name: "custom",
            steps: [
                DunningStep(id: "first", offsetDays: 3, channels: [.init(.email, fallback: [.letter, .call])], templateKey: "t1"),
                DunningStep(
                    id: "second", offsetDays: 20, channels: [.init(.sms), .init(.call)], templateKey: "t2",
                    conditions: DunningStepConditions(minOverdueBaseMinor: 5000, skipIfPromiseOrPlan: false),
                    escalations: [.creditHold, .reassignToManager], lateFee: .fixed([.init(EUR, minor: 4000)])),
                DunningStep(
                    id: "third", offsetDays: 40, channels: [.init(.letter)], templateKey: "t3", lateFee: .percent(basisPoints: 150)),
            ])
        #expect(decoded == expected)
        #expect(decoded.validate().isEmpty)
    }

    @Test(arguments: [DunningPolicy.cobroDefault, .noReminders, .strategicStatement])
    func policyJSONRoundTrip(policy: DunningPolicy) throws {
        let data = try JSONEncoder().encode(policy)
        #expect(try JSONDecoder().decode(DunningPolicy.self, from: data) == policy)
    }

    @Test func policyWithEveryOptionRoundTrips() throws {
        let p = DunningPolicy(
            id: "all", name: "All options",
            steps: [
                DunningStep(
                    id: "one", offsetDays: -3, channels: [.init(.statement, fallback: [.letter]), .init(.call)], templateKey: "tpl",
                    conditions: DunningStepConditions(minOverdueBaseMinor: 0, skipIfPromiseOrPlan: false),
                    escalations: [.handOverToLegal, .reassignToManager], lateFee: .fixed([.init(EUR, minor: 4000)])),
                DunningStep(id: "two", offsetDays: 60, channels: [.init(.sms)], lateFee: .percent(basisPoints: 0)),
            ])
        #expect(try JSONDecoder().decode(DunningPolicy.self, from: JSONEncoder().encode(p)) == p)
        let assignment = DunningPolicyAssignment(
            policies: DunningPolicy.builtIn + [p], defaultPolicyID: "all", strategicPolicyID: "strategic_statement",
            segmentPolicyIDs: ["retail": "cobro_default"])
        let back = try JSONDecoder().decode(DunningPolicyAssignment.self, from: JSONEncoder().encode(assignment))
        #expect(back == assignment)
    }

    @Test func assignmentJSONKeys() throws {
        let json = #"{"policies": [{"id": "q", "steps": []}], "default": "q"}"#
        let a = try JSONDecoder().decode(DunningPolicyAssignment.self, from: Data(json.utf8))
        #expect(a == DunningPolicyAssignment(policies: [DunningPolicy(id: "q", name: "q", steps: [])], defaultPolicyID: "q"))
    }

    @Test(arguments: [
        #"{"id": "p", "steps": [{"id": "s", "offset_days": 1, "template_key": "s", "channels": [{"channel": "fax"}]}]}"#,
        #"{"id": "p", "steps": [{"id": "s", "offset_days": 1, "template_key": "s", "channels": [], "late_fee": {"type": "daily"}}]}"#,
        #"{"id": "p", "steps": [{"id": "s", "template_key": "s", "channels": []}]}"#,
        #"{"id": "p", "steps": [{"id": "s", "offset_days": 1, "template_key": "s", "channels": [], "escalations": ["jail"]}]}"#,
    ])
    func malformedJSONIsRejected(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DunningPolicy.self, from: Data(json.utf8)) }
    }

    // MARK: resolution

    private static let assignment = DunningPolicyAssignment(
        policies: DunningPolicy.builtIn + [DunningPolicy(id: "retail", steps: [DunningStep(id: "r", offsetDays: 1, channels: [.init(.email)])])],
        defaultPolicyID: "cobro_default", strategicPolicyID: "strategic_statement", segmentPolicyIDs: ["retail": "retail"])

    @Test(
        arguments: [
            // override, strategic, segment → policy, source
            ("no_reminders", true, "retail", "no_reminders", DunningPolicyAssignment.Source.customerOverride),
            ("cobro_default", true, nil, "cobro_default", .customerOverride),
            (nil, true, "retail", "strategic_statement", .strategic),
            (nil, false, "retail", "retail", .segment),
            (nil, false, "wholesale", "cobro_default", .companyDefault),
            (nil, false, nil, "cobro_default", .companyDefault),
        ] as [(String?, Bool, String?, String, DunningPolicyAssignment.Source)])
    func resolutionOrder(override: String?, strategic: Bool, segment: String?, policyID: String, source: DunningPolicyAssignment.Source) {
        let r = Self.assignment.resolve(override: override, strategic: strategic, segment: segment)
        guard case .success(let resolved) = r else {
            Issue.record("expected \(policyID), got \(r)")
            return
        }
        #expect(resolved.policy.id == policyID)
        #expect(resolved.source == source)
    }

    // A high-risk rule (score ≥ 70 → "retail", standing in for an earlier ladder) comes after the override and the
    // strategic policy and before the segment; a score below the threshold, or no score, falls through.
    @Test func highRiskCustomersGetTheirPolicy() throws {
        var a = Self.assignment
        a.segmentPolicyIDs = ["smb": "cobro_default"]
        a.highRisk = .init(policyID: "retail", minScore: 70)
        #expect((try a.resolve(override: nil, strategic: false, segment: "smb", risk: 70).get()).source == .highRisk)
        #expect((try a.resolve(override: nil, strategic: false, segment: "smb", risk: 70).get()).policy.id == "retail")
        #expect((try a.resolve(override: nil, strategic: false, segment: "smb", risk: 69).get()).source == .segment)
        #expect((try a.resolve(override: nil, strategic: false, segment: "smb", risk: nil).get()).source == .segment)
        #expect((try a.resolve(override: nil, strategic: true, segment: "smb", risk: 95).get()).source == .strategic)
        #expect((try a.resolve(override: "no_reminders", strategic: false, segment: nil, risk: 95).get()).source == .customerOverride)
        #expect(a.validate().isEmpty)
        a.highRisk = .init(policyID: "nope", minScore: 101)
        #expect(a.validate().map(\.path) == ["high_risk.policy", "high_risk.min_score"])
    }

    @Test func highRiskRuleInJSON() throws {
        let json = #"{"policies": [], "default": "x", "high_risk": {"policy": "early"}}"#
        let a = try JSONDecoder().decode(DunningPolicyAssignment.self, from: Data(json.utf8))
        #expect(a.highRisk == .init(policyID: "early", minScore: 70))
        let back = try JSONDecoder().decode(DunningPolicyAssignment.self, from: try JSONEncoder().encode(a))
        #expect(back == a)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(DunningPolicyAssignment.self, from: Data(#"{"policies": [], "default": "x", "high_risk": {"policy": "e", "score": 1}}"#.utf8))
        }
    }

    @Test func strategicWithoutStrategicPolicyFallsToSegment() {
        var a = Self.assignment
        a.strategicPolicyID = nil
        #expect((try? a.resolve(override: nil, strategic: true, segment: "retail").get())?.policy.id == "retail")
        #expect((try? a.resolve(override: nil, strategic: true, segment: nil).get())?.source == .companyDefault)
    }

    @Test func unknownPolicyIsAnErrorNotAFallThrough() {
        #expect(throws: DunningPolicyAssignment.UnknownPolicy(policyID: "gone", source: .customerOverride)) {
            try Self.assignment.resolve(override: "gone", strategic: false, segment: nil).get()
        }
        var a = Self.assignment
        a.segmentPolicyIDs["vip"] = "missing"
        #expect(throws: DunningPolicyAssignment.UnknownPolicy(policyID: "missing", source: .segment)) {
            try a.resolve(override: nil, strategic: false, segment: "vip").get()
        }
    }
}
