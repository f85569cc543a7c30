import Foundation

/// Text with two decimals for a whole number of hundredths: basis points shown as a percentage (`2667` → `26.67`),
/// or hundredths of a unit. `nil` stays `nil`.
func hundredthsText(_ n: Int?) -> String? {
    guard let n else { return nil }
    return "\(n < 0 ? "-" : "")\(abs(n) / 100).\(String(format: "%02d", abs(n) % 100))"
}

extension JSONValue {
    /// ``hundredthsText(_:)`` as a JSON number, or `null`.
    static func hundredths(_ n: Int?) -> JSONValue { hundredthsText(n).map { .number($0) } ?? .null }
}
