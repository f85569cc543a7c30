extension DunningPolicy {
    /// The range a step offset must lie in (one year before the due date … ten years after).
    public static let offsetRange: ClosedRange<Int> = -365...3650
    /// The largest late-fee percentage in basis points (100 %).
    public static let maxLateFeeBasisPoints = 10_000

    /// Every problem with the policy, in field order; empty when the policy is valid.
    ///
    /// Rules: `id` and every step `id` are keys (1–64 of `A–Z a–z 0–9 _ - .`); step ids are unique and do not start with `plan_` (payment plan reminders); offsets lie in
    /// ``offsetRange`` and increase strictly; every step has a template key and at least one channel, and no
    /// channel repeats within one fallback chain; a minimum amount is ≥ 0; escalations do not repeat; a fixed late fee
    /// lists at least one amount, each ≥ 0 and each currency once; a percentage fee is 0…``maxLateFeeBasisPoints``.
    public func validate() -> [DunningPolicyIssue] {
        var issues: [DunningPolicyIssue] = []
        if let problem = DunningKey.problem(id) { issues.append(DunningPolicyIssue(path: "id", message: problem)) }
        var firstUse: [String: Int] = [:]
        for (i, step) in steps.enumerated() {
            let at = "steps[\(i)]"
            if let problem = DunningKey.problem(step.id) {
                issues.append(DunningPolicyIssue(path: "\(at).id", message: problem))
            } else if step.id.hasPrefix(InstallmentReminders.stepPrefix) {
                issues.append(
                    DunningPolicyIssue(
                        path: "\(at).id", message: "step ids starting with \"\(InstallmentReminders.stepPrefix)\" are reserved for payment plan reminders; choose another id"))
            } else if let first = firstUse[step.id] {
                issues.append(
                    DunningPolicyIssue(
                        path: "\(at).id", message: "duplicate step id \"\(step.id)\" (already used by steps[\(first)].id); step ids must be unique"))
            } else {
                firstUse[step.id] = i
            }
            if !DunningPolicy.offsetRange.contains(step.offsetDays) {
                issues.append(
                    DunningPolicyIssue(
                        path: "\(at).offset_days",
                        message: "\(step.offsetDays) is out of range: must be between \(DunningPolicy.offsetRange.lowerBound) and "
                            + "\(DunningPolicy.offsetRange.upperBound) days relative to the due date"))
            }
            if i > 0, step.offsetDays <= steps[i - 1].offsetDays {
                let previous = steps[i - 1].offsetDays
                issues.append(
                    DunningPolicyIssue(
                        path: "\(at).offset_days",
                        message: "\(step.offsetDays) must be greater than \(previous) (steps[\(i - 1)].offset_days): "
                            + "offsets increase strictly from step to step"))
            }
            if step.channels.isEmpty {
                issues.append(
                    DunningPolicyIssue(
                        path: "\(at).channels",
                        message: "at least one channel is required (one of \(DunningChannel.allCases.map(\.rawValue).joined(separator: ", ")))"))
            }
            for (j, rule) in step.channels.enumerated() {
                var seen: Set<DunningChannel> = [rule.channel]
                for (k, channel) in rule.fallback.enumerated() where !seen.insert(channel).inserted {
                    issues.append(
                        DunningPolicyIssue(
                            path: "\(at).channels[\(j)].fallback[\(k)]",
                            message: "\(channel) appears twice in this fallback chain; each channel may be tried once"))
                }
            }
            if step.templateKey.allSatisfy({ $0 == " " }) {
                issues.append(DunningPolicyIssue(path: "\(at).template_key", message: "must not be empty (e.g. \"overdue_30\")"))
            }
            if let minimum = step.conditions.minOverdueBaseMinor, minimum < 0 {
                issues.append(
                    DunningPolicyIssue(
                        path: "\(at).conditions.min_overdue_base_minor",
                        message: "\(minimum) must be ≥ 0 (minor units of the base currency; omit it for no minimum)"))
            }
            var escalations: Set<DunningEscalation> = []
            for (k, e) in step.escalations.enumerated() where !escalations.insert(e).inserted {
                issues.append(DunningPolicyIssue(path: "\(at).escalations[\(k)]", message: "\(e.rawValue) is listed twice"))
            }
            if let fee = step.lateFee { issues += DunningPolicy.problems(fee, at: "\(at).late_fee") }
        }
        return issues
    }

    private static func problems(_ fee: DunningLateFee, at path: String) -> [DunningPolicyIssue] {
        var issues: [DunningPolicyIssue] = []
        switch fee {
        case .percent(let bp):
            if !(0...maxLateFeeBasisPoints).contains(bp) {
                issues.append(
                    DunningPolicyIssue(
                        path: "\(path).basis_points", message: "\(bp) must be between 0 and \(maxLateFeeBasisPoints) (0–100 %; 150 = 1.50 %)"))
            }
        case .fixed(let amounts):
            if amounts.isEmpty {
                issues.append(
                    DunningPolicyIssue(
                        path: "\(path).amounts",
                        message: "a fixed fee needs at least one amount, e.g. {\"currency\": \"EUR\", \"amount_minor\": 4000}"))
            }
            var seen: Set<Currency> = []
            for (k, a) in amounts.enumerated() {
                if a.amountMinor < 0 {
                    issues.append(DunningPolicyIssue(path: "\(path).amounts[\(k)].amount_minor", message: "\(a.amountMinor) must be ≥ 0"))
                }
                if !seen.insert(a.currency).inserted {
                    issues.append(
                        DunningPolicyIssue(
                            path: "\(path).amounts[\(k)].currency", message: "\(a.currency) is listed twice; give one amount per currency"))
                }
            }
        }
        return issues
    }
}

/// The rule for stable keys (policy ids, step ids).
enum DunningKey {
    static let maxLength = 64

    /// Why `key` is not a valid key, or `nil` when it is.
    static func problem(_ key: String) -> String? {
        let ok =
            !key.isEmpty && key.utf8.count <= maxLength
            && key.utf8.allSatisfy { c in
                (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
                    || c == UInt8(ascii: ".")
            }
        return ok ? nil : "\"\(key)\" is not a valid key: use 1–\(maxLength) letters, digits, '_', '-' or '.' (e.g. overdue_30)"
    }
}
