/// A customer ref as a piece of a file name: letters, digits and `-` stay, anything else becomes `_` (refs come
/// from the ERP and may hold `/`, spaces or quotes).
public func safeFileNamePart(_ text: String) -> String {
    String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
}
