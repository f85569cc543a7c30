/// A company's dunning policies and which customers get which.
///
/// Resolution order for a customer (first that applies wins, see ``resolve(override:strategic:segment:)``):
/// 1. the customer's own policy override;
/// 2. ``strategicPolicyID``, when the customer is strategic and the company set one;
/// 3. ``highRisk``'s policy, when the payment model scores the customer at or above its `min_score` (issue 6: risky
///    customers can get earlier reminders);
/// 4. ``segmentPolicyIDs`` for the customer's segment;
/// 5. ``defaultPolicyID``.
///
/// A reference to a policy id that is not in ``policies`` resolves to an error (the customer is then skipped with a
/// reason), never silently to the next rule. ``validate()`` reports such references up front.
///
/// JSON: `{"policies": [ … ], "default": "cobro_default", "strategic": "strategic_statement",
/// "segments": {"retail": "cobro_default"}, "high_risk": {"policy": "early", "min_score": 70}}` (`strategic`, `segments`
/// and `high_risk` may be omitted).
public struct DunningPolicyAssignment: Sendable, Codable, Hashable {
    public var policies: [DunningPolicy]
    public var defaultPolicyID: String
    public var strategicPolicyID: String?
    /// Segment name → policy id.
    public var segmentPolicyIDs: [String: String]
    public var highRisk: HighRiskRule?

    /// Customers the payment model scores at or above ``minScore`` (0–100) get ``policyID``.
    public struct HighRiskRule: Sendable, Codable, Hashable {
        public var policyID: String
        public var minScore: Int

        public init(policyID: String, minScore: Int = 70) {
            self.policyID = policyID
            self.minScore = minScore
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case policyID = "policy"
            case minScore = "min_score"
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.policyID = try c.decode(String.self, forKey: .policyID)
            self.minScore = try c.decodeIfPresent(Int.self, forKey: .minScore) ?? 70
        }
    }

    public init(
        policies: [DunningPolicy], defaultPolicyID: String, strategicPolicyID: String? = nil, segmentPolicyIDs: [String: String] = [:],
        highRisk: HighRiskRule? = nil
    ) {
        self.highRisk = highRisk
        self.policies = policies
        self.defaultPolicyID = defaultPolicyID
        self.strategicPolicyID = strategicPolicyID
        self.segmentPolicyIDs = segmentPolicyIDs
    }

    /// The built-in policies with ``DunningPolicy/cobroDefault`` as the default, no strategic policy, no segments.
    public static let standard = DunningPolicyAssignment(policies: DunningPolicy.builtIn, defaultPolicyID: DunningPolicy.cobroDefault.id)

    /// Why a policy applies to a customer.
    public enum Source: String, Sendable, Codable, Hashable {
        case customerOverride = "customer_override"
        case strategic
        case highRisk = "high_risk"
        case segment
        case companyDefault = "company_default"
    }

    /// The policy that applies to a customer and why.
    public struct Resolved: Sendable, Hashable {
        public var policy: DunningPolicy
        public var source: Source
    }

    /// A rule named a policy id that does not exist.
    public struct UnknownPolicy: Error, Sendable, Hashable, CustomStringConvertible {
        public var policyID: String
        public var source: Source
        public var description: String { "\(source.rawValue) names policy \"\(policyID)\", which does not exist" }
    }

    /// The policy with this id (the first one, if ids repeat; ``validate()`` reports repeats).
    public func policy(id: String) -> DunningPolicy? { policies.first { $0.id == id } }

    /// The policy for a customer, in the order override > strategic > high risk > segment > company default; `risk`
    /// is the customer's score under the latest payment model (`nil`: none).
    public func resolve(override: String?, strategic: Bool, segment: String?, risk: Int? = nil) -> Result<Resolved, UnknownPolicy> {
        let chosen: (String, Source)
        if let override {
            chosen = (override, .customerOverride)
        } else if strategic, let strategicPolicyID {
            chosen = (strategicPolicyID, .strategic)
        } else if let highRisk, let risk, risk >= highRisk.minScore {
            chosen = (highRisk.policyID, .highRisk)
        } else if let segment, let id = segmentPolicyIDs[segment] {
            chosen = (id, .segment)
        } else {
            chosen = (defaultPolicyID, .companyDefault)
        }
        guard let policy = policy(id: chosen.0) else { return .failure(UnknownPolicy(policyID: chosen.0, source: chosen.1)) }
        return .success(Resolved(policy: policy, source: chosen.1))
    }

    /// Every problem: repeated policy ids, invalid policies (paths under `policies[i]`), and references to unknown
    /// policies from `default`, `strategic` and `segments["name"]` (segments in name order).
    public func validate() -> [DunningPolicyIssue] {
        var issues: [DunningPolicyIssue] = []
        var firstUse: [String: Int] = [:]
        for (i, p) in policies.enumerated() {
            if let first = firstUse[p.id] {
                issues.append(
                    DunningPolicyIssue(
                        path: "policies[\(i)].id", message: "duplicate policy id \"\(p.id)\" (already used by policies[\(first)].id)"))
            } else {
                firstUse[p.id] = i
            }
            issues += p.validate().map { $0.nested(under: "policies[\(i)]") }
        }
        let known = policies.map(\.id).joined(separator: ", ")
        func check(_ id: String, _ path: String) {
            if firstUse[id] == nil {
                issues.append(DunningPolicyIssue(path: path, message: "no policy has id \"\(id)\" (known: \(known))"))
            }
        }
        check(defaultPolicyID, "default")
        if let strategicPolicyID { check(strategicPolicyID, "strategic") }
        if let highRisk {
            check(highRisk.policyID, "high_risk.policy")
            if !(0...100).contains(highRisk.minScore) {
                issues.append(DunningPolicyIssue(path: "high_risk.min_score", message: "\(highRisk.minScore) is not a risk score: use 0 to 100 (e.g. 70)"))
            }
        }
        for segment in segmentPolicyIDs.keys.sorted() {
            if let id = segmentPolicyIDs[segment] { check(id, "segments[\"\(segment)\"]") }
        }
        return issues
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case policies
        case defaultPolicyID = "default"
        case strategicPolicyID = "strategic"
        case segmentPolicyIDs = "segments"
        case highRisk = "high_risk"
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.policies = try c.decode([DunningPolicy].self, forKey: .policies)
        self.defaultPolicyID = try c.decode(String.self, forKey: .defaultPolicyID)
        self.strategicPolicyID = try c.decodeIfPresent(String.self, forKey: .strategicPolicyID)
        self.segmentPolicyIDs = try c.decodeIfPresent([String: String].self, forKey: .segmentPolicyIDs) ?? [:]
        self.highRisk = try c.decodeIfPresent(HighRiskRule.self, forKey: .highRisk)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(policies, forKey: .policies)
        try c.encode(defaultPolicyID, forKey: .defaultPolicyID)
        try c.encodeIfPresent(strategicPolicyID, forKey: .strategicPolicyID)
        try c.encode(segmentPolicyIDs, forKey: .segmentPolicyIDs)
        try c.encodeIfPresent(highRisk, forKey: .highRisk)
    }
}
