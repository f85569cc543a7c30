import CobroCore

/// Read models returned by the API and CLI.
public struct CustomerView: Sendable, Equatable {
    public var id: Int64
    public var customer: Customer
    /// Where collections stand with the customer (set by dunning escalations and the collectors).
    public var collections: Collections

    public struct Collections: Sendable, Equatable {
        public var creditHold: Bool
        public var collector: String?
        /// `agency` or `legal` when a step asked for a hand-over.
        public var handOver: String?
        /// The hand-over is confirmed: no more reminders.
        public var handedOver: Bool
        public var dunningPolicy: String?
        /// Promises to pay this customer broke.
        public var brokenPromises: Int64
    }
}

public struct DocumentView: Sendable, Equatable {
    public var id: Int64
    public var document: Document
    public var openMinor: Int64
}

public struct PaymentView: Sendable, Equatable {
    public var id: Int64
    public var payment: Payment
    public var unappliedMinor: Int64
}

public struct AllocationView: Sendable, Equatable {
    public var id: Int64
    public var invoiceRef: String
    public var paymentRef: String?
    public var creditNoteRef: String?
    public var currency: Currency
    public var amountMinor: Int64
    public var appliedOn: LocalDate
    public var reversedOn: LocalDate?
    public var createdBy: String
    public var reversedBy: String?
}

public struct ContactView: Sendable, Equatable {
    public var id: Int64
    public var customerRef: String
    public var name: String
    public var role: String?
    public var email: String?
    public var phone: String?
    public var language: String?
    public var preferredChannel: String?
    public var isPrimary: Bool
}

/// Filters for listing documents.
public struct DocumentFilter: Sendable {
    public enum Status: String, Sendable { case open, paid }
    public var customerRef: String?
    public var status: Status?
    public var kind: DocumentKind?
    public var dueBefore: LocalDate?
    public var dueAfter: LocalDate?
    /// Open and due before this date (the caller passes today).
    public var overdueOn: LocalDate?
    /// The order of the list; ties (and the default) go by id, so paging with the last id seen is stable.
    public var sort: Sort = .id
    public var descending = false
    public init() {}

    public enum Sort: String, Sendable, CaseIterable {
        case id, ref, customer, issued, due, amount, open

        var column: String {
            switch self {
            case .id: "i.id"
            case .ref: "i.ref"
            case .customer: "c.customer_ref"
            case .issued: "i.issue_day"
            case .due: "i.due_day"
            case .amount: "i.amount"
            case .open: "i.open_amount"
            }
        }
    }
}

/// The ledger's read queries (keyset pagination on id: pass the last id seen, get the next page).
public struct LedgerQueries: Sendable {
    public let c: any Connection
    public let company: Int64
    public init(_ c: any Connection, company: Int64) {
        self.c = c
        self.company = company
    }

    /// The id of the company's customer `ref`, or `nil`.
    public static func customerID(_ c: any Connection, company: Int64, ref: String) async throws -> Int64? {
        try await c.first("SELECT id FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(ref)])?.int(0)
    }

    static let customerCols = """
        id, customer_ref, name, email, phone, language, timezone, country, segment, strategic, credit_limit, currency, credit_hold, collector,
        hand_over, handed_over, dunning_policy, broken_promises
        """
    static func customer(_ r: SQLRow) -> CustomerView {
        CustomerView(id: r.int(0), customer: Customer(
            ref: r.text(1), name: r.text(2), email: r.textOrNil(3), phone: r.textOrNil(4), language: r.textOrNil(5), timezone: r.textOrNil(6),
            country: r.textOrNil(7), segment: r.textOrNil(8), strategic: r.bool(9), creditLimitMinor: r.intOrNil(10),
            currency: r.textOrNil(11).flatMap { Currency(code: $0) }),
            collections: .init(creditHold: r.bool(12), collector: r.textOrNil(13), handOver: r.textOrNil(14), handedOver: r.bool(15), dunningPolicy: r.textOrNil(16),
                brokenPromises: r.int(17)))
    }

    /// Keyset paging in `key` order, ties by `id`: the condition for "after the row whose id is $2" ($2 = 0: from the
    /// start) — that row's key is read back with `lookup` (a FROM … WHERE … finding it) — and the ORDER BY. So a page
    /// link carries only the last id seen, whatever the order.
    static func keyset(key: String, id: String, lookup: String, descending: Bool) -> (after: String, order: String) {
        let (op, direction) = descending ? ("<", "DESC") : (">", "ASC")
        if key == id { return (" AND ($2 = 0 OR \(id) \(op) $2)", " ORDER BY \(id) \(direction)") }
        return (" AND ($2 = 0 OR (\(key), \(id)) \(op) ((SELECT \(key) \(lookup)), $2))", " ORDER BY \(key) \(direction), \(id) \(direction)")
    }

    /// How a customer list can be ordered; ties go by id.
    public enum CustomerSort: String, Sendable, CaseIterable {
        case id, ref, name, collector, segment

        var column: String {
            switch self {
            case .id: "id"
            case .ref: "customer_ref"
            case .name: "lower(name)"
            // Empty instead of NULL, so keyset paging (a row comparison) does not skip unassigned customers.
            case .collector: "COALESCE(collector, '')"
            case .segment: "COALESCE(segment, '')"
            }
        }
    }

    /// Customers in `sort` order, the page after the customer with id `after` (0: the first page).
    public func customers(after: Int64, limit: Int, search: String? = nil, sort: CustomerSort = .id, descending: Bool = false) async throws -> [CustomerView] {
        let page = LedgerQueries.keyset(key: sort.column, id: "id", lookup: "FROM customer WHERE company_id = $1 AND id = $2", descending: descending)
        var sql = "SELECT \(LedgerQueries.customerCols) FROM customer WHERE company_id = $1" + page.after
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let search {
            binds.append(.text("%" + search.lowercased() + "%"))
            sql += " AND (lower(name) LIKE $3 OR lower(customer_ref) LIKE $3)"
        }
        binds.append(.int(Int64(limit)))
        sql += page.order + " LIMIT $\(binds.count)"
        return try await c.query(sql, binds).map(LedgerQueries.customer)
    }

    public func customer(ref: String) async throws -> CustomerView? {
        try await c.first("SELECT \(LedgerQueries.customerCols) FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(ref)])
            .map(LedgerQueries.customer)
    }

    static let documentCols = """
        i.id, i.ref, c.customer_ref, i.kind, i.issue_day, i.due_day, i.currency, i.amount, i.open_amount, i.description, i.terms,
        i.po_number, i.billing_channel, i.disputed
        """
    static func document(_ r: SQLRow) -> DocumentView {
        DocumentView(id: r.int(0), document: Document(
            ref: r.text(1), customerRef: r.text(2), kind: DocumentKind(rawValue: r.text(3)) ?? .invoice,
            issueDate: LocalDate(dayNumber: Int(r.int(4))), dueDate: LocalDate(dayNumber: Int(r.int(5))), currency: Currency(code: r.text(6))!,
            amountMinor: r.int(7), description: r.textOrNil(9), terms: r.textOrNil(10), poNumber: r.textOrNil(11),
            billingChannel: r.textOrNil(12).flatMap(BillingChannel.init(rawValue:)), disputed: r.bool(13)), openMinor: r.int(8))
    }

    /// The documents matching `f` in its order, the page after the document with id `after` (0: the first page).
    public func documents(_ f: DocumentFilter, after: Int64, limit: Int) async throws -> [DocumentView] {
        let from = "FROM invoice i JOIN customer c ON c.company_id = i.company_id AND c.id = i.customer_id"
        let page = LedgerQueries.keyset(key: f.sort.column, id: "i.id", lookup: "\(from) WHERE i.company_id = $1 AND i.id = $2", descending: f.descending)
        var sql = "SELECT \(LedgerQueries.documentCols) \(from) WHERE i.company_id = $1" + page.after
        var binds: [SQLValue] = [.int(company), .int(after)]
        func add(_ cond: String, _ v: SQLValue) {
            binds.append(v)
            sql += " AND " + cond.replacing("?", with: "$\(binds.count)")
        }
        if let r = f.customerRef { add("c.customer_ref = ?", .text(r)) }
        if let k = f.kind { add("i.kind = ?", .text(k.rawValue)) }
        // Status is about what the customer owes: credit notes are neither open nor paid.
        if let s = f.status { sql += (s == .open ? " AND i.open_amount > 0" : " AND i.open_amount = 0") + " AND i.kind <> 'credit_note'" }
        if let d = f.dueBefore { add("i.due_day < ?", .int(Int64(d.dayNumber))) }
        if let d = f.dueAfter { add("i.due_day > ?", .int(Int64(d.dayNumber))) }
        if let d = f.overdueOn { sql += " AND i.open_amount > 0 AND i.kind <> 'credit_note'"; add("i.due_day < ?", .int(Int64(d.dayNumber))) }
        binds.append(.int(Int64(limit)))
        sql += page.order + " LIMIT $\(binds.count)"
        return try await c.query(sql, binds).map(LedgerQueries.document)
    }

    public func document(ref: String) async throws -> DocumentView? {
        try await c.first(
            "SELECT \(LedgerQueries.documentCols) FROM invoice i JOIN customer c ON c.company_id = i.company_id AND c.id = i.customer_id WHERE i.company_id = $1 AND i.ref = $2",
            [.int(company), .text(ref)]).map(LedgerQueries.document)
    }

    static let paymentCols = "p.id, p.ref, c.customer_ref, p.payment_day, p.currency, p.amount, p.unapplied_amount, p.invoice_ref, p.method, p.reference"
    static func payment(_ r: SQLRow) -> PaymentView {
        PaymentView(id: r.int(0), payment: Payment(
            ref: r.text(1), customerRef: r.text(2), date: LocalDate(dayNumber: Int(r.int(3))), currency: Currency(code: r.text(4))!,
            amountMinor: r.int(5), invoiceRef: r.textOrNil(7), method: r.textOrNil(8), reference: r.textOrNil(9)), unappliedMinor: r.int(6))
    }

    public func payments(customerRef: String?, after: Int64, limit: Int) async throws -> [PaymentView] {
        var sql = "SELECT \(LedgerQueries.paymentCols) FROM payment p JOIN customer c ON c.company_id = p.company_id AND c.id = p.customer_id WHERE p.company_id = $1 AND p.id > $2"
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let r = customerRef { binds.append(.text(r)); sql += " AND c.customer_ref = $3" }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY p.id LIMIT $\(binds.count)"
        return try await c.query(sql, binds).map(LedgerQueries.payment)
    }

    public func payment(ref: String) async throws -> PaymentView? {
        try await c.first(
            "SELECT \(LedgerQueries.paymentCols) FROM payment p JOIN customer c ON c.company_id = p.company_id AND c.id = p.customer_id WHERE p.company_id = $1 AND p.ref = $2",
            [.int(company), .text(ref)]).map(LedgerQueries.payment)
    }

    /// Allocations touching an invoice, a payment or a credit note (by their row ids), or all, in id order.
    public func allocations(invoiceID: Int64? = nil, paymentID: Int64? = nil, creditNoteID: Int64? = nil, after: Int64 = 0, limit: Int = 500) async throws -> [AllocationView] {
        var sql = """
            SELECT a.id, i.ref, p.ref, cn.ref, i.currency, a.amount, a.applied_day, a.reversed_day, a.created_by, a.reversed_by
            FROM allocation a
            JOIN invoice i ON i.company_id = a.company_id AND i.id = a.invoice_id
            LEFT JOIN payment p ON p.company_id = a.company_id AND p.id = a.payment_id
            LEFT JOIN invoice cn ON cn.company_id = a.company_id AND cn.id = a.credit_note_id
            WHERE a.company_id = $1 AND a.id > $2
            """
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let v = invoiceID { binds.append(.int(v)); sql += " AND a.invoice_id = $\(binds.count)" }
        if let v = paymentID { binds.append(.int(v)); sql += " AND a.payment_id = $\(binds.count)" }
        if let v = creditNoteID { binds.append(.int(v)); sql += " AND (a.credit_note_id = $\(binds.count))" }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY a.id LIMIT $\(binds.count)"
        return try await c.query(sql, binds).map { r in
            AllocationView(
                id: r.int(0), invoiceRef: r.text(1), paymentRef: r.textOrNil(2), creditNoteRef: r.textOrNil(3), currency: Currency(code: r.text(4))!,
                amountMinor: r.int(5), appliedOn: LocalDate(dayNumber: Int(r.int(6))), reversedOn: r.intOrNil(7).map { LocalDate(dayNumber: Int($0)) },
                createdBy: r.text(8), reversedBy: r.textOrNil(9))
        }
    }

    /// Where account email goes: the primary contact's address, else the customer's own (nil when neither is known).
    public func billingEmail(customerRef: String) async throws -> String? {
        try await c.first(
            """
            SELECT COALESCE(ct.email, cu.email) FROM customer cu LEFT JOIN contact ct ON ct.company_id = cu.company_id AND ct.customer_id = cu.id AND ct.is_primary = 1
            WHERE cu.company_id = $1 AND cu.customer_ref = $2
            """, [.int(company), .text(customerRef)])?.textOrNil(0)
    }

    public func contacts(customerID: Int64) async throws -> [ContactView] {
        try await c.query(
            """
            SELECT ct.id, c.customer_ref, ct.name, ct.role, ct.email, ct.phone, ct.language, ct.preferred_channel, ct.is_primary
            FROM contact ct JOIN customer c ON c.company_id = ct.company_id AND c.id = ct.customer_id
            WHERE ct.company_id = $1 AND ct.customer_id = $2 ORDER BY ct.id
            """, [.int(company), .int(customerID)]
        ).map {
            ContactView(id: $0.int(0), customerRef: $0.text(1), name: $0.text(2), role: $0.textOrNil(3), email: $0.textOrNil(4), phone: $0.textOrNil(5),
                        language: $0.textOrNil(6), preferredChannel: $0.textOrNil(7), isPrimary: $0.bool(8))
        }
    }
}
