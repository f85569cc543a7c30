import CobroCore

/// Which open items a standing promise to pay or an active payment plan covers on a day: the invoices a promise or
/// plan names, and — for a promise on account — every item of the customer in the promise's currency.
///
/// Dunning leaves covered items alone and the worklist discounts them; both read the cover through this one query so
/// they can never disagree about what a promise or plan protects.
struct StandingCoverage: Sendable {
    private(set) var invoices: Set<Int64> = []
    private var onAccount: Set<String> = []

    /// Whether invoice `invoice` (of `customer`, in `currency`) is covered.
    func covers(invoice: Int64, customer: Int64, currency: String) -> Bool {
        invoices.contains(invoice) || onAccount.contains("\(customer):\(currency)")
    }

    /// The cover on `day`: promises made by then whose window (promise date + tolerance) has not ended, and plans
    /// active since then. With `customer`, only that customer's.
    static func read(_ c: any Connection, company: Int64, day: LocalDate, customer: Int64? = nil) async throws -> StandingCoverage {
        var cover = StandingCoverage()
        var binds: [SQLValue] = [.int(company), .int(Int64(day.dayNumber))]
        let one = customer.map { binds.append(.int($0)); return " AND p.customer_id = $3" } ?? ""
        let standing = "p.company_id = $1 AND p.status = 'open' AND p.made_day <= $2 AND p.promise_day + p.tolerance_days >= $2\(one)"
        try await c.forEach(
            "SELECT pi.invoice_id FROM promise_item pi JOIN promise p ON p.company_id = pi.company_id AND p.id = pi.promise_id WHERE \(standing)", binds
        ) { r in cover.invoices.insert(r.int(0)) }
        try await c.forEach(
            """
            SELECT p.customer_id, p.currency FROM promise p
            WHERE \(standing) AND NOT EXISTS (SELECT 1 FROM promise_item pi WHERE pi.company_id = p.company_id AND pi.promise_id = p.id)
            """, binds
        ) { r in cover.onAccount.insert("\(r.int(0)):\(r.text(1))") }
        try await c.forEach(
            """
            SELECT pi.invoice_id FROM plan_item pi JOIN payment_plan p ON p.company_id = pi.company_id AND p.id = pi.plan_id
            WHERE p.company_id = $1 AND p.status = 'active' AND p.start_day <= $2\(one)
            """, binds
        ) { r in cover.invoices.insert(r.int(0)) }
        return cover
    }
}
