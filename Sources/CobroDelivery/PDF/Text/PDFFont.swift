/// The fonts a Cobro PDF uses: two of the 14 standard Type 1 fonts every PDF reader has built in, so nothing is
/// embedded. Both are written with `/Encoding /WinAnsiEncoding` (see ``WinAnsiEncoding``).
public enum PDFFont: Sendable, Hashable, CaseIterable {
    case helvetica
    case helveticaBold

    /// The PostScript name written as `/BaseFont`.
    public var baseFont: String {
        switch self {
        case .helvetica: "Helvetica"
        case .helveticaBold: "Helvetica-Bold"
        }
    }

    /// The name under which every page's `/Resources /Font` dictionary lists the font (`/F1`, `/F2`).
    public var resourceName: String {
        switch self {
        case .helvetica: "F1"
        case .helveticaBold: "F2"
        }
    }

    /// Advance width of one WinAnsi code in 1/1000 em (AFM units); 0 for the five codes cp1252 leaves undefined
    /// and for control codes (the encoder never produces either).
    public func advance(ofCode code: UInt8) -> Int {
        guard code >= 32 else { return 0 }
        let table = self == .helvetica ? HelveticaWidths.regular : HelveticaWidths.bold
        return Int(table[Int(code) - 32])
    }

    /// Width in points of `text` set at `size` points: the sum of the AFM advances of its WinAnsi bytes.
    /// Text is drawn with `Tj` and no kerning, so this is exactly the width a reader renders.
    public func width(of text: String, size: Double) -> Double {
        width(ofEncoded: WinAnsiEncoding.encode(text), size: size)
    }

    /// Width in points of bytes already encoded with ``WinAnsiEncoding``.
    public func width(ofEncoded bytes: [UInt8], size: Double) -> Double {
        var units = 0
        for b in bytes { units += advance(ofCode: b) }
        return Double(units) * size / 1000
    }
}
