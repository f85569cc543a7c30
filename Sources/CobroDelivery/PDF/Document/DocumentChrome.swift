/// The parts every Cobro letter and statement shares, drawn at the ``LetterLayout`` positions: letterhead,
/// window address with return address, information block, fold marks, and on every page the footer with
/// "Page n of m".
struct DocumentChrome {
    var company: CompanyHeader
    var recipient: [String]
    var infoLines: [String]
    var footer: [String]
    var pageLabel: PageNumberLabel

    private var page: PageSize { LetterLayout.page }

    /// A page flow whose first page already holds the letterhead, address and information block, with the
    /// cursor at the subject line; later pages carry `runningHeader`.
    func startFlow(runningHeader: String) -> PageFlow {
        var flow = PageFlow(
            size: page, left: LetterLayout.textLeft, right: LetterLayout.textRight,
            top: page.y(fromTopMillimetres: LetterLayout.continuationTop), bottom: contentBottom,
            runningHeader: runningHeader)
        flow.draw { drawFirstPage(&$0) }
        flow.y = page.y(fromTopMillimetres: LetterLayout.subjectTop)
        return flow
    }

    /// Footer lines wrapped to the width left by the page number.
    private var footerLines: [String] {
        let width = LetterLayout.textRight - LetterLayout.textLeft - 90
        return footer.flatMap { TextWrapper.wrap($0, font: .helvetica, size: LetterLayout.footerSize, width: width) }
    }

    /// Baseline of the first footer line; the footer grows upwards from the fixed last baseline.
    private var footerTopBaseline: Double {
        mm(LetterLayout.footerBaselineFromBottom) + Double(max(footerLines.count, 1) - 1) * LetterLayout.footerLeading
    }

    /// The rule above the footer.
    private var footerRule: Double { footerTopBaseline + LetterLayout.footerSize + 4 }

    /// Content stops 4 mm above the footer rule.
    var contentBottom: Double { footerRule + mm(4) }

    private func drawFirstPage(_ p: inout PDFPage) {
        let left = LetterLayout.textLeft
        // Letterhead.
        var y = page.y(fromTopMillimetres: LetterLayout.letterheadTop) - 14
        p.text(company.name, x: left, y: y, font: .helveticaBold, size: 16)
        y -= 13
        for line in company.addressLines {
            p.text(line, x: left, y: y, size: 8.5)
            y -= 10.5
        }

        // Address field: the return address at the foot of the remarks zone, then the recipient.
        let inset = mm(LetterLayout.addressFieldLeft + LetterLayout.addressInset)
        let innerWidth = mm(LetterLayout.addressFieldWidth - 2 * LetterLayout.addressInset)
        let remarksBottom = page.y(fromTopMillimetres: LetterLayout.addressFieldTop + LetterLayout.remarksZoneHeight)
        let returnLine = TextWrapper.truncate(company.returnAddressLine, font: .helvetica, size: 7, width: innerWidth)
        let returnBaseline = remarksBottom + mm(1.5)
        let returnLeft = p.text(returnLine, x: inset, y: returnBaseline, size: 7)
        let returnWidth = PDFFont.helvetica.width(of: returnLine, size: 7)
        p.line(x1: returnLeft, y1: returnBaseline - 1.5, x2: returnLeft + returnWidth, y2: returnBaseline - 1.5, width: 0.3)
        var baseline = remarksBottom - mm(1) - 10 * 0.86
        for line in recipient.prefix(LetterLayout.maxRecipientLines) {
            let fitted = TextWrapper.truncate(line, font: .helvetica, size: 10, width: innerWidth)
            p.text(fitted, x: inset, y: baseline, size: 10)
            baseline -= 12
        }

        // Information block.
        var infoY = page.y(fromTopMillimetres: LetterLayout.infoBlockTop) - 9 * 0.86
        let infoLeft = mm(LetterLayout.infoBlockLeft)
        let infoWidth = LetterLayout.textRight - infoLeft
        for line in infoLines {
            for wrapped in TextWrapper.wrap(line, font: .helvetica, size: 9, width: infoWidth) {
                p.text(wrapped, x: infoLeft, y: infoY, size: 9)
                infoY -= 11.5
            }
        }

        // Fold marks and the hole-punch mark in the left margin.
        for mark in LetterLayout.foldMarks + [LetterLayout.holeMark] {
            let y = page.y(fromTopMillimetres: mark)
            p.line(x1: mm(3), y1: y, x2: mm(mark == LetterLayout.holeMark ? 7 : 8), y2: y, width: 0.3, gray: 0.5)
        }
    }

    /// Footer and page number on every page of `flow`.
    func finish(_ flow: inout PageFlow) {
        let lines = footerLines
        let label = pageLabel
        let (left, right) = (LetterLayout.textLeft, LetterLayout.textRight)
        let (rule, top) = (footerRule, footerTopBaseline)
        flow.decorate { p, number, count in
            p.line(x1: left, y1: rule, x2: right, y2: rule, width: 0.3, gray: 0.6)
            var y = top
            for line in lines {
                p.text(line, x: left, y: y, size: LetterLayout.footerSize)
                y -= LetterLayout.footerLeading
            }
            p.text(label.text(page: number, of: count), x: right, y: top, size: 8, alignment: .right)
        }
    }
}
