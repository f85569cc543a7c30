import CobroCore
import CobroStore
import Foundation

/// JSON, CSV and table forms of the discount policy effectiveness report.
public enum DiscountReportRendering {
    static func days(_ v: Double?) -> String? { v.map { String(format: "%.1f", $0) } }
    static func pct(_ v: Double?) -> String? { v.map { String(format: "%.2f", $0 * 100) } }
    static func money(_ m: Int64, _ c: Currency) -> String { Money(minor: m, c).decimalString }
    static func num(_ s: String?) -> JSONValue { s.map(JSONValue.number) ?? .null }

    public static func json(from: LocalDate, to: LocalDate, asOf: LocalDate, _ groups: [DiscountEffectiveness.Group]) -> JSONValue {
        .object([("from", .string(from.iso)), ("to", .string(to.iso)), ("as_of", .string(asOf.iso)), ("groups", .array(groups.map { g in
            .object([("terms", .string(g.terms.description)), ("currency", .string(g.currency.code)), ("invoices", .int(Int64(g.invoices))),
                     ("amount", .number(money(g.amountMinor, g.currency))), ("decided", .int(Int64(g.decided))), ("taken", .int(Int64(g.taken))),
                     ("take_rate_pct", .hundredths(g.takeRateBasisPoints)), ("discount", .number(money(g.discountMinor, g.currency))),
                     ("paid_without_discount", .int(Int64(g.paidWithoutDiscount))),
                     ("average_days_to_pay_taken", num(days(g.averageDaysToPayTaken))), ("average_days_to_pay_others", num(days(g.averageDaysToPayOthers))),
                     ("days_saved", num(days(g.daysSaved))), ("annualised_cost_pct", num(pct(g.annualisedCost))),
                     ("terms_nominal_cost_pct", num(pct(g.termsNominalCost)))])
        }))])
    }

    public static func csv(_ groups: [DiscountEffectiveness.Group]) -> String {
        var out = CSVWriter.line(["terms", "currency", "invoices", "amount", "decided", "taken", "take_rate_pct", "discount", "paid_without_discount",
                                  "average_days_to_pay_taken", "average_days_to_pay_others", "days_saved", "annualised_cost_pct", "terms_nominal_cost_pct"])
        for g in groups {
            out += CSVWriter.line([g.terms.description, g.currency.code, String(g.invoices), money(g.amountMinor, g.currency), String(g.decided), String(g.taken),
                                   hundredthsText(g.takeRateBasisPoints) ?? "", money(g.discountMinor, g.currency), String(g.paidWithoutDiscount),
                                   days(g.averageDaysToPayTaken) ?? "", days(g.averageDaysToPayOthers) ?? "", days(g.daysSaved) ?? "",
                                   pct(g.annualisedCost) ?? "", pct(g.termsNominalCost) ?? ""])
        }
        return out
    }

    public static func table(from: LocalDate, to: LocalDate, asOf: LocalDate, _ groups: [DiscountEffectiveness.Group]) -> String {
        let head = "Early-payment discounts on invoices issued \(from.iso) – \(to.iso), as of \(asOf.iso)\n"
            + "(take rate over invoices whose window closed or that took it; days saved = others' days to pay − takers')\n\n"
        guard !groups.isEmpty else { return head + "No invoices on discount terms in the period.\n" }
        let rows: [[String]] = groups.map { g in
            let taken = "\(g.taken)/\(g.decided)"
            let rate = hundredthsText(g.takeRateBasisPoints).map { "\($0) %" } ?? "—"
            let daysPair = "\(days(g.averageDaysToPayTaken) ?? "—") / \(days(g.averageDaysToPayOthers) ?? "—")"
            let cost = pct(g.annualisedCost).map { "\($0) %" } ?? "—"
            let termsCost = pct(g.termsNominalCost).map { "\($0) %" } ?? "—"
            return [g.terms.description, g.currency.code, String(g.invoices), taken, rate, money(g.discountMinor, g.currency), daysPair,
                    days(g.daysSaved) ?? "—", cost, termsCost]
        }
        return head + TextTable(
            headers: ["terms", "cur", "invoices", "taken", "take rate", "discount", "days taken/others", "days saved", "cost a year", "terms' cost"],
            rows: rows, rightAligned: [2, 3, 4, 5, 6, 7, 8, 9]).render()
    }
}
