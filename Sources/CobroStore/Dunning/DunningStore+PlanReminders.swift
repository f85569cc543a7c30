import CobroCore

extension DunningStore {
    /// The company's active payment plans evaluated as of `asOf`, each with its customer and the invoice its reminder
    /// is recorded on (the lowest still open, so the outbox does not cancel the reminder as paid), and the plan reminder steps already recorded (`plan_…`), whatever the
    /// state of the invoice they were recorded on.
    public func planReminderInput(asOf: LocalDate) async throws -> (plans: [InstallmentReminders.PlanInput], recorded: Set<String>) {
        var keys: [Int64: (customer: Int64, invoice: Int64)] = [:]
        try await c.forEach(
            """
            SELECT p.id, p.customer_id, COALESCE(MIN(CASE WHEN i.open_amount > 0 THEN i.id END), MIN(i.id)) FROM payment_plan p
            JOIN plan_item pi ON pi.company_id = p.company_id AND pi.plan_id = p.id
            JOIN invoice i ON i.company_id = pi.company_id AND i.id = pi.invoice_id
            WHERE p.company_id = $1 AND p.status = 'active' GROUP BY p.id, p.customer_id
            """, [.int(company)]
        ) { r in keys[r.int(0)] = (r.int(1), r.int(2)) }
        var plans: [InstallmentReminders.PlanInput] = []
        var after: Int64 = 0
        while !keys.isEmpty {
            let page = try await PlanStore.list(c, company: company, status: "active", customerRef: nil, after: after, limit: 200, asOf: asOf)
            for p in page {
                guard let report = p.report, let k = keys[p.id] else { continue }
                plans.append(InstallmentReminders.PlanInput(
                    planID: p.id, customerID: CustomerID(k.customer), invoiceID: InvoiceID(k.invoice), plan: p.plan, report: report))
            }
            guard let last = page.last, page.count == 200 else { break }
            after = last.id
        }
        var recorded: Set<String> = []
        try await c.forEach("SELECT step_id FROM dunning_entry WHERE company_id = $1 AND step_id LIKE 'plan\\_%' ESCAPE '\\'", [.int(company)]) { r in
            recorded.insert(r.text(0))
        }
        return (plans, recorded)
    }
}
