import Foundation

/// Why a balance is written off (issue 4, point 9).
public enum WriteOffReason: String, Sendable, Hashable, CaseIterable, Codable {
    case uncollectible
    case smallBalance = "small_balance"
    case bankruptcy
    case settlement
    case other
}

/// Where an account is placed: a collection agency or a lawyer.
public enum PlacementKind: String, Sendable, Hashable, CaseIterable, Codable {
    case agency, legal
}

/// Agency commission: a rate in basis points (hundredths of a percent) of what the agency collects, rounded half up to
/// the currency's minor unit. 25 % of 1,234.57 = 308.6425 → 308.64; 12.5 % of 0.05 = 0.00625 → 0.01.
public enum AgencyCommission {
    /// "25", "12.5", "12.50 %" → 2500, 1250, 1250. At most two decimals; 0–100 %.
    public static func parseRate(_ text: String) -> Result<Int, RateError> {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard !t.isEmpty, parts.count <= 2, let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isNumber) else {
            return .failure(RateError(message: "\"\(text)\" is not a percentage such as 25 or 12.5"))
        }
        var fraction = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy(\.isNumber), let v = Int(f) else {
                return .failure(RateError(message: "\"\(text)\" has more than two decimals or a bad fraction; write e.g. 12.5"))
            }
            fraction = f.count == 1 ? v * 10 : v
        }
        let bp = whole * 100 + fraction
        guard bp <= 10_000 else { return .failure(RateError(message: "\(text) is more than 100 %")) }
        return .success(bp)
    }

    public struct RateError: Error, Sendable, Hashable {
        public var message: String
    }

    /// The commission on `amountMinor` at `basisPoints`, half up.
    public static func commission(onMinor amountMinor: Int64, basisPoints: Int) -> Int64 {
        let (product, overflow) = amountMinor.multipliedReportingOverflow(by: Int64(basisPoints))
        guard !overflow else { return (amountMinor / 10_000) * Int64(basisPoints) + ((amountMinor % 10_000) * Int64(basisPoints) + 5_000) / 10_000 }
        return (product + 5_000) / 10_000
    }

    /// "25.00 %" for 2500.
    public static func rateText(_ basisPoints: Int) -> String {
        let f = basisPoints % 100
        return "\(basisPoints / 100).\(f < 10 ? "0" : "")\(f) %"
    }
}
