/// RFC 2047 "B" encoded-words (`=?UTF-8?B?…?=`) for non-ASCII header text.
///
/// Text is cut into words of at most 75 characters (the RFC 2047 limit) at character boundaries — a grapheme
/// cluster is only divided between Unicode scalars when it alone would not fit, and a UTF-8 sequence is never
/// divided. Decoders drop the white space between adjacent encoded-words, so folding between them is lossless.
enum EncodedWord {
    static let maxLength = 75
    static let prefix = "=?UTF-8?B?"
    static let suffix = "?="
    /// The shortest word that must always fit: one 4-byte scalar is 8 base64 characters.
    static let minLength = prefix.utf8.count + suffix.utf8.count + 8

    /// `text` as encoded-words; the first is at most `firstMax` characters long, the others at most 75.
    static func encode(_ text: String, firstMax: Int) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        func capacity() -> Int {
            let length = max(minLength, min(maxLength, words.isEmpty ? firstMax : maxLength))
            return (length - prefix.utf8.count - suffix.utf8.count) / 4 * 3
        }
        func flush() {
            guard !current.isEmpty else { return }
            words.append(prefix + String(decoding: Base64.encode(current), as: UTF8.self) + suffix)
            current = []
        }
        for character in text {
            let bytes = Array(character.utf8)
            if current.count + bytes.count <= capacity() {
                current += bytes
                continue
            }
            flush()
            if bytes.count <= capacity() {
                current = bytes
                continue
            }
            for scalar in character.unicodeScalars {  // an oversized cluster: split between its scalars
                let scalarBytes = Array(String(scalar).utf8)
                if current.count + scalarBytes.count > capacity() { flush() }
                current += scalarBytes
            }
        }
        flush()
        return words
    }
}
