/// Flows content down a sequence of pages: a cursor `y` moves from the top margin towards the bottom margin
/// and a new page starts when the next block does not fit. Pages after the first may carry a small running
/// header (e.g. "ACME S.L. · Statement · C-1001") so a loose sheet can be placed.
public struct PageFlow: Sendable {
    public private(set) var pages: [PDFPage]
    /// The top of the next block (y from the bottom of the page, in points).
    public var y: Double
    public let size: PageSize
    /// Left and right edges of the text area.
    public let left: Double
    public let right: Double
    /// Where content starts on a new page.
    public let top: Double
    /// Content never goes below this y (the footer lives underneath).
    public let bottom: Double
    /// Drawn at the top margin of every page after the first, in 7.5 pt grey; `nil` for none.
    public var runningHeader: String?
    /// Where the cursor stood when the current page was started by ``newPage()`` (`nil` on the first page):
    /// a block taller than a whole page is then drawn anyway instead of starting empty pages forever.
    private var pageStartY: Double?

    public init(size: PageSize = .a4, left: Double, right: Double, top: Double, bottom: Double, runningHeader: String? = nil) {
        self.size = size
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
        self.runningHeader = runningHeader
        self.pages = [PDFPage(size: size)]
        self.y = top
    }

    /// Width of the text area.
    public var width: Double { right - left }

    /// Space left on the current page.
    public var remaining: Double { y - bottom }

    /// Draws on the current page.
    @discardableResult
    public mutating func draw<R>(_ body: (inout PDFPage) -> R) -> R {
        body(&pages[pages.count - 1])
    }

    /// Starts a new page with the running header, and moves the cursor to its top.
    public mutating func newPage() {
        pages.append(PDFPage(size: size))
        y = top
        if let runningHeader, !runningHeader.isEmpty {
            let line = TextWrapper.truncate(runningHeader, font: .helvetica, size: 7.5, width: width)
            let (left, right, top) = (left, right, top)
            draw {
                $0.text(line, x: left, y: top - 7.5, size: 7.5)
                $0.line(x1: left, y1: top - 10.5, x2: right, y2: top - 10.5, width: 0.3, gray: 0.6)
            }
            y = top - 20
        }
        pageStartY = y
    }

    /// Starts a new page when fewer than `height` points are left; returns whether it did.
    @discardableResult
    public mutating func ensure(_ height: Double) -> Bool {
        guard height > remaining else { return false }
        if let pageStartY, y >= pageStartY { return false }
        newPage()
        return true
    }

    /// Moves the cursor down by `height` points (vertical space; never starts a page by itself).
    public mutating func skip(_ height: Double) {
        y -= height
    }

    /// Writes `text` wrapped to the text area, line by line, breaking pages between lines.
    public mutating func paragraph(_ text: String, font: PDFFont = .helvetica, size: Double, leading: Double? = nil) {
        let leading = leading ?? size * 1.3
        for line in TextWrapper.wrap(text, font: font, size: size, width: width) {
            ensure(leading)
            let (baseline, left) = (y - size * 0.86, left)
            draw { $0.text(line, x: left, y: baseline, font: font, size: size) }
            y -= leading
        }
    }

    /// Runs `decorate` once per page, with the 1-based page number and the page count (footers, "Page 2 of 3").
    public mutating func decorate(_ decorate: (inout PDFPage, _ number: Int, _ count: Int) -> Void) {
        let count = pages.count
        for i in pages.indices { decorate(&pages[i], i + 1, count) }
    }
}
