import CobroCore
import Foundation

/// What a retention run decided for one customer that is old enough to be considered.
public struct RetentionOutcome: Sendable, Hashable, Codable {
    public var customerRef: String
    public var lastActivity: LocalDate
    /// `erased`, `would_erase` (dry run) or `refused`.
    public var action: String
    public var refusals: [RetentionRule.Refusal]
}

/// The result of `cobro retention run`.
public struct RetentionReport: Sendable, Codable {
    public var asOf: LocalDate
    public var years: Int
    public var cutoff: LocalDate
    public var dryRun: Bool
    /// Customers not erased before the run.
    public var checked: Int
    /// Customers with activity on or after the cutoff (kept, not listed).
    public var tooRecent: Int
    public var outcomes: [RetentionOutcome]
    /// Deleted attachments past their restore period whose content was purged (would be, in a dry run).
    public var attachmentsPurged: Int = 0

    public var erased: Int { outcomes.filter { $0.action != "refused" }.count }
    public var refused: Int { outcomes.filter { $0.action == "refused" }.count }
}

/// Erases the personal data of customers closed for more than N years (``RetentionRule``), keeping amounts, dates and
/// references. Each customer is erased in its own transaction, after its account is read again inside it, so a
/// payment arriving during the run keeps that customer.
public enum RetentionStore {
    public static func run(_ db: any Database, company: Int64, asOf: LocalDate, years: Int, dryRun: Bool, actor: String, now: Int64) async throws -> RetentionReport {
        guard years >= 1 else { throw StoreError.invalid(field: "years", "must be a whole number of years, 1 or more (got \(years))") }
        let cutoff = RetentionRule.cutoff(asOf: asOf, years: years)
        let accounts = try await db.read { c in try await Self.accounts(c, company: company, customerID: nil) }
        var report = RetentionReport(asOf: asOf, years: years, cutoff: cutoff, dryRun: dryRun, checked: accounts.count, tooRecent: 0, outcomes: [])
        for a in accounts {
            switch RetentionRule.decide(a.account, cutoff: cutoff) {
            case .tooRecent:
                report.tooRecent += 1
            case .refuse(let why):
                report.outcomes.append(RetentionOutcome(customerRef: a.ref, lastActivity: a.account.lastActivity, action: "refused", refusals: why))
            case .erase where dryRun:
                report.outcomes.append(RetentionOutcome(customerRef: a.ref, lastActivity: a.account.lastActivity, action: "would_erase", refusals: []))
            case .erase:
                let (decision, last) = try await db.transaction { c -> (RetentionRule.Decision, LocalDate) in
                    // Read again inside the transaction: a payment or dispute since the first read keeps the customer.
                    guard let fresh = try await Self.accounts(c, company: company, customerID: a.id).first else { return (.tooRecent, a.account.lastActivity) }
                    let decision = RetentionRule.decide(fresh.account, cutoff: cutoff)
                    if decision == .erase { try await erase(c, company: company, customerID: a.id, ref: a.ref, cutoff: cutoff, actor: actor, now: now) }
                    return (decision, fresh.account.lastActivity)
                }
                switch decision {
                case .tooRecent: report.tooRecent += 1
                case .erase: report.outcomes.append(RetentionOutcome(customerRef: a.ref, lastActivity: last, action: "erased", refusals: []))
                case .refuse(let why): report.outcomes.append(RetentionOutcome(customerRef: a.ref, lastActivity: last, action: "refused", refusals: why))
                }
            }
        }
        let today = asOf
        if dryRun {
            report.attachmentsPurged = Int(try await db.read { c in
                try await c.first(
                    "SELECT COUNT(*) FROM attachment WHERE company_id = $1 AND purged_at IS NULL AND deleted_at IS NOT NULL AND purge_after_day < $2",
                    [.int(company), .int(Int64(today.dayNumber))])!.int(0)
            })
        } else {
            report.attachmentsPurged = try await db.transaction { c in try await AttachmentStore.purgeExpired(c, company: company, today: today, actor: actor, now: now) }
        }
        return report
    }

    struct Candidate: Sendable {
        let id: Int64
        let ref: String
        let account: RetentionRule.Account
    }

    static let dayMillis: Int64 = 86_400_000

    /// The accounts of customers not yet erased (one customer when `customerID` is set), with their last activity:
    /// ledger days directly, and the UTC day of timestamps for contacts, messages, disputes, promises, plans and attachments.
    static func accounts(_ c: any Connection, company: Int64, customerID: Int64?) async throws -> [Candidate] {
        let own = "x.company_id = cu.company_id AND x.customer_id = cu.id"
        let disputes = "FROM dispute d JOIN invoice x ON x.company_id = d.company_id AND x.id = d.invoice_id WHERE \(own)"
        let sql = """
            SELECT cu.id, cu.customer_ref, cu.handed_over, cu.created_at,
                   (SELECT COUNT(*) FROM invoice x WHERE \(own) AND x.kind <> 'credit_note' AND x.open_amount > 0),
                   (SELECT COUNT(*) FROM invoice x WHERE \(own) AND x.kind = 'credit_note' AND x.open_amount > 0)
                     + (SELECT COUNT(*) FROM payment x WHERE \(own) AND x.unapplied_amount > 0),
                   (SELECT COUNT(*) \(disputes) AND d.status IN ('open', 'in_review')),
                   (SELECT MAX(x.issue_day) FROM invoice x WHERE \(own)),
                   (SELECT MAX(x.last_alloc_day) FROM invoice x WHERE \(own)),
                   (SELECT MAX(x.payment_day) FROM payment x WHERE \(own)),
                   (SELECT MAX(x.at) FROM interaction x WHERE \(own)),
                   (SELECT MAX(x.created_at) FROM message x WHERE \(own)),
                   (SELECT MAX(COALESCE(d.closed_at, d.opened_at)) \(disputes)),
                   (SELECT MAX(x.created_at) FROM promise x WHERE \(own)),
                   (SELECT MAX(x.created_at) FROM payment_plan x WHERE \(own)),
                   (SELECT MAX(x.uploaded_at) FROM attachment x WHERE \(own))
            FROM customer cu
            WHERE cu.company_id = $1 AND cu.erased_at IS NULL AND ($2 = 0 OR cu.id = $2)
            ORDER BY cu.customer_ref
            """
        return try await c.query(sql, [.int(company), .int(customerID ?? 0)]).map { r in
            // The day a customer was created (often the day it was imported) counts only when nothing else happened.
            let days = (7...9).compactMap { r.intOrNil($0) } + (10...15).compactMap { r.intOrNil($0).map { $0 / dayMillis } }
            let last = days.max() ?? r.int(3) / dayMillis
            let account = RetentionRule.Account(
                openItems: Int(r.int(4)), unappliedCredits: Int(r.int(5)), openDisputes: Int(r.int(6)), withAgency: r.bool(2),
                lastActivity: LocalDate(dayNumber: Int(last)))
            return Candidate(id: r.int(0), ref: r.text(1), account: account)
        }
    }

    /// Replaces what identifies a person on the customer and everything hanging off it, and the personal values in
    /// the audit events about it; audited as `customer.erased`.
    static func erase(_ c: any Connection, company: Int64, customerID id: Int64, ref: String, cutoff: LocalDate, actor: String, now: Int64) async throws {
        let e = SQLValue.text(RetentionRule.erased)
        let key: [SQLValue] = [.int(company), .int(id)]
        let ofCustomer = "company_id = $1 AND customer_id = $2"
        let customerInvoices = "SELECT i.id FROM invoice i WHERE i.company_id = $1 AND i.customer_id = $2"
        let contacts = try await c.first("SELECT COUNT(*) FROM contact WHERE \(ofCustomer)", key)?.int(0) ?? 0
        let statements: [(String, [SQLValue])] = [
            ("UPDATE customer SET name = $3, email = NULL, phone = NULL, postal_address = NULL, erased_at = $4, updated_at = $4 WHERE company_id = $1 AND id = $2",
             key + [e, .int(now)]),
            ("DELETE FROM contact WHERE \(ofCustomer)", key),
            ("UPDATE interaction SET summary = NULL, contact_name = NULL WHERE \(ofCustomer)", key),
            ("UPDATE message SET recipient = $3, subject = $3, body_text = $3, body_html = NULL, last_error = NULL WHERE \(ofCustomer)", key + [e]),
            ("UPDATE task SET title = $3, detail = $3, outcome = NULL WHERE \(ofCustomer)", key + [e]),
            ("UPDATE promise SET note = NULL WHERE \(ofCustomer)", key),
            ("UPDATE payment_plan SET note = NULL WHERE \(ofCustomer)", key),
            ("UPDATE credit_limit_request SET reason = $3, decision_note = NULL WHERE \(ofCustomer)", key + [e]),
            ("UPDATE channel_opt_out SET reason = NULL WHERE \(ofCustomer)", key),
            ("UPDATE payment SET reference = NULL WHERE \(ofCustomer)", key),
            ("UPDATE dispute SET resolution_note = NULL WHERE company_id = $1 AND invoice_id IN (\(customerInvoices))", key),
            ("UPDATE dispute_comment SET body = $3 WHERE company_id = $1 AND dispute_id IN (SELECT d.id FROM dispute d WHERE d.company_id = $1 AND d.invoice_id IN (\(customerInvoices)))",
             key + [e]),
        ]
        for (sql, binds) in statements { try await c.execute(sql, binds) }
        let attachments = try await AttachmentStore.purge(c, company: company, today: nil, customerID: id, actor: actor, now: now)
        let redacted = try await redactAudit(c, company: company, customerID: id, ref: ref, now: now)
        try await Audit.record(
            c, company: company, actor: actor, action: "customer.erased", entity: "customer", ref: ref, before: nil,
            after: ["cutoff": cutoff.iso, "contacts_deleted": String(contacts), "attachments_purged": String(attachments),
                    "audit_events_redacted": String(redacted)], at: now)
    }

    /// Redacts the personal values of the audit events about the customer: the customer and its contacts, its
    /// invoices and payments, its disputes, messages and tasks, and its attachments. Returns how many events changed.
    static func redactAudit(_ c: any Connection, company: Int64, customerID id: Int64, ref: String, now: Int64) async throws -> Int {
        let ofCustomer = "company_id = $1 AND customer_id = $2"
        let ids = { (table: String) in "SELECT CAST(x.id AS TEXT) FROM \(table) x WHERE x.company_id = $1 AND x.customer_id = $2" }
        let sql = """
            SELECT id, before_json, after_json FROM audit_event
            WHERE company_id = $1 AND redacted_at IS NULL AND (
                (entity IN ('customer', 'contact') AND entity_ref = $3)
                OR (entity = 'invoice' AND entity_ref IN (SELECT ref FROM invoice WHERE \(ofCustomer)))
                OR (entity = 'payment' AND entity_ref IN (SELECT ref FROM payment WHERE \(ofCustomer)))
                OR (entity = 'message' AND entity_ref IN (\(ids("message"))))
                OR (entity = 'task' AND entity_ref IN (\(ids("task"))))
                OR (entity = 'attachment' AND entity_ref IN (\(ids("attachment"))))
                OR (entity = 'dispute' AND entity_ref IN (SELECT CAST(d.id AS TEXT) FROM dispute d JOIN invoice x ON x.company_id = d.company_id AND x.id = d.invoice_id
                                                          WHERE x.company_id = $1 AND x.customer_id = $2)))
            """
        let rows = try await c.query(sql, [.int(company), .int(id), .text(ref)])
        var changed = 0
        for r in rows {
            let before = r.textOrNil(1), after = r.textOrNil(2)
            let newBefore = before.flatMap(RetentionRule.redact(json:)), newAfter = after.flatMap(RetentionRule.redact(json:))
            guard newBefore != nil || newAfter != nil else { continue }
            try await c.execute(
                "UPDATE audit_event SET before_json = $3, after_json = $4, redacted_at = $5 WHERE company_id = $1 AND id = $2",
                [.int(company), .int(r.int(0)), .of(newBefore ?? before), .of(newAfter ?? after), .int(now)])
            changed += 1
        }
        return changed
    }
}
