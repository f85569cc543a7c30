/// A mailbox: an ASCII addr-spec (`local@domain`) and an optional display name.
///
/// The address must be a dot-atom local part (at most 64 octets) and a host name of at least two labels; quoted
/// local parts, address literals and non-ASCII addresses (which need SMTPUTF8) are refused. The display name is
/// free text: line breaks, tabs and control characters in it become single spaces, so it can never start a new
/// header line; an empty name renders as the bare address.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// `local@domain`, exactly as given.
    public let address: String
    /// The display name reduced to one line, or `nil` when none (or only white space) was given.
    public let name: String?

    public init(address: String, name: String? = nil) throws(EmailRejection) {
        if let problem = Self.problem(address) { throw EmailRejection(field: "address", reason: problem) }
        self.address = address
        let line = name.map(MailSyntax.singleLine)
        self.name = (line?.isEmpty ?? true) ? nil : line
    }

    /// The mailbox as it appears in a header, unfolded: `"Ana Pérez"` becomes an RFC 2047 encoded-word,
    /// an ASCII name is quoted (`"O'Brien, Ann" <ann@example.com>`), no name gives `ann@example.com`.
    public var headerValue: String { headerTokens(firstLineRoom: 78).joined(separator: " ") }

    public var description: String { headerValue }

    /// The mailbox split where a header may be folded. The display name's first piece is kept within
    /// `firstLineRoom` characters so it can share the line with the header name.
    func headerTokens(firstLineRoom: Int) -> [String] {
        guard let name else { return [address] }
        let quoted = MailSyntax.quoted(name)
        let nameTokens =
            MailSyntax.isPrintableASCII(name) && quoted.utf8.count <= firstLineRoom
            ? [quoted] : EncodedWord.encode(name, firstMax: firstLineRoom)
        return nameTokens + ["<\(address)>"]
    }

    static func problem(_ address: String) -> String? {
        let example = "e.g. ana.perez@example.com"
        guard address.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "\"\(address)\" must be printable ASCII without spaces (non-ASCII mailboxes need SMTPUTF8, which Cobro does not use; "
                + "write an internationalised domain in its xn-- form), \(example)"
        }
        guard address.utf8.count <= 254 else { return "\"\(address)\" is \(address.utf8.count) characters; an address has at most 254" }
        let halves = address.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return "\"\(address)\" needs exactly one @ between a local part and a domain, \(example)" }
        let local = halves[0]
        guard !local.isEmpty, local.utf8.count <= 64, MailSyntax.isDotAtomText(local) else {
            return "the local part \"\(local)\" of \"\(address)\" must be 1–64 characters of letters, digits and !#$%&'*+-/=?^_`{|}~ "
                + "with single dots between them (quoted local parts are not supported), \(example)"
        }
        if let domainProblem = MailSyntax.domainProblem(halves[1]) { return "in \"\(address)\", \(domainProblem)" }
        return nil
    }
}
