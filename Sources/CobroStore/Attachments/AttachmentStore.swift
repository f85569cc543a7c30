import CobroCore
import Crypto
import Foundation

/// What an attachment hangs off: a customer (by ref), an invoice (by ref), a dispute or a payment plan (by id).
public enum AttachmentOwner: Sendable, Hashable {
    case customer(String)
    case invoice(String)
    case dispute(Int64)
    case plan(Int64)

    public var kind: String {
        switch self {
        case .customer: return "customer"
        case .invoice: return "invoice"
        case .dispute: return "dispute"
        case .plan: return "plan"
        }
    }
    public var ref: String {
        switch self {
        case .customer(let r), .invoice(let r): return r
        case .dispute(let id), .plan(let id): return String(id)
        }
    }
}

/// Where attachment content lives: in the database (default) or as files in a folder (one sub-folder per company).
public struct AttachmentSettings: Sendable, Hashable {
    public var maxBytes: Int
    /// Days a deleted attachment stays restorable before its content is purged.
    public var retentionDays: Int
    /// nil: in the database.
    public var folder: String?

    public init(maxBytes: Int = AttachmentRules.defaultMaxBytes, retentionDays: Int = AttachmentRules.defaultRetentionDays, folder: String? = nil) {
        self.maxBytes = maxBytes
        self.retentionDays = retentionDays
        self.folder = folder
    }

    /// From `COBRO_ATTACHMENT_MAX_MB`, `COBRO_ATTACHMENT_RETENTION_DAYS` and `COBRO_ATTACHMENTS_DIR`; a bad value is
    /// an error naming the variable.
    public static func from(environment env: [String: String]) throws -> AttachmentSettings {
        var s = AttachmentSettings()
        if let v = env["COBRO_ATTACHMENT_MAX_MB"], !v.isEmpty {
            guard let mb = Int(v), (1...1024).contains(mb) else { throw StoreError.invalid(field: "COBRO_ATTACHMENT_MAX_MB", "\"\(v)\" is not a whole number of MiB from 1 to 1024") }
            s.maxBytes = mb << 20
        }
        if let v = env["COBRO_ATTACHMENT_RETENTION_DAYS"], !v.isEmpty {
            guard let d = Int(v), (0...3650).contains(d) else { throw StoreError.invalid(field: "COBRO_ATTACHMENT_RETENTION_DAYS", "\"\(v)\" is not a number of days from 0 to 3650") }
            s.retentionDays = d
        }
        if let v = env["COBRO_ATTACHMENTS_DIR"], !v.isEmpty { s.folder = v }
        return s
    }
}

/// One attached file's record (never its content).
public struct AttachmentRecord: Sendable, Hashable {
    public var id: Int64
    public var ownerKind: String
    public var ownerRef: String
    public var customerRef: String
    public var fileName: String
    public var contentType: String
    public var sizeBytes: Int64
    public var sha256: String
    public var storedIn: String
    public var uploadedAt: Int64
    public var uploadedBy: String
    public var deletedAt: Int64?
    public var deletedBy: String?
    /// The last day a deleted attachment can be restored.
    public var restorableUntil: LocalDate?
    public var purgedAt: Int64?
}

/// Attached files (issue 4, point 8): checked by ``AttachmentRules`` (size, type, content), stored in the database or
/// a folder, listed per owner, downloaded within the company, deleted softly (restorable for a retention period,
/// then purged). Every change is audited.
public enum AttachmentStore {
    static let columns = """
        a.id, a.owner_kind, a.owner_id, cu.customer_ref, a.file_name, a.content_type, a.size_bytes, a.sha256, a.stored_in, a.uploaded_at,
        a.uploaded_by, a.deleted_at, a.deleted_by, a.purge_after_day, a.purged_at,
        CASE a.owner_kind WHEN 'invoice' THEN (SELECT i.ref FROM invoice i WHERE i.company_id = a.company_id AND i.id = a.owner_id) ELSE NULL END
        """
    static let from = "FROM attachment a JOIN customer cu ON cu.company_id = a.company_id AND cu.id = a.customer_id"

    static func record(_ r: SQLRow) -> AttachmentRecord {
        let kind = r.text(1)
        let ownerRef = kind == "customer" ? r.text(3) : kind == "invoice" ? r.text(15) : String(r.int(2))
        return AttachmentRecord(
            id: r.int(0), ownerKind: kind, ownerRef: ownerRef, customerRef: r.text(3), fileName: r.text(4), contentType: r.text(5),
            sizeBytes: r.int(6), sha256: r.text(7), storedIn: r.text(8), uploadedAt: r.int(9), uploadedBy: r.text(10), deletedAt: r.intOrNil(11),
            deletedBy: r.textOrNil(12), restorableUntil: r.intOrNil(13).map { LocalDate(dayNumber: Int($0)) }, purgedAt: r.intOrNil(14))
    }

    /// The owner's row id and its customer's id; throws notFound naming the owner.
    static func resolve(_ c: any Connection, company: Int64, _ owner: AttachmentOwner) async throws -> (owner: Int64, customer: Int64) {
        let row: SQLRow?
        switch owner {
        case .customer(let ref): row = try await c.first("SELECT id, id FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(ref)])
        case .invoice(let ref): row = try await c.first("SELECT id, customer_id FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(ref)])
        case .dispute(let id):
            row = try await c.first(
                "SELECT d.id, i.customer_id FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id WHERE d.company_id = $1 AND d.id = $2",
                [.int(company), .int(id)])
        case .plan(let id): row = try await c.first("SELECT id, customer_id FROM payment_plan WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])
        }
        guard let row else { throw StoreError.notFound("\(owner.kind) \(owner.ref) does not exist") }
        return (row.int(0), row.int(1))
    }

    /// Checks and stores a file. Throws `StoreError.invalidFields` (file_name, content_type, content) or
    /// ``AttachmentTooLarge``; nothing is stored then.
    public static func add(
        _ c: any Connection, company: Int64, owner: AttachmentOwner, fileName: String, declaredType: String?, bytes: [UInt8],
        settings: AttachmentSettings, actor: String, now: Int64
    ) async throws -> AttachmentRecord {
        let kind: AttachmentKind
        switch AttachmentRules.check(fileName: fileName, declaredType: declaredType, bytes: bytes, maxBytes: settings.maxBytes) {
        case .accepted(let k): kind = k
        case .refused(let problems):
            if let big = problems.first(where: \.tooLarge) { throw AttachmentTooLarge(message: big.message, maxBytes: settings.maxBytes) }
            throw StoreError.invalidFields(problems.map { StoreError.FieldProblem($0.field, $0.message) })
        }
        let (ownerID, customerID) = try await resolve(c, company: company, owner)
        if let erased = try await c.first("SELECT erased_at FROM customer WHERE company_id = $1 AND id = $2", [.int(company), .int(customerID)])?.intOrNil(0) {
            throw StoreError.conflict("the customer was erased by the retention run on \(LocalDate(dayNumber: Int(erased / 86_400_000)).iso); nothing can be attached to it")
        }
        let name = AttachmentRules.cleanFileName(fileName)
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        var path: String?
        if let folder = settings.folder { path = try writeFile(bytes, folder: folder, company: company) }
        do {
            let id = try await c.first(
                """
                INSERT INTO attachment (company_id, owner_kind, owner_id, customer_id, file_name, content_type, size_bytes, sha256, stored_in, path, uploaded_at, uploaded_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
                """,
                [.int(company), .text(owner.kind), .int(ownerID), .int(customerID), .text(name), .text(kind.contentType), .int(Int64(bytes.count)),
                 .text(digest), .text(path == nil ? "database" : "folder"), .of(path), .int(now), .text(actor)])!.int(0)
            if path == nil {
                try await c.execute("INSERT INTO attachment_content (company_id, attachment_id, content) VALUES ($1, $2, $3)", [.int(company), .int(id), .bytes(bytes)])
            }
            try await Audit.record(
                c, company: company, actor: actor, action: "attachment.add", entity: "attachment", ref: String(id), before: nil,
                after: ["owner": "\(owner.kind) \(owner.ref)", "file_name": name, "content_type": kind.contentType, "size_bytes": String(bytes.count), "sha256": digest],
                at: now)
            return try await get(c, company: company, id: id)!
        } catch {
            if let path { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
    }

    /// Writes the file under `folder/<company>/` with a fresh name, through a temporary file (never half a file).
    static func writeFile(_ bytes: [UInt8], folder: String, company: Int64) throws -> String {
        let dir = (folder as NSString).appendingPathComponent(String(company))
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent(UUID().uuidString.lowercased())
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: [.atomic])
        return path
    }

    public static func get(_ c: any Connection, company: Int64, id: Int64) async throws -> AttachmentRecord? {
        try await c.first("SELECT \(columns) \(from) WHERE a.company_id = $1 AND a.id = $2", [.int(company), .int(id)]).map(record)
    }

    /// The attachments of an owner, oldest first; deleted ones only when asked.
    public static func list(_ c: any Connection, company: Int64, owner: AttachmentOwner, includeDeleted: Bool = false) async throws -> [AttachmentRecord] {
        let (ownerID, _) = try await resolve(c, company: company, owner)
        return try await c.query(
            "SELECT \(columns) \(from) WHERE a.company_id = $1 AND a.owner_kind = $2 AND a.owner_id = $3 AND ($4 = 1 OR a.deleted_at IS NULL) ORDER BY a.id",
            [.int(company), .text(owner.kind), .int(ownerID), .of(includeDeleted)]).map(record)
    }

    /// The record and content of a live attachment. A deleted one is not served (notFound says how to restore it).
    public static func content(_ c: any Connection, company: Int64, id: Int64) async throws -> (AttachmentRecord, [UInt8]) {
        guard let a = try await get(c, company: company, id: id) else { throw StoreError.notFound("attachment \(id) does not exist") }
        if let deleted = a.deletedAt {
            let day = LocalDate(dayNumber: Int(deleted / 86_400_000)).iso
            if a.purgedAt != nil { throw StoreError.notFound("attachment \(id) was deleted on \(day) and its content purged") }
            throw StoreError.notFound("attachment \(id) was deleted on \(day); restore it (POST /api/v1/attachments/\(id)/restore) until \(a.restorableUntil?.iso ?? day)")
        }
        let bytes: [UInt8]
        if a.storedIn == "folder" {
            let path = try await c.first("SELECT path FROM attachment WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])?.textOrNil(0) ?? ""
            guard let data = FileManager.default.contents(atPath: path) else { throw StoreError.conflict("the file of attachment \(id) is missing from the attachments folder") }
            bytes = Array(data)
        } else {
            bytes = try await c.first("SELECT content FROM attachment_content WHERE company_id = $1 AND attachment_id = $2", [.int(company), .int(id)])?.bytes(0) ?? []
        }
        return (a, bytes)
    }

    /// Soft delete: hidden at once, restorable until `today + retentionDays`, purged by the retention run after that.
    public static func delete(_ c: any Connection, company: Int64, id: Int64, retentionDays: Int, today: LocalDate, actor: String, now: Int64) async throws -> AttachmentRecord {
        let until = today.adding(days: retentionDays)
        guard try await c.first(
            "UPDATE attachment SET deleted_at = $3, deleted_by = $4, purge_after_day = $5 WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id",
            [.int(company), .int(id), .int(now), .text(actor), .int(Int64(until.dayNumber))]) != nil
        else {
            if try await get(c, company: company, id: id) == nil { throw StoreError.notFound("attachment \(id) does not exist") }
            throw StoreError.conflict("attachment \(id) is already deleted")
        }
        try await Audit.record(
            c, company: company, actor: actor, action: "attachment.delete", entity: "attachment", ref: String(id), before: nil,
            after: ["restorable_until": until.iso], at: now)
        return try await get(c, company: company, id: id)!
    }

    /// Undoes a delete while the content is still kept.
    public static func restore(_ c: any Connection, company: Int64, id: Int64, actor: String, now: Int64) async throws -> AttachmentRecord {
        guard try await c.first(
            "UPDATE attachment SET deleted_at = NULL, deleted_by = NULL, purge_after_day = NULL WHERE company_id = $1 AND id = $2 AND deleted_at IS NOT NULL AND purged_at IS NULL RETURNING id",
            [.int(company), .int(id)]) != nil
        else {
            guard let a = try await get(c, company: company, id: id) else { throw StoreError.notFound("attachment \(id) does not exist") }
            throw StoreError.conflict(a.purgedAt != nil ? "attachment \(id) was purged; its content is gone" : "attachment \(id) is not deleted")
        }
        try await Audit.record(c, company: company, actor: actor, action: "attachment.restore", entity: "attachment", ref: String(id), before: nil, after: nil, at: now)
        return try await get(c, company: company, id: id)!
    }

    /// Removes the content of attachments deleted and past their restore period (`purge_after_day < today`), or
    /// of every attachment of `customerID` (erasure; the file name goes too). Returns how many were purged.
    static func purge(_ c: any Connection, company: Int64, today: LocalDate?, customerID: Int64?, actor: String, now: Int64) async throws -> Int {
        let (filter, binds): (String, [SQLValue]) = customerID.map { ("customer_id = $2", [.int(company), .int($0)]) }
            ?? ("deleted_at IS NOT NULL AND purge_after_day < $2", [.int(company), .int(Int64(today?.dayNumber ?? 0))])
        let rows = try await c.query("SELECT id, path FROM attachment WHERE company_id = $1 AND purged_at IS NULL AND \(filter)", binds)
        for r in rows {
            let id = r.int(0)
            try await c.execute("DELETE FROM attachment_content WHERE company_id = $1 AND attachment_id = $2", [.int(company), .int(id)])
            if let path = r.textOrNil(1) { try? FileManager.default.removeItem(atPath: path) }
            let erase = customerID != nil
            try await c.execute(
                """
                UPDATE attachment SET purged_at = $3, path = NULL, deleted_at = COALESCE(deleted_at, $3), deleted_by = COALESCE(deleted_by, $4),
                       file_name = CASE WHEN $5 = 1 THEN $6 ELSE file_name END
                WHERE company_id = $1 AND id = $2
                """, [.int(company), .int(id), .int(now), .text(actor), .of(erase), .text(RetentionRule.erased)])
            try await Audit.record(
                c, company: company, actor: actor, action: "attachment.purge", entity: "attachment", ref: String(id), before: nil,
                after: ["why": erase ? "customer erased" : "deleted and past its retention period"], at: now)
        }
        return rows.count
    }

    /// Purges attachments deleted and past their restore period (the retention run calls it).
    public static func purgeExpired(_ c: any Connection, company: Int64, today: LocalDate, actor: String, now: Int64) async throws -> Int {
        try await purge(c, company: company, today: today, customerID: nil, actor: actor, now: now)
    }
}

/// A file larger than the configured limit (the API answers 413 Content Too Large).
public struct AttachmentTooLarge: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var maxBytes: Int
    public var description: String { message }
}
