import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

@Suite("Attachments: stored, listed, downloaded, deleted softly, purged") struct AttachmentStoreTests {
    /// A PDF header followed by every byte value, so a text round trip anywhere would corrupt it.
    static let pdf: [UInt8] = Array("%PDF-1.4\n".utf8) + (0...255).map(UInt8.init) + Array("\n%%EOF\n".utf8)
    static let now: Int64 = 1_719_835_200_000  // 2024-07-01T12:00:00Z

    func add(_ c: any Connection, _ co: CompanyRecord, _ owner: AttachmentOwner, _ name: String = "scan.pdf", settings: AttachmentSettings = .init(),
             bytes: [UInt8] = pdf) async throws -> AttachmentRecord {
        try await AttachmentStore.add(c, company: co.id, owner: owner, fileName: name, declaredType: "application/pdf", bytes: bytes, settings: settings, actor: "ana", now: Self.now)
    }

    @Test("content comes back byte for byte from the database and from a folder", arguments: TestDatabases.kinds)
    func roundTrip(kind: SQLDialect) async throws {
        let folder = NSTemporaryDirectory() + "cobro-attach-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let (inDB, inFolder) = try await db.transaction { c in
                (try await add(c, co, .invoice("INV-1"), "../Factura 1.pdf"), try await add(c, co, .customer("K1"), settings: AttachmentSettings(folder: folder)))
            }
            #expect(inDB.storedIn == "database" && inDB.fileName == "Factura 1.pdf" && inDB.ownerRef == "INV-1" && inDB.customerRef == "K1")
            #expect(inDB.sizeBytes == Int64(Self.pdf.count) && inDB.contentType == "application/pdf")
            #expect(inDB.sha256.count == 64 && inDB.sha256 == inFolder.sha256, "same bytes, same digest")
            #expect(inFolder.storedIn == "folder")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/\(co.id)")
            #expect(files.count == 1)
            try await db.read { (c) async throws -> Void in
                #expect(try await AttachmentStore.content(c, company: co.id, id: inDB.id).1 == Self.pdf)
                #expect(try await AttachmentStore.content(c, company: co.id, id: inFolder.id).1 == Self.pdf)
                #expect(try await AttachmentStore.list(c, company: co.id, owner: .invoice("INV-1")).map(\.id) == [inDB.id])
                #expect(try await AttachmentStore.list(c, company: co.id, owner: .customer("K1")).map(\.id) == [inFolder.id],
                        "a customer's list holds what was attached to the customer itself")
            }
        }
    }

    @Test("the same SHA-256 as an independent implementation (sha256sum)")
    func digest() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            let a = try await db.transaction { c in try await add(c, co, .invoice("INV-2"), bytes: Array("%PDF-abc".utf8)) }
            // Computed outside Cobro: printf '%%PDF-abc' | sha256sum
            #expect(a.sha256 == "1e8a7587529cc956d46dea481f38c623395a879a1179c277f476a9cdb88a540d")
        }
    }

    @Test("bad files and unknown owners change nothing and say why", arguments: TestDatabases.kinds)
    func refused(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            func attempt(_ owner: AttachmentOwner, _ name: String, _ bytes: [UInt8], max: Int = 1 << 20) async -> (any Error)? {
                do {
                    _ = try await db.transaction { c in try await add(c, co, owner, name, settings: AttachmentSettings(maxBytes: max), bytes: bytes) }
                    return nil
                } catch { return error }
            }
            let html = await attempt(.invoice("INV-1"), "scan.pdf", Array("<html></html>".utf8))
            guard case .invalidFields(let problems)? = html as? StoreError else { Issue.record("expected invalid fields, got \(String(describing: html))"); return }
            #expect(problems.map(\.field) == ["content"])
            #expect(await attempt(.invoice("INV-1"), "scan.pdf", Self.pdf, max: 100) is AttachmentTooLarge)
            #expect(await attempt(.invoice("NOPE"), "scan.pdf", Self.pdf) as? StoreError == .notFound("invoice NOPE does not exist"))
            #expect(await attempt(.dispute(999_999), "scan.pdf", Self.pdf) as? StoreError == .notFound("dispute 999999 does not exist"))
            let count = try await db.read { c in try await c.first("SELECT COUNT(*) FROM attachment WHERE company_id = $1", [.int(co.id)])!.int(0) }
            #expect(count == 0)
        }
    }

    @Test("delete hides, restore brings back; after the restore period the retention run purges the content", arguments: TestDatabases.kinds)
    func softDelete(kind: SQLDialect) async throws {
        let folder = NSTemporaryDirectory() + "cobro-attach-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let (a, b) = try await db.transaction { c in
                (try await add(c, co, .invoice("INV-3")), try await add(c, co, .invoice("INV-3"), "second.pdf", settings: AttachmentSettings(folder: folder)))
            }
            let today = d("2024-07-01")
            let deleted = try await db.transaction { c in
                try await AttachmentStore.delete(c, company: co.id, id: a.id, retentionDays: 30, today: today, actor: "ana", now: Self.now)
            }
            #expect(deleted.restorableUntil == d("2024-07-31"))
            try await db.read { (c) async throws -> Void in
                #expect(try await AttachmentStore.list(c, company: co.id, owner: .invoice("INV-3")).map(\.id) == [b.id])
                #expect(try await AttachmentStore.list(c, company: co.id, owner: .invoice("INV-3"), includeDeleted: true).map(\.id) == [a.id, b.id])
                await #expect(throws: StoreError.self) { _ = try await AttachmentStore.content(c, company: co.id, id: a.id) }
            }
            await #expect(throws: StoreError.conflict("attachment \(a.id) is already deleted")) {
                _ = try await db.transaction { c in try await AttachmentStore.delete(c, company: co.id, id: a.id, retentionDays: 30, today: today, actor: "ana", now: Self.now) }
            }
            _ = try await db.transaction { c in try await AttachmentStore.restore(c, company: co.id, id: a.id, actor: "ana", now: Self.now) }
            #expect(try await db.read { c in try await AttachmentStore.content(c, company: co.id, id: a.id).1 } == Self.pdf)

            // Delete both again; the retention run on the last restorable day keeps them, the day after purges them.
            try await db.transaction { c in
                for id in [a.id, b.id] { _ = try await AttachmentStore.delete(c, company: co.id, id: id, retentionDays: 30, today: today, actor: "ana", now: Self.now) }
            }
            func retention(_ day: String) async throws -> RetentionReport {
                try await RetentionStore.run(db, company: co.id, asOf: d(day), years: 10, dryRun: false, actor: "dpo", now: Self.now + 40 * 86_400_000)
            }
            #expect(try await retention("2024-07-31").attachmentsPurged == 0)
            let dry = try await RetentionStore.run(db, company: co.id, asOf: d("2024-08-01"), years: 10, dryRun: true, actor: "dpo", now: Self.now)
            #expect(dry.attachmentsPurged == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/\(co.id)").count == 1, "the dry run keeps the file")
            #expect(try await retention("2024-08-01").attachmentsPurged == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/\(co.id)").isEmpty, "the file is gone")
            try await db.read { (c) async throws -> Void in
                #expect(try await c.first("SELECT COUNT(*) FROM attachment_content WHERE company_id = $1", [.int(co.id)])!.int(0) == 0)
                let kept = try #require(try await AttachmentStore.get(c, company: co.id, id: a.id))
                #expect(kept.purgedAt != nil && kept.fileName == "scan.pdf", "the record stays, as history")
                let actions = try await c.query(
                    "SELECT action FROM audit_event WHERE company_id = $1 AND entity = 'attachment' AND entity_ref = $2 ORDER BY id", [.int(co.id), .text(String(a.id))]
                ).map { $0.text(0) }
                #expect(actions == ["attachment.add", "attachment.delete", "attachment.restore", "attachment.delete", "attachment.purge"])
            }
            await #expect(throws: StoreError.conflict("attachment \(a.id) was purged; its content is gone")) {
                _ = try await db.transaction { c in try await AttachmentStore.restore(c, company: co.id, id: a.id, actor: "ana", now: Self.now) }
            }
        }
    }

    @Test("attachments of one company are invisible to another", arguments: TestDatabases.kinds)
    func tenants(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let other = try await db.transaction { c in try await CompanyStore.create(c, slug: "o-\(co.slug)", name: "Other", baseCurrency: usd, now: 1) }
            try await WorkedExample.load(db, other)
            let a = try await db.transaction { c in try await add(c, co, .invoice("INV-1")) }
            try await db.read { (c) async throws -> Void in
                #expect(try await AttachmentStore.get(c, company: other.id, id: a.id) == nil)
                #expect(try await AttachmentStore.list(c, company: other.id, owner: .invoice("INV-1")).isEmpty)
                await #expect(throws: StoreError.notFound("attachment \(a.id) does not exist")) { _ = try await AttachmentStore.content(c, company: other.id, id: a.id) }
            }
        }
    }
}
