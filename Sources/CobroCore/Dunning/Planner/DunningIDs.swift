/// A customer's database id within its company (typed, so an ``InvoiceID`` cannot be passed in its place).
public struct CustomerID: RawRepresentable, Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (a: CustomerID, b: CustomerID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws { self.rawValue = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// An invoice's (or debit or credit note's) database id within its company.
public struct InvoiceID: RawRepresentable, Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (a: InvoiceID, b: InvoiceID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws { self.rawValue = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
