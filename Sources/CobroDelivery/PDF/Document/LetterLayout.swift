/// Page geometry of Cobro's letters and statements on A4, after DIN 5008 form B ("Form B", the tall
/// letterhead), so the recipient address shows through the window of a C5, C6/5 or DL window envelope
/// (DIN 680, window 90 × 45 mm at 20 mm from the left, 15 mm from the bottom of the envelope).
///
/// All values are millimetres measured from the page's top-left corner, as DIN 5008 states them:
///
/// | element | x | y (from top) | size |
/// |---|---|---|---|
/// | letterhead: company name, address lines | 25 | 15 | up to 45 mm |
/// | address field (the window) | 20 | 45 | 85 × 45 |
/// | · return-address / remarks zone (one 7 pt line at its foot) | 25 | 45–62.7 | 17.7 mm |
/// | · recipient zone (≤ 6 lines, 10 pt on 12 pt) | 25 | 62.7–90 | 27.3 mm |
/// | information block: date, references | 125 | 50 | to the right margin |
/// | subject, then body | 25 | 98.5 | 165 mm wide (right margin 20) |
/// | fold marks / hole-punch mark | 3–8 | 105, 210 / 148.5 | — |
/// | footer (rule, lines, page number) | 25 | from 287 upwards | — |
/// | later pages start at | 25 | 20 | — |
///
/// The text inside the window starts 5 mm right of the window's left edge so that it stays visible when the
/// sheet slides in the envelope.
public enum LetterLayout {
    public static let page = PageSize.a4
    public static let leftMargin = 25.0
    public static let rightMargin = 20.0
    public static let letterheadTop = 15.0
    public static let addressFieldLeft = 20.0
    public static let addressFieldTop = 45.0
    public static let addressFieldWidth = 85.0
    public static let addressFieldHeight = 45.0
    /// Height of the return-address and remarks zone at the top of the address field.
    public static let remarksZoneHeight = 17.7
    /// The recipient's lines start this far right of the address field's left edge.
    public static let addressInset = 5.0
    public static let maxRecipientLines = 6
    public static let infoBlockLeft = 125.0
    public static let infoBlockTop = 50.0
    public static let subjectTop = 98.5
    public static let foldMarks = [105.0, 210.0]
    public static let holeMark = 148.5
    public static let continuationTop = 20.0
    /// Baseline of the last footer line, from the bottom edge.
    public static let footerBaselineFromBottom = 10.0

    public static let bodySize = 10.0
    public static let bodyLeading = 13.0
    public static let footerSize = 7.0
    public static let footerLeading = 8.5

    /// Left and right edges of the text area, in points.
    static var textLeft: Double { mm(leftMargin) }
    static var textRight: Double { page.width - mm(rightMargin) }
}
