/// Renders a ``Letter`` as an A4 PDF (DIN 5008 form B, see ``LetterLayout``).
public enum DunningLetter {
    /// The letter as PDF bytes.
    public static func render(_ letter: Letter) -> [UInt8] {
        document(letter).bytes()
    }

    /// The letter as a ``PDFDocument`` (for callers that add pages or inspect them).
    public static func document(_ letter: Letter) -> PDFDocument {
        let chrome = DocumentChrome(
            company: letter.company, recipient: letter.recipient, infoLines: [letter.date] + letter.references,
            footer: letter.footer, pageLabel: letter.pageLabel)
        var flow = chrome.startFlow(runningHeader: "\(letter.company.name) · \(letter.subject)")
        let size = LetterLayout.bodySize
        let leading = LetterLayout.bodyLeading

        flow.paragraph(letter.subject, font: .helveticaBold, size: 11, leading: 14)
        flow.skip(8)
        for paragraph in letter.body {
            flow.paragraph(paragraph, size: size, leading: leading)
            flow.skip(5)
        }
        if !letter.invoices.isEmpty || !letter.totals.isEmpty {
            flow.skip(3)
            InvoiceRow.table(letter.invoices, labels: letter.invoiceLabels, totals: letter.totals, width: flow.width)
                .draw(into: &flow)
            flow.skip(12)
        }
        for paragraph in letter.afterTable {
            flow.paragraph(paragraph, size: size, leading: leading)
            flow.skip(5)
        }
        // Closing and signature stay together on one page.
        let signatureGap = mm(15)
        let closingHeight = Double(letter.closing.count + letter.signature.count) * leading
            + (letter.signature.isEmpty ? 0 : signatureGap) + 5
        flow.ensure(closingHeight)
        flow.skip(5)
        for line in letter.closing { flow.paragraph(line, size: size, leading: leading) }
        if !letter.signature.isEmpty { flow.skip(signatureGap) }
        for line in letter.signature { flow.paragraph(line, size: size, leading: leading) }

        chrome.finish(&flow)
        return PDFDocument(pages: flow.pages, title: letter.subject, author: letter.company.name)
    }
}
