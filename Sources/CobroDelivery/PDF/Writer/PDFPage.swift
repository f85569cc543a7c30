/// Where a text run is anchored horizontally: at its start, its end (numbers in columns) or its middle.
public enum PDFTextAlignment: Sendable, Hashable {
    case left, right, center
}

/// One page and its content stream, built up with drawing calls in PDF user space (points, origin at the
/// bottom-left). The stream is plain PDF operators, uncompressed.
public struct PDFPage: Sendable, Equatable {
    public var size: PageSize
    /// The operators of the page's content stream.
    public private(set) var content: [UInt8] = []

    public init(size: PageSize = .a4) {
        self.size = size
    }

    /// Draws `text` on one line at baseline `y`; `x` is its left end, right end or centre per `alignment`,
    /// measured with the font's AFM widths. Returns the left x where the text starts.
    @discardableResult
    public mutating func text(
        _ text: String, x: Double, y: Double, font: PDFFont = .helvetica, size: Double, alignment: PDFTextAlignment = .left
    ) -> Double {
        let bytes = WinAnsiEncoding.encode(text)
        guard !bytes.isEmpty else { return x }
        let width = font.width(ofEncoded: bytes, size: size)
        let left: Double
        switch alignment {
        case .left: left = x
        case .right: left = x - width
        case .center: left = x - width / 2
        }
        append("BT /\(font.resourceName) \(PDFSyntax.number(size)) Tf ")
        append("\(PDFSyntax.number(left)) \(PDFSyntax.number(y)) Td ")
        content += PDFSyntax.literalString(bytes)
        append(" Tj ET\n")
        return left
    }

    /// A straight line `width` points thick in `gray` (0 black … 1 white).
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double = 0.5, gray: Double = 0) {
        append("q \(PDFSyntax.number(width)) w \(PDFSyntax.number(gray)) G ")
        append("\(PDFSyntax.number(x1)) \(PDFSyntax.number(y1)) m \(PDFSyntax.number(x2)) \(PDFSyntax.number(y2)) l S Q\n")
    }

    /// A rectangle with its lower-left corner at (`x`, `y`), filled with `fillGray` and/or outlined with
    /// `strokeGray` (either may be `nil`; with both `nil` nothing is drawn).
    public mutating func rectangle(
        x: Double, y: Double, width: Double, height: Double, fillGray: Double? = nil, strokeGray: Double? = nil,
        lineWidth: Double = 0.5
    ) {
        guard fillGray != nil || strokeGray != nil else { return }
        append("q ")
        if let fillGray { append("\(PDFSyntax.number(fillGray)) g ") }
        if let strokeGray { append("\(PDFSyntax.number(strokeGray)) G \(PDFSyntax.number(lineWidth)) w ") }
        append("\(PDFSyntax.number(x)) \(PDFSyntax.number(y)) \(PDFSyntax.number(width)) \(PDFSyntax.number(height)) re ")
        switch (fillGray, strokeGray) {
        case (.some, .some): append("B")
        case (.some, nil): append("f")
        default: append("S")
        }
        append(" Q\n")
    }

    private mutating func append(_ s: String) {
        content += Array(s.utf8)
    }
}
