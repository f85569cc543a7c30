/// The file-level syntax of PDF 1.4 (ISO 32000-1 §7.5): header, numbered indirect objects, the
/// cross-reference table with each object's byte offset, the trailer and `startxref`.
struct PDFFileWriter {
    private(set) var bytes: [UInt8]
    /// Byte offset of each object, indexed by object number (index 0 is the free-list head).
    private var offsets: [Int?] = [nil]

    init() {
        // Header, then a comment with four bytes ≥ 128 so transfer tools treat the file as binary (§7.5.2).
        bytes = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
    }

    /// Writes `number 0 obj … endobj`; objects 1…n must each be written once, in any order.
    mutating func object(_ number: Int, _ body: String) {
        object(number, Array(body.utf8))
    }

    mutating func object(_ number: Int, _ body: [UInt8]) {
        begin(number)
        bytes += body
        bytes += Array("\nendobj\n".utf8)
    }

    /// Writes a stream object with an exact `/Length` and no filter.
    mutating func stream(_ number: Int, _ data: [UInt8]) {
        begin(number)
        bytes += Array("<< /Length \(data.count) >>\nstream\n".utf8)
        bytes += data
        bytes += Array("\nendstream\nendobj\n".utf8)
    }

    private mutating func begin(_ number: Int) {
        if offsets.count <= number { offsets += Array(repeating: nil, count: number + 1 - offsets.count) }
        precondition(offsets[number] == nil, "PDF object \(number) written twice")
        offsets[number] = bytes.count
        bytes += Array("\(number) 0 obj\n".utf8)
    }

    /// Appends the cross-reference table, trailer and `startxref`, and returns the finished file. Every entry
    /// is exactly 20 bytes (`nnnnnnnnnn ggggg n` + space + LF, §7.5.4).
    mutating func finish(root: Int, info: Int?) -> [UInt8] {
        let xref = bytes.count
        var table = "xref\n0 \(offsets.count)\n"
        for (number, offset) in offsets.enumerated() {
            if number == 0 {
                table += "0000000000 65535 f \n"
            } else {
                guard let offset else { preconditionFailure("PDF object \(number) never written") }
                table += Self.pad(offset, 10) + " 00000 n \n"
            }
        }
        var trailer = "trailer\n<< /Size \(offsets.count) /Root \(root) 0 R"
        if let info { trailer += " /Info \(info) 0 R" }
        trailer += " >>\nstartxref\n\(xref)\n%%EOF\n"
        bytes += Array((table + trailer).utf8)
        return bytes
    }

    /// A text string for the document information dictionary (§7.9.2.2): a literal string when the text is
    /// printable ASCII, otherwise UTF-16BE with a byte-order mark as a hex string.
    static func textString(_ text: String) -> [UInt8] {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return PDFSyntax.literalString(Array(text.utf8))
        }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = Array("<FEFF".utf8)
        for unit in text.utf16 {
            for shift in [12, 8, 4, 0] { out.append(hex[Int((unit >> UInt16(shift)) & 0xF)]) }
        }
        out.append(0x3E)
        return out
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
