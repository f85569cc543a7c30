import CobroCore
import Foundation

/// A report emailed on a cadence.
public struct ReportSchedule: Sendable, Hashable {
    public var id: Int64
    public var report: String
    /// The report's query parameters, as a URL query string (`as_of=…&window=…`; empty = the defaults of the day).
    public var query: String
    public var cadence: ReportCadence
    /// Which files the email carries.
    public var format: ReportAttachmentFormat
    public var recipients: [String]
    public var nextDay: LocalDate
    public var createdBy: String
    public var lastSentAt: Int64?
    public var lastError: String?
}

/// Scheduled reports. A due schedule is claimed by moving its next day forward with a compare-and-set, so two
/// servers (or two ticks) never send the same day twice; the send happens after the claim commits.
public enum ReportScheduleStore {
    static let columns = "id, report, query, cadence, recipients, next_day, created_by, last_sent_at, last_error, format"
    static func schedule(_ r: SQLRow) -> ReportSchedule {
        ReportSchedule(
            id: r.int(0), report: r.text(1), query: r.text(2), cadence: ReportCadence(rawValue: r.text(3)) ?? .weekly,
            format: ReportAttachmentFormat(rawValue: r.text(9)) ?? .csv,
            recipients: r.text(4).split(separator: ",").map(String.init), nextDay: LocalDate(dayNumber: Int(r.int(5))), createdBy: r.text(6),
            lastSentAt: r.intOrNil(7), lastError: r.textOrNil(8))
    }

    public static func create(
        _ c: any Connection, company: Int64, report: String, query: String, cadence: ReportCadence, format: ReportAttachmentFormat = .csv, recipients: [String], today: LocalDate, actor: String, now: Int64
    ) async throws -> ReportSchedule {
        let clean = recipients.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        if clean.isEmpty { throw StoreError.invalid(field: "recipients", "give at least one email address") }
        if let bad = clean.first(where: { a in let p = a.split(separator: "@"); return p.count != 2 || !p[1].contains(".") }) {
            throw StoreError.invalid(field: "recipients", "\"\(bad)\" is not an email address")
        }
        let first = cadence.first(onOrAfter: today)
        let id = try await c.first(
            """
            INSERT INTO report_schedule (company_id, report, query, cadence, recipients, next_day, created_by, created_at, format)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """,
            [.int(company), .text(report), .text(query), .text(cadence.rawValue), .text(clean.joined(separator: ",")), .int(Int64(first.dayNumber)), .text(actor), .int(now),
             .text(format.rawValue)])!.int(0)
        try await Audit.record(
            c, company: company, actor: actor, action: "report_schedule.create", entity: "report_schedule", ref: String(id), before: nil,
            after: ["report": report, "query": query, "cadence": cadence.rawValue, "format": format.rawValue, "recipients": clean.joined(separator: ",")], at: now)
        return try await list(c, company: company).first { $0.id == id }!
    }

    public static func list(_ c: any Connection, company: Int64) async throws -> [ReportSchedule] {
        try await c.query("SELECT \(columns) FROM report_schedule WHERE company_id = $1 AND active = 1 ORDER BY id", [.int(company)]).map(schedule)
    }

    public static func delete(_ c: any Connection, company: Int64, id: Int64, actor: String, now: Int64) async throws {
        guard try await c.first("UPDATE report_schedule SET active = 0 WHERE company_id = $1 AND id = $2 AND active = 1 RETURNING id", [.int(company), .int(id)]) != nil
        else { throw StoreError.notFound("scheduled report \(id) does not exist") }
        try await Audit.record(c, company: company, actor: actor, action: "report_schedule.delete", entity: "report_schedule", ref: String(id), before: nil, after: nil, at: now)
    }

    /// Claims the company's schedules due on `today`: each one's next day moves past today in the same statement
    /// that selects it, so it is handed out once.
    public static func claimDue(_ c: any Connection, company: Int64, today: LocalDate) async throws -> [ReportSchedule] {
        let due = try await c.query(
            "SELECT \(columns) FROM report_schedule WHERE company_id = $1 AND active = 1 AND next_day <= $2 ORDER BY id", [.int(company), .int(Int64(today.dayNumber))]
        ).map(schedule)
        var claimed: [ReportSchedule] = []
        for s in due {
            let next = s.cadence.next(after: today)
            if try await c.first(
                "UPDATE report_schedule SET next_day = $4 WHERE company_id = $1 AND id = $2 AND next_day = $3 RETURNING id",
                [.int(company), .int(s.id), .int(Int64(s.nextDay.dayNumber)), .int(Int64(next.dayNumber))]) != nil
            {
                claimed.append(s)
            }
        }
        return claimed
    }

    public static func recordSend(_ c: any Connection, company: Int64, id: Int64, error: String?, now: Int64) async throws {
        try await c.execute(
            "UPDATE report_schedule SET last_sent_at = $3, last_error = $4 WHERE company_id = $1 AND id = $2", [.int(company), .int(id), .of(error == nil ? now : nil), .of(error)])
        try await Audit.record(
            c, company: company, actor: "schedule", action: error == nil ? "report_schedule.sent" : "report_schedule.failed", entity: "report_schedule", ref: String(id),
            before: nil, after: error.map { ["error": $0] }, at: now)
    }
}

/// What a custom alert watches.
public enum AlertKind: String, Sendable, Hashable, CaseIterable {
    /// A payment from the named customer arrived.
    case paymentFrom = "payment_from"
    /// A dispute went past its due date (any customer).
    case disputeOverdue = "dispute_overdue"
    /// The named customer's open balance rose above the threshold (told once per crossing).
    case balanceOver = "balance_over"
}

public struct AlertSubscription: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var kind: AlertKind
    public var customerRef: String?
    /// Minor units of the customer's currency (balance alerts).
    public var threshold: Int64?
    /// `email` or `in_app`.
    public var channel: String
    public var checkedAt: Int64
    public var over: Bool
}

/// One thing an alert found, to be told to its user.
public struct AlertHit: Sendable, Hashable {
    public var subscription: AlertSubscription
    public var text: String
    public var link: String
}

/// Custom alerts: a user's subscriptions, checked by the server's poll (``check``), and the in-app notifications.
public enum AlertStore {
    static let columns = "id, user_id, kind, customer_ref, threshold, channel, checked_at, over"
    static func subscription(_ r: SQLRow) -> AlertSubscription {
        AlertSubscription(
            id: r.int(0), userID: r.int(1), kind: AlertKind(rawValue: r.text(2)) ?? .disputeOverdue, customerRef: r.textOrNil(3), threshold: r.intOrNil(4),
            channel: r.text(5), checkedAt: r.int(6), over: r.bool(7))
    }

    public static func subscribe(
        _ c: any Connection, company: Int64, user: AppUser, kind: AlertKind, customerRef: String?, thresholdText: String?, channel: String, now: Int64
    ) async throws -> AlertSubscription {
        guard ["email", "in_app"].contains(channel) else { throw StoreError.invalid(field: "channel", "\"\(channel)\" is not email or in_app") }
        var threshold: Int64?
        if kind != .disputeOverdue {
            guard let ref = customerRef, !ref.isEmpty else { throw StoreError.invalid(field: "customer_ref", "name the customer this alert watches") }
            guard let cu = try await c.first("SELECT currency FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(ref)]) else {
                throw StoreError.invalid(field: "customer_ref", "customer \(ref) does not exist")
            }
            if kind == .balanceOver {
                guard let text = thresholdText, let cur = cu.textOrNil(0).flatMap(Currency.init(code:)) else {
                    throw StoreError.invalid(field: "threshold", "give the balance to watch for, in the customer's currency")
                }
                switch Money.parseMinor(text, currency: cur) {
                case .success(let m) where m > 0: threshold = m
                case .success: throw StoreError.invalid(field: "threshold", "must be more than 0")
                case .failure(let e): throw StoreError.invalid(field: "threshold", "\"\(text)\": \(e)")
                }
            }
        }
        let ref = kind == .disputeOverdue ? nil : customerRef
        let id = try await c.first(
            "INSERT INTO alert_subscription (company_id, user_id, kind, customer_ref, threshold, channel, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            [.int(company), .int(user.id), .text(kind.rawValue), .of(ref), .of(threshold), .text(channel), .int(now)])!.int(0)
        try await Audit.record(
            c, company: company, actor: "user:\(user.email)", action: "alert.subscribe", entity: "alert_subscription", ref: String(id), before: nil,
            after: ["kind": kind.rawValue, "customer": ref ?? "", "threshold": threshold.map(String.init) ?? "", "channel": channel], at: now)
        return AlertSubscription(id: id, userID: user.id, kind: kind, customerRef: ref, threshold: threshold, channel: channel, checkedAt: now, over: false)
    }

    public static func list(_ c: any Connection, company: Int64, userID: Int64) async throws -> [AlertSubscription] {
        try await c.query("SELECT \(columns) FROM alert_subscription WHERE company_id = $1 AND user_id = $2 AND active = 1 ORDER BY id", [.int(company), .int(userID)])
            .map(subscription)
    }

    public static func unsubscribe(_ c: any Connection, company: Int64, userID: Int64, id: Int64, now: Int64) async throws {
        guard try await c.first(
            "UPDATE alert_subscription SET active = 0 WHERE company_id = $1 AND user_id = $2 AND id = $3 AND active = 1 RETURNING id", [.int(company), .int(userID), .int(id)]) != nil
        else { throw StoreError.notFound("alert \(id) does not exist") }
        try await Audit.record(c, company: company, actor: "user:\(userID)", action: "alert.unsubscribe", entity: "alert_subscription", ref: String(id), before: nil, after: nil, at: now)
    }

    /// Checks every active subscription of the company against what happened since it was last checked, moves its
    /// mark to `now` and returns what to tell. In-app hits are stored as notifications here; email hits are
    /// returned for the caller to send (after this transaction commits).
    public static func check(_ c: any Connection, company: Int64, now: Int64) async throws -> [AlertHit] {
        let subs = try await c.query("SELECT \(columns) FROM alert_subscription WHERE company_id = $1 AND active = 1 ORDER BY id", [.int(company)]).map(subscription)
        var hits: [AlertHit] = []
        for s in subs {
            var found: [(String, String)] = []
            var over = s.over
            switch s.kind {
            case .paymentFrom:
                for r in try await c.query(
                    """
                    SELECT p.ref, p.amount, p.currency FROM payment p JOIN customer cu ON cu.company_id = p.company_id AND cu.id = p.customer_id
                    WHERE p.company_id = $1 AND cu.customer_ref = $2 AND p.created_at > $3 AND p.created_at <= $4 ORDER BY p.id
                    """, [.int(company), .of(s.customerRef), .int(s.checkedAt), .int(now)])
                {
                    let amount = Currency(code: r.text(2)).map { Money(minor: r.int(1), $0).decimalString + " " + $0.code } ?? String(r.int(1))
                    found.append(("Payment \(r.text(0)) of \(amount) from \(s.customerRef ?? "")", "/app/customers/\(s.customerRef ?? "")"))
                }
            case .disputeOverdue:
                for r in try await c.query(
                    "SELECT cu.customer_ref, t.title FROM task t JOIN customer cu ON cu.company_id = t.company_id AND cu.id = t.customer_id WHERE t.company_id = $1 AND t.kind = 'dispute_overdue' AND t.created_at > $2 AND t.created_at <= $3 ORDER BY t.id",
                    [.int(company), .int(s.checkedAt), .int(now)])
                {
                    found.append(("\(r.text(0)): \(r.text(1))", "/app/customers/\(r.text(0))"))
                }
            case .balanceOver:
                let balance = try await c.first(
                    """
                    SELECT CAST(COALESCE(SUM(CASE WHEN i.kind = 'credit_note' THEN -i.open_amount ELSE i.open_amount END), 0) AS BIGINT), MAX(cu.currency)
                    FROM customer cu LEFT JOIN invoice i ON i.company_id = cu.company_id AND i.customer_id = cu.id AND i.open_amount > 0
                    WHERE cu.company_id = $1 AND cu.customer_ref = $2
                    """, [.int(company), .of(s.customerRef)])
                let value = balance?.int(0) ?? 0
                let isOver = value > (s.threshold ?? .max)
                if isOver && !s.over {
                    let cur = balance?.textOrNil(1).flatMap(Currency.init(code:))
                    let text = cur.map { Money(minor: value, $0).decimalString + " " + $0.code } ?? String(value)
                    found.append(("\(s.customerRef ?? "") owes \(text), above the alert's threshold", "/app/customers/\(s.customerRef ?? "")"))
                }
                over = isOver
            }
            try await c.execute(
                "UPDATE alert_subscription SET checked_at = $3, over = $4 WHERE company_id = $1 AND id = $2", [.int(company), .int(s.id), .int(now), .int(over ? 1 : 0)])
            for (text, link) in found {
                if s.channel == "in_app" {
                    try await c.execute(
                        "INSERT INTO user_notification (company_id, user_id, text, link, created_at) VALUES ($1, $2, $3, $4, $5)",
                        [.int(company), .int(s.userID), .text(text), .text(link), .int(now)])
                }
                hits.append(AlertHit(subscription: s, text: text, link: link))
            }
        }
        return hits
    }

    /// The user's unread notifications, newest first.
    public static func unread(_ c: any Connection, company: Int64, userID: Int64, limit: Int = 20) async throws -> [(id: Int64, text: String, link: String?, at: Int64)] {
        try await c.query(
            "SELECT id, text, link, created_at FROM user_notification WHERE company_id = $1 AND user_id = $2 AND read_at IS NULL ORDER BY id DESC LIMIT $3",
            [.int(company), .int(userID), .int(Int64(limit))]
        ).map { ($0.int(0), $0.text(1), $0.textOrNil(2), $0.int(3)) }
    }

    public static func markRead(_ c: any Connection, company: Int64, userID: Int64, now: Int64) async throws {
        try await c.execute("UPDATE user_notification SET read_at = $3 WHERE company_id = $1 AND user_id = $2 AND read_at IS NULL", [.int(company), .int(userID), .int(now)])
    }

    public static func email(_ c: any Connection, company: Int64, userID: Int64) async throws -> String? {
        try await c.first("SELECT email FROM app_user WHERE company_id = $1 AND id = $2", [.int(company), .int(userID)])?.text(0)
    }
}
