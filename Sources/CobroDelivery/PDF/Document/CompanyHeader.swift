/// The sender printed at the top of every letter and statement.
public struct CompanyHeader: Sendable, Hashable {
    public var name: String
    public var addressLines: [String]
    /// The one-line sender shown small above the recipient inside the envelope window (DIN 5008
    /// "Rücksendeangabe"); `nil` uses the name and address lines joined with " · ".
    public var returnAddress: String?

    public init(name: String, addressLines: [String] = [], returnAddress: String? = nil) {
        self.name = name
        self.addressLines = addressLines
        self.returnAddress = returnAddress
    }

    /// The return-address line actually printed.
    public var returnAddressLine: String {
        returnAddress ?? ([name] + addressLines).filter { !$0.isEmpty }.joined(separator: " · ")
    }
}
