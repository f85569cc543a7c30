/// A contact with a customer recorded by a collector (issue 4, point 3).
public enum InteractionKind: String, Sendable, Hashable, CaseIterable, Codable {
    case call
    case emailIn = "email_in"
    case emailOut = "email_out"
    case note, visit
}

/// What a call achieved (reference §2.9: right-party contact and promise rates are computed from these).
public enum CallOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    case rightPartyContact = "right_party_contact"
    case thirdParty = "third_party"
    case noAnswer = "no_answer"
    case wrongNumber = "wrong_number"
    case leftMessage = "left_message"
    case refused
    case promise

    /// Whether the collector spoke with someone who can pay (a promise implies it).
    public var isRightPartyContact: Bool { self == .rightPartyContact || self == .promise || self == .refused }
}

public enum InteractionRules {
    /// Problems with an interaction about to be recorded: a call needs an outcome and only calls have one; it may
    /// not be dated in the future (`now`, epoch ms) nor more than a year back; a summary is required except for a
    /// call that reached no one.
    public static func problems(kind: InteractionKind, outcome: CallOutcome?, atMillis: Int64, nowMillis: Int64, summary: String?) -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        if kind == .call, outcome == nil { out.append(("outcome", "a call needs an outcome: \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", "))")) }
        if kind != .call, outcome != nil { out.append(("outcome", "only calls have an outcome")) }
        if atMillis > nowMillis + 60_000 { out.append(("at", "is in the future")) }
        if atMillis < nowMillis - 366 * 86_400_000 { out.append(("at", "is more than a year ago")) }
        let silent = kind == .call && [.noAnswer, .wrongNumber].contains(outcome)
        if !silent, (summary ?? "").trimmingCharacters(in: .whitespaces).isEmpty { out.append(("summary", "say what was said or done")) }
        return out
    }
}
