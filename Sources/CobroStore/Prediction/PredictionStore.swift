import CobroCore

/// Reads the payment model's view of the ledger (issue 6). SQL only: features, training and evaluation are CobroCore's.
public enum PredictionStore {
    /// Every invoice and debit note of the company as it stands now: settled ones with their settlement day (the last
    /// allocation), open ones without.
    public static func invoices(_ c: any Connection, company: Int64) async throws -> [ModelInvoice] {
        var out: [ModelInvoice] = []
        try await c.forEach(
            """
            SELECT customer_id, issue_day, due_day, amount, billing_channel, open_amount, last_alloc_day, currency FROM invoice
            WHERE company_id = $1 AND kind <> 'credit_note' ORDER BY issue_day, id
            """, [.int(company)]
        ) { r in
            let settled = r.int(5) == 0 ? r.intOrNil(6).map { LocalDate(dayNumber: Int($0)) } : nil
            out.append(ModelInvoice(
                customer: r.int(0), issueDate: LocalDate(dayNumber: Int(r.int(1))), dueDate: LocalDate(dayNumber: Int(r.int(2))), amountMinor: r.int(3),
                paperBilling: r.textOrNil(4) == BillingChannel.paper.rawValue, settledOn: settled, openMinor: r.int(5),
                currency: Currency(code: r.text(7))))
        }
        return out
    }

    /// Each customer's disputes (opened and closed days, UTC) and broken promises (the day each was judged broken),
    /// for the model's dispute and promise features.
    public static func events(_ c: any Connection, company: Int64) async throws -> [Int64: CustomerEvents] {
        var out: [Int64: CustomerEvents] = [:]
        let day = { (ms: Int64) in LocalDate(dayNumber: Int(ms / 86_400_000)) }
        try await c.forEach(
            """
            SELECT i.customer_id, d.opened_at, d.closed_at FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id
            WHERE d.company_id = $1
            """, [.int(company)]
        ) { r in
            out[r.int(0), default: CustomerEvents()].disputes.append(.init(opened: day(r.int(1)), closed: r.intOrNil(2).map(day)))
        }
        try await c.forEach(
            "SELECT customer_id, COALESCE(evaluated_day, promise_day + tolerance_days) FROM promise WHERE company_id = $1 AND status = 'broken'", [.int(company)]
        ) { r in
            out[r.int(0), default: CustomerEvents()].brokenPromises.append(LocalDate(dayNumber: Int(r.int(1))))
        }
        return out
    }
}
