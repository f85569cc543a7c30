import CobroCore
import Foundation

/// Reads what ``CommunicationEffectiveness`` needs: the messages created by runs dated in the period, the payments
/// applied to the invoices they list (a reversal counts as a negative amount on the day it was reversed), and the
/// day each of those invoices was paid in full. Credit notes are not payments and are left out.
public enum EffectivenessStore {
    public static func report(_ c: any Connection, company: Int64, timeZone: TimeZone, from: LocalDate, to: LocalDate) async throws
        -> CommunicationEffectiveness.Report
    {
        let range: [SQLValue] = [.int(company), .int(Int64(from.dayNumber)), .int(Int64(to.dayNumber))]
        var items: [Int64: [EffectivenessMessage.Item]] = [:]
        try await c.forEach(
            """
            SELECT mi.message_id, mi.invoice_id, mi.amount FROM message_item mi JOIN message m ON m.company_id = mi.company_id AND m.id = mi.message_id
            WHERE m.company_id = $1 AND m.run_day BETWEEN $2 AND $3
            """, range
        ) { r in items[r.int(0), default: []].append(.init(invoiceID: r.int(1), amountMinor: r.int(2))) }
        var messages: [EffectivenessMessage] = []
        try await c.forEach(
            """
            SELECT id, channel, step_id, COALESCE(template, step_id), language, currency, status, sent_at FROM message
            WHERE company_id = $1 AND run_day BETWEEN $2 AND $3 ORDER BY id
            """, range
        ) { r in
            guard let channel = DunningChannel(rawValue: r.text(1)), let currency = Currency(code: r.text(5)),
                let status = EffectivenessMessage.Status(rawValue: r.text(6))
            else { return }
            messages.append(EffectivenessMessage(
                channel: channel, stepID: r.text(2), template: r.text(3), language: r.text(4), currency: currency, status: status,
                sentOn: r.intOrNil(7).map { ZonedWallClock.localDate(of: Date(timeIntervalSince1970: Double($0) / 1000), in: timeZone) },
                items: items[r.int(0)] ?? []))
        }
        let dunnedInvoices = """
            SELECT DISTINCT mi.invoice_id FROM message_item mi JOIN message m ON m.company_id = mi.company_id AND m.id = mi.message_id
            WHERE m.company_id = $1 AND m.run_day BETWEEN $2 AND $3
            """
        var payments: [Int64: [EffectivenessPayment]] = [:]
        try await c.forEach(
            """
            SELECT a.invoice_id, a.applied_day, a.reversed_day, a.amount FROM allocation a
            WHERE a.company_id = $1 AND a.payment_id IS NOT NULL AND a.invoice_id IN (\(dunnedInvoices))
            """, range
        ) { r in
            payments[r.int(0), default: []].append(EffectivenessPayment(day: LocalDate(dayNumber: Int(r.int(1))), amountMinor: r.int(3)))
            if let reversed = r.intOrNil(2) {
                payments[r.int(0), default: []].append(EffectivenessPayment(day: LocalDate(dayNumber: Int(reversed)), amountMinor: -r.int(3)))
            }
        }
        var closedOn: [Int64: LocalDate] = [:]
        try await c.forEach(
            """
            SELECT id, last_alloc_day FROM invoice
            WHERE company_id = $1 AND open_amount = 0 AND last_alloc_day IS NOT NULL AND id IN (\(dunnedInvoices))
            """, range
        ) { r in closedOn[r.int(0)] = LocalDate(dayNumber: Int(r.int(1))) }
        return CommunicationEffectiveness.report(messages: messages, payments: payments, closedOn: closedOn, from: from, to: to)
    }
}
