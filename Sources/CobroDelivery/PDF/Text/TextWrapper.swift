/// Greedy word wrapping measured with the real Helvetica widths.
public enum TextWrapper {
    /// `text` broken into lines no wider than `width` points at `size` in `font`.
    ///
    /// Lines break at ordinary spaces (runs of spaces collapse to one); `\n` forces a break and an empty line
    /// between two `\n` is kept. No-break spaces (U+00A0, U+202F inside French amounts) never break. A word
    /// wider than the whole line is cut between characters. An empty text gives no lines.
    public static func wrap(_ text: String, font: PDFFont, size: Double, width: Double) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines: [String] = []
        let spaceWidth = font.width(of: " ", size: size)
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            var currentWidth = 0.0
            for word in paragraph.split(separator: " ") {
                var word = String(word)
                var wordWidth = font.width(of: word, size: size)
                if !current.isEmpty, currentWidth + spaceWidth + wordWidth <= width {
                    current += " " + word
                    currentWidth += spaceWidth + wordWidth
                    continue
                }
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                    currentWidth = 0
                }
                while wordWidth > width, word.count > 1 {
                    let (head, tail) = split(word, font: font, size: size, width: width)
                    lines.append(head)
                    word = tail
                    wordWidth = font.width(of: word, size: size)
                }
                current = word
                currentWidth = wordWidth
            }
            lines.append(current)
        }
        return lines
    }

    /// The longest prefix of `word` (at least one character) that fits `width`, and the rest.
    private static func split(_ word: String, font: PDFFont, size: Double, width: Double) -> (String, String) {
        var head = ""
        var used = 0.0
        var index = word.startIndex
        while index < word.endIndex {
            let w = font.width(of: String(word[index]), size: size)
            if !head.isEmpty, used + w > width { break }
            head.append(word[index])
            used += w
            index = word.index(after: index)
        }
        return (head, String(word[index...]))
    }

    /// `text` shortened with a trailing `…` so that it fits `width`; unchanged when it already fits.
    public static func truncate(_ text: String, font: PDFFont, size: Double, width: Double) -> String {
        guard font.width(of: text, size: size) > width else { return text }
        var out = text
        while !out.isEmpty, font.width(of: out + "…", size: size) > width { out.removeLast() }
        return out + "…"
    }
}
