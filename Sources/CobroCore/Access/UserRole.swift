/// What a signed-in user of the web app may do. Roles are fixed (no per-permission grid): a finance team thinks in
/// these four, and every route states which of the rules below it needs.
public enum UserRole: String, Sendable, Hashable, CaseIterable {
    /// Settings and users, and everything a manager does.
    case admin
    /// Everything in collections: any customer, approvals (credit limits), goals.
    case manager
    /// Works the customers of their own portfolio; sees everyone else read-only.
    case collector
    /// Reads everything, changes nothing (e.g. sales).
    case viewer

    /// May log calls, notes, promises and disputes for a customer whose collector is `customerCollector`.
    /// A collector without a collector handle works nobody's customers.
    public func mayWork(customerCollector: String?, ownHandle: String?) -> Bool {
        switch self {
        case .admin, .manager: return true
        case .collector: return ownHandle != nil && customerCollector == ownHandle
        case .viewer: return false
        }
    }

    /// May approve or reject credit-limit requests and set goals.
    public var mayApprove: Bool { self == .admin || self == .manager }
    /// May change settings and users.
    public var mayAdminister: Bool { self == .admin }
}

/// Lockout after repeated failed logins: after `maxFailures` wrong passwords in a row the account is locked for
/// `lockMillis`; a successful login resets the count. The rule that stops password guessing without letting an
/// attacker lock an account forever (the lock ends by itself).
public enum LoginLockout {
    public static let maxFailures = 5
    public static let lockMillis: Int64 = 15 * 60_000

    /// The lock to set after a failure that brings the count to `failures`, or nil while below the limit.
    public static func lockedUntil(failures: Int, now: Int64) -> Int64? {
        failures >= maxFailures ? now + lockMillis : nil
    }

    /// Whether a stored lock still holds at `now`.
    public static func isLocked(until: Int64?, now: Int64) -> Bool {
        guard let until else { return false }
        return now < until
    }
}
