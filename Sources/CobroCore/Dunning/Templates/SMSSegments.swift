/// How an SMS text is encoded and how many segments (billed messages) it takes.
///
/// - GSM-7 when every character is in the GSM 03.38 alphabet: `units` counts septets, characters of the
///   extension table (`^ { } \ [ ~ ] | €` and form feed) counting two. One segment holds 160 septets; a longer
///   text is sent as parts of 153 (7 septets go to the concatenation header), and an extension character's two
///   septets are never split across parts.
/// - UCS-2 otherwise: `units` counts UTF-16 code units (an emoji outside the BMP counts two). One segment holds
///   70 units, parts of a longer text 67, and a surrogate pair is never split across parts.
///
/// Characters are counted as Unicode scalars, so `\r\n` is two septets. An empty text takes 0 segments.
public struct SMSSegments: Hashable, Sendable {
    public enum Encoding: String, Hashable, Sendable, Codable {
        case gsm7 = "GSM-7"
        case ucs2 = "UCS-2"
    }

    /// Why the text deserves a second look before it is saved.
    public enum Warning: Hashable, Sendable, CustomStringConvertible {
        /// More than ``SMSSegments/segmentLimit`` segments: costs more and may arrive split on old phones.
        case tooManySegments(Int)

        public var description: String {
            switch self {
            case .tooManySegments(let n):
                return "this SMS takes \(n) segments (more than \(SMSSegments.segmentLimit)); shorten it to send fewer messages"
            }
        }
    }

    /// Segments above which a template gets a warning.
    public static let segmentLimit = 2

    public let encoding: Encoding
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    public let units: Int
    public let segments: Int
    /// Capacity of each segment for this text: 160/70 when it fits in one, 153/67 when it is split.
    public let unitsPerSegment: Int
    /// Units still free in the last segment before another one is needed.
    public let remainingInLastSegment: Int
    /// The characters that forced UCS-2, each once, in order of appearance (empty for GSM-7).
    public let nonGSMCharacters: [Unicode.Scalar]

    /// Present when the text takes more than two segments.
    public var warning: Warning? { segments > SMSSegments.segmentLimit ? .tooManySegments(segments) : nil }

    public init(_ text: String) {
        var nonGSM: [Unicode.Scalar] = []
        var sizes: [Int] = []  // units per character, in order
        for u in text.unicodeScalars {
            if let n = GSM7Alphabet.septets(u) {
                sizes.append(n)
            } else if !nonGSM.contains(u) {
                nonGSM.append(u)
            }
        }
        let single: Int
        let multi: Int
        if nonGSM.isEmpty {
            encoding = .gsm7
            (single, multi) = (160, 153)
        } else {
            encoding = .ucs2
            (single, multi) = (70, 67)
            sizes = text.unicodeScalars.map { $0.utf16.count }
        }
        nonGSMCharacters = nonGSM
        units = sizes.reduce(0, +)
        if units <= single {
            segments = units == 0 ? 0 : 1
            unitsPerSegment = single
            remainingInLastSegment = single - units
        } else {
            // Fill parts greedily; a character that does not fit whole starts the next part.
            var parts = 1
            var used = 0
            for size in sizes {
                if used + size > multi {
                    parts += 1
                    used = 0
                }
                used += size
            }
            segments = parts
            unitsPerSegment = multi
            remainingInLastSegment = multi - used
        }
    }
}
