import CobroCore
import Foundation

/// A payment the customer started in the portal: which invoices, how much, and what the provider answered.
public struct PaymentIntent: Sendable, Hashable {
    public enum Status: String, Sendable { case pending, succeeded, failed }
    public var id: Int64
    public var customerRef: String
    public var currency: Currency
    public var amountMinor: Int64
    /// The invoices paid and the open amount of each when the payment was started.
    public var items: [(ref: String, amountMinor: Int64)]
    public var status: Status

    public static func == (a: PaymentIntent, b: PaymentIntent) -> Bool { a.id == b.id && a.status == b.status }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// Portal payments: an intent per checkout, confirmed once by the provider's signed webhook. A confirmation records
/// one payment per invoice (`PI-<intent>-<n>`, applied to that invoice) in the same transaction; a second
/// confirmation of the same intent changes nothing (providers retry their webhooks).
public enum PaymentIntentStore {
    public static func create(
        _ c: any Connection, company: Int64, customerRef: String, invoiceRefs: [String], actor: String, now: Int64
    ) async throws -> PaymentIntent {
        guard let cid = try await LedgerQueries.customerID(c, company: company, ref: customerRef) else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        guard !invoiceRefs.isEmpty else { throw StoreError.invalid(field: "invoices", "choose at least one invoice to pay") }
        var items: [(String, Int64)] = []
        var currency: Currency?
        for ref in invoiceRefs {
            guard let r = try await c.first(
                "SELECT currency, open_amount FROM invoice WHERE company_id = $1 AND customer_id = $2 AND ref = $3 AND kind <> 'credit_note'",
                [.int(company), .int(cid), .text(ref)])
            else { throw StoreError.invalid(field: "invoices", "\(ref) is not an invoice of this account") }
            guard r.int(1) > 0 else { throw StoreError.invalid(field: "invoices", "\(ref) is already paid") }
            let cur = Currency(code: r.text(0))!
            if let currency, currency != cur { throw StoreError.invalid(field: "invoices", "pay invoices of one currency at a time (\(currency.code) and \(cur.code))") }
            currency = cur
            items.append((ref, r.int(1)))
        }
        let total = items.reduce(Int64(0)) { $0 + $1.1 }
        let encoded = items.map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
        let id = try await c.first(
            """
            INSERT INTO payment_intent (company_id, customer_id, currency, amount, invoice_refs, status, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6) RETURNING id
            """, [.int(company), .int(cid), .text(currency!.code), .int(total), .text(encoded), .int(now)])!.int(0)
        try await Audit.record(
            c, company: company, actor: actor, action: "payment_intent.create", entity: "payment_intent", ref: String(id), before: nil,
            after: ["customer": customerRef, "amount": String(total), "currency": currency!.code, "invoices": invoiceRefs.joined(separator: ",")], at: now)
        return PaymentIntent(id: id, customerRef: customerRef, currency: currency!, amountMinor: total, items: items, status: .pending)
    }

    public static func get(_ c: any Connection, company: Int64, id: Int64) async throws -> PaymentIntent? {
        guard let r = try await c.first(
            """
            SELECT p.id, cu.customer_ref, p.currency, p.amount, p.invoice_refs, p.status FROM payment_intent p
            JOIN customer cu ON cu.company_id = p.company_id AND cu.id = p.customer_id WHERE p.company_id = $1 AND p.id = $2
            """, [.int(company), .int(id)])
        else { return nil }
        let items: [(ref: String, amountMinor: Int64)] = r.text(4).split(separator: "\n").compactMap { line in
            guard let eq = line.lastIndex(of: "="), let v = Int64(line[line.index(after: eq)...]) else { return nil }
            return (String(line[..<eq]), v)
        }
        return PaymentIntent(
            id: r.int(0), customerRef: r.text(1), currency: Currency(code: r.text(2))!, amountMinor: r.int(3), items: items, status: PaymentIntent.Status(rawValue: r.text(5)) ?? .pending)
    }

    /// The provider's answer. `succeeded` with the intent's amount and currency records the payments; anything
    /// that does not match the intent is refused, so a webhook cannot pay more or less than was asked.
    public static func confirm(
        _ c: any Connection, company: Int64, id: Int64, succeeded: Bool, amountMinor: Int64, currency: Currency, providerRef: String?, day: LocalDate,
        writer: LedgerWriter, now: Int64
    ) async throws -> PaymentIntent {
        guard let intent = try await get(c, company: company, id: id) else { throw StoreError.notFound("payment intent \(id) does not exist") }
        guard intent.status == .pending else { return intent }
        guard currency == intent.currency, amountMinor == intent.amountMinor else {
            throw StoreError.invalid(field: "amount", "\(amountMinor) \(currency.code) is not the intent's \(intent.amountMinor) \(intent.currency.code)")
        }
        guard try await c.first(
            "UPDATE payment_intent SET status = $3, payment_ref = $4, updated_at = $5 WHERE company_id = $1 AND id = $2 AND status = 'pending' RETURNING id",
            [.int(company), .int(id), .text(succeeded ? "succeeded" : "failed"), .of(providerRef), .int(now)]) != nil
        else { return try await get(c, company: company, id: id)! }
        if succeeded {
            guard let cid = try await writer.customerID(ref: intent.customerRef) else { throw StoreError.notFound("customer \(intent.customerRef) does not exist") }
            for (n, item) in intent.items.enumerated() {
                let p = Payment(
                    ref: "PI-\(id)-\(n + 1)", customerRef: intent.customerRef, date: day, currency: intent.currency, amountMinor: item.amountMinor, invoiceRef: item.ref,
                    method: "portal", reference: providerRef)
                if case .failure(let e) = try await writer.recordPayment(p, customerID: cid, importID: nil) { throw e }
            }
        }
        try await Audit.record(
            c, company: company, actor: "provider", action: succeeded ? "payment_intent.succeeded" : "payment_intent.failed", entity: "payment_intent", ref: String(id),
            before: ["status": "pending"], after: ["status": succeeded ? "succeeded" : "failed", "provider_ref": providerRef ?? ""], at: now)
        return try await get(c, company: company, id: id)!
    }
}
