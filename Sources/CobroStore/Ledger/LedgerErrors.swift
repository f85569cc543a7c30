import CobroCore
/// Why a ledger change was refused; `field` names the CSV column / JSON field at fault.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String?
    public var message: String
    public init(field: String?, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { field.map { "\($0): \(message)" } ?? message }

    static func unknownCustomer(_ ref: String) -> LedgerError {
        LedgerError(field: "customer_ref", "unknown customer \"\(ref)\"; import or create the customer first")
    }
    static func erased(_ ref: String, at millis: Int64) -> LedgerError {
        let day = LocalDate(dayNumber: Int(millis / 86_400_000)).iso
        return LedgerError(field: "customer_ref", "customer \"\(ref)\" was erased by the retention run on \(day); its personal data cannot be recorded again — use a new customer_ref")
    }
    static func changed(_ field: String, _ what: String, from old: String, to new: String, hint: String) -> LedgerError {
        LedgerError(field: field, "\(what) differs from the existing record (\(old) → \(new)); \(hint)")
    }
}

/// The result of writing one record that may already exist.
public enum UpsertOutcome: Sendable, Equatable {
    case inserted(Int64)
    case updated(Int64)
    case unchanged(Int64)

    public var id: Int64 {
        switch self {
        case .inserted(let i), .updated(let i), .unchanged(let i): return i
        }
    }
}
