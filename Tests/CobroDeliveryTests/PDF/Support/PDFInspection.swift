import CobroDelivery

/// Reads back the structures the writer produced, independently of its code.
enum PDFInspection {
    static func string(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Index of the first occurrence of `needle` in `bytes` at or after `from`.
    static func find(_ needle: String, in bytes: [UInt8], from: Int = 0) -> Int? {
        let n = Array(needle.utf8)
        guard n.count <= bytes.count else { return nil }
        var i = from
        while i + n.count <= bytes.count {
            if bytes[i] == n[0], Array(bytes[i..<i + n.count]) == n { return i }
            i += 1
        }
        return nil
    }

    /// Index of the last occurrence of `needle`.
    static func findLast(_ needle: String, in bytes: [UInt8]) -> Int? {
        let n = Array(needle.utf8)
        var i = bytes.count - n.count
        while i >= 0 {
            if Array(bytes[i..<i + n.count]) == n { return i }
            i -= 1
        }
        return nil
    }

    /// A text-showing operation in a content stream: `x y Td (string) Tj`, with the string unescaped to
    /// WinAnsi bytes.
    struct TextRun {
        var x: Double
        var y: Double
        /// The resource name without its slash: `F1` (Helvetica) or `F2` (Helvetica-Bold).
        var font: String
        var size: Double
        var bytes: [UInt8]
        var text: String
    }

    /// Every `BT /Fn size Tf x y Td (…) Tj ET` in `content`, as the writer emits them.
    static func textRuns(_ content: [UInt8]) -> [TextRun] {
        var runs: [TextRun] = []
        var i = 0
        while let bt = find("BT /", in: content, from: i) {
            var j = bt + 4
            func token() -> String {
                while content[j] == 0x20 { j += 1 }
                let start = j
                while content[j] != 0x20 { j += 1 }
                return string(content[start..<j])
            }
            let font = token()
            let size = Double(token()) ?? .nan
            _ = token()  // Tf
            let x = Double(token()) ?? .nan
            let y = Double(token()) ?? .nan
            _ = token()  // Td
            while content[j] == 0x20 { j += 1 }
            precondition(content[j] == 0x28, "expected a literal string")
            j += 1
            var bytes: [UInt8] = []
            while content[j] != 0x29 {
                if content[j] == 0x5C {
                    let next = content[j + 1]
                    if next >= 0x30 && next <= 0x37 {
                        let value = (Int(next) - 0x30) * 64 + (Int(content[j + 2]) - 0x30) * 8 + (Int(content[j + 3]) - 0x30)
                        bytes.append(UInt8(value))
                        j += 4
                    } else {
                        bytes.append(next)
                        j += 2
                    }
                } else {
                    bytes.append(content[j])
                    j += 1
                }
            }
            let text = String(bytes.map { WinAnsiEncoding.character(for: $0) ?? "?" })
            runs.append(TextRun(x: x, y: y, font: font, size: size, bytes: bytes, text: text))
            i = j
        }
        return runs
    }
}
