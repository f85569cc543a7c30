import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// `cobro attachments`: attach files to customers, invoices, disputes and plans; list, fetch, delete, restore.
struct AttachmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachments", abstract: "Files attached to customers, invoices, disputes and plans.",
        subcommands: [Add.self, List.self, Get.self, Delete.self, Restore.self])

    /// Exactly one owner flag.
    struct OwnerOptions: ParsableArguments {
        @Option(help: "A customer's ref.") var customer: String?
        @Option(help: "An invoice's ref.") var invoice: String?
        @Option(help: "A dispute's id.") var dispute: Int64?
        @Option(help: "A payment plan's id.") var plan: Int64?

        func owner() throws -> AttachmentOwner {
            let given: [AttachmentOwner] = [customer.map { .customer($0) }, invoice.map { .invoice($0) }, dispute.map { .dispute($0) }, plan.map { .plan($0) }]
                .compactMap { $0 }
            guard given.count == 1 else { throw ValidationError("name exactly one of --customer, --invoice, --dispute, --plan (got \(given.count))") }
            return given[0]
        }
    }

    static func table(_ all: [AttachmentRecord]) -> String {
        TextTable(
            headers: ["id", "owner", "file", "type", "size", "uploaded", "by", "state"],
            rows: all.map { a in
                let state = a.purgedAt != nil ? "purged" : a.deletedAt != nil ? "deleted, restorable until \(a.restorableUntil?.iso ?? "?")" : "kept"
                return [String(a.id), "\(a.ownerKind) \(a.ownerRef)", a.fileName, a.contentType, sizeText(a.sizeBytes),
                        String(DunningRendering.instant(a.uploadedAt).prefix(10)), a.uploadedBy, state]
            }, rightAligned: [0, 4]).render()
    }

    static func sizeText(_ n: Int64) -> String { n < 1024 ? "\(n) B" : n < 1 << 20 ? "\((n + 1023) / 1024) KiB" : String(format: "%.1f MiB", Double(n) / 1_048_576) }

    static func json(_ all: [AttachmentRecord]) -> String {
        JSONValue.array(all.map { a in
            .object([
                ("id", .int(a.id)), ("owner", .string(a.ownerKind)), ("owner_ref", .string(a.ownerRef)), ("customer_ref", .string(a.customerRef)),
                ("file_name", .string(a.fileName)), ("content_type", .string(a.contentType)), ("size_bytes", .int(a.sizeBytes)), ("sha256", .string(a.sha256)),
                ("uploaded_at", .string(DunningRendering.instant(a.uploadedAt))), ("uploaded_by", .string(a.uploadedBy)),
                ("deleted", .bool(a.deletedAt != nil)), ("purged", .bool(a.purgedAt != nil)),
            ])
        }).render(pretty: true) + "\n"
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a file (PDF, PNG, JPEG, GIF, WebP, TIFF, .eml, .msg; at most COBRO_ATTACHMENT_MAX_MB, default 10).")
        @Argument(help: "The file.") var file: String
        @OptionGroup var owner: OwnerOptions
        @Option(help: "The name to store (default: the file's name).") var name: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let target = try owner.owner()
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot read the file") }
            let settings = try attachmentSettings()
            let fileName = name ?? (file as NSString).lastPathComponent
            let a = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await AttachmentStore.add(
                        c, company: company.id, owner: target, fileName: fileName, declaredType: nil, bytes: Array(data), settings: settings, actor: "cli",
                        now: Clock.system.nowMillis())
                }
            }
            printOut("attachment \(a.id): \(a.fileName) (\(a.contentType), \(AttachmentsCommand.sizeText(a.sizeBytes))) on \(a.ownerKind) \(a.ownerRef)\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the attachments of a customer, invoice, dispute or plan.")
        @OptionGroup var owner: OwnerOptions
        @Flag(help: "Include deleted attachments.") var deleted = false
        @Option(help: "table or json.") var format: OutputFormat = .table
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let target = try owner.owner()
            let all = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.read { c in try await AttachmentStore.list(c, company: company.id, owner: target, includeDeleted: deleted) }
            }
            printOut(format == .json ? AttachmentsCommand.json(all) : all.isEmpty ? "No attachments.\n" : AttachmentsCommand.table(all))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write an attachment's content to a file.")
        @Argument(help: "The attachment id.") var id: Int64
        @Option(help: "Where to write it (default: its file name in the current folder; an existing file is not overwritten).") var output: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (a, bytes) = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.read { c in try await AttachmentStore.content(c, company: company.id, id: id) }
            }
            let path = output ?? a.fileName
            guard FileManager.default.createFile(atPath: path + ".part", contents: Data(bytes)) else { throw CLIError("\(path): cannot write") }
            if FileManager.default.fileExists(atPath: path) {
                try? FileManager.default.removeItem(atPath: path + ".part")
                throw CLIError("\(path) exists; choose another --output")
            }
            try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
            printOut("wrote \(path) (\(AttachmentsCommand.sizeText(a.sizeBytes)), sha256 \(a.sha256))\n")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an attachment (restorable for COBRO_ATTACHMENT_RETENTION_DAYS, default 30; then purged by `cobro retention run`).")
        @Argument(help: "The attachment id.") var id: Int64
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let days = try attachmentSettings().retentionDays
            let a = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await AttachmentStore.delete(
                        c, company: company.id, id: id, retentionDays: days, today: Clock.system.today(in: company.timezone), actor: "cli", now: Clock.system.nowMillis())
                }
            }
            printOut("attachment \(a.id) deleted; restorable until \(a.restorableUntil?.iso ?? "?")\n")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restore a deleted attachment that was not purged yet.")
        @Argument(help: "The attachment id.") var id: Int64
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let a = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in try await AttachmentStore.restore(c, company: company.id, id: id, actor: "cli", now: Clock.system.nowMillis()) }
            }
            printOut("attachment \(a.id) restored: \(a.fileName)\n")
        }
    }
}
