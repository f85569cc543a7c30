import CobroCore
import Foundation

/// The communication-effectiveness report (issue 3, point 16) as JSON, CSV and a terminal table. Rates are
/// percentages with two decimals (from basis points, so exact); `null`/empty when there is nothing to divide by.
public enum EffectivenessRendering {
    typealias Report = CommunicationEffectiveness.Report
    typealias Figures = CommunicationEffectiveness.Figures

    static func figuresJSON(_ f: Figures) -> [(String, JSONValue)] {
        [
            ("messages", .int(f.messages)), ("sent", .int(f.sent)), ("failed", .int(f.failed)), ("pending", .int(f.pending)),
            ("cancelled", .int(f.cancelled)), ("delivery_rate_pct", .hundredths(f.deliveryRate)),
            ("dunned", .number(f.dunned.decimalString)),
            ("paid_within_7_days", .number(f.paidWithin7.decimalString)), ("paid_share_7_days_pct", .hundredths(f.shareWithin7)),
            ("messages_followed_by_payment_7_days", .int(f.messagesWithPayment7)),
            ("paid_within_14_days", .number(f.paidWithin14.decimalString)), ("paid_share_14_days_pct", .hundredths(f.shareWithin14)),
            ("messages_followed_by_payment_14_days", .int(f.messagesWithPayment14)),
        ]
    }

    public static func json(_ r: CommunicationEffectiveness.Report) -> JSONValue {
        .object([
            ("from", .string(r.from.iso)), ("to", .string(r.to.iso)),
            ("rows", .array(r.rows.map { row in
                .object([
                    ("channel", .string(row.channel.rawValue)), ("step", .string(row.stepID)), ("template", .string(row.template)),
                    ("language", .string(row.language)), ("currency", .string(row.currency.code)),
                ] + figuresJSON(row.figures))
            })),
            ("totals", .array(r.totals.map { t in .object([("currency", .string(t.currency.code))] + figuresJSON(t.figures)) })),
            ("paid_invoices", .int(r.paidInvoices)), ("reminders_before_payment", .int(r.reminders)),
            ("reminders_per_paid_invoice", .hundredths(r.remindersPerPaidInvoiceHundredths)),
            ("reminders_per_paid_invoice_by_channel", .array(r.remindersByChannel.map { c in
                .object([
                    ("channel", .string(c.channel.rawValue)), ("paid_invoices", .int(c.paidInvoices)), ("reminders", .int(c.reminders)),
                    ("reminders_per_paid_invoice", .hundredths(c.remindersPerPaidInvoiceHundredths)),
                ])
            })),
        ])
    }

    static let csvHeader = "channel,step,template,language,currency,messages,sent,failed,pending,cancelled,delivery_rate_pct,dunned,"
        + "paid_within_7_days,paid_share_7_days_pct,paid_within_14_days,paid_share_14_days_pct\n"

    public static func csv(_ r: CommunicationEffectiveness.Report) -> String {
        var out = csvHeader
        func line(_ key: [String], _ f: Figures) {
            out += (key + [String(f.messages), String(f.sent), String(f.failed), String(f.pending), String(f.cancelled), hundredthsText(f.deliveryRate) ?? "",
                f.dunned.decimalString, f.paidWithin7.decimalString, hundredthsText(f.shareWithin7) ?? "", f.paidWithin14.decimalString,
                hundredthsText(f.shareWithin14) ?? ""]).joined(separator: ",") + "\n"
        }
        for row in r.rows { line([row.channel.rawValue, row.stepID, row.template, row.language, row.currency.code], row.figures) }
        for t in r.totals { line(["TOTAL", "", "", "", t.currency.code], t.figures) }
        return out
    }

    public static func table(_ r: CommunicationEffectiveness.Report) -> String {
        var t = TextTable(
            headers: ["channel", "step", "lang", "cur", "sent", "failed", "delivered %", "dunned", "paid ≤7d", "%", "paid ≤14d", "%"],
            rightAligned: [4, 5, 6, 7, 8, 9, 10, 11])
        func cells(_ f: Figures) -> [String] {
            [String(f.sent), String(f.failed), hundredthsText(f.deliveryRate) ?? "–", f.dunned.decimalString, f.paidWithin7.decimalString,
             hundredthsText(f.shareWithin7) ?? "–", f.paidWithin14.decimalString, hundredthsText(f.shareWithin14) ?? "–"]
        }
        t.rows = r.rows.map { [$0.channel.rawValue, $0.stepID, $0.language, $0.currency.code] + cells($0.figures) }
        t.rows += r.totals.map { ["TOTAL", "", "", $0.currency.code] + cells($0.figures) }
        var out = "Communication effectiveness, messages of runs from \(r.from.iso) to \(r.to.iso)\n" + t.render() + "\n"
        if let per = hundredthsText(r.remindersPerPaidInvoiceHundredths) {
            out += "Reminders per paid invoice: \(per) (\(r.paidInvoices) invoices paid after at least one reminder)\n"
        } else {
            out += "Reminders per paid invoice: none of the dunned invoices has been paid yet\n"
        }
        return out
    }
}
