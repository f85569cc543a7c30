import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// Reads a file in 1 MiB chunks for the streaming importer.
final class FileChunks: @unchecked Sendable {
    let handle: FileHandle
    var read = 0
    init(path: String) throws {
        guard let h = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read \(path): no such file or not readable") }
        handle = h
    }
    func next() throws -> [UInt8]? {
        let data = try handle.read(upToCount: 1 << 20) ?? Data()
        if data.isEmpty { return nil }
        read += data.count
        return [UInt8](data)
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import customers, invoices (and credit/debit notes) or payments from CSV.",
        discussion: """
            Columns may come in any order; unknown columns are ignored with a warning. Re-importing a file changes nothing; \
            changed rows update the record (audited). Bad rows are reported with line and column; without --strict the good \
            rows are written, with --strict nothing is written if any row is bad. See docs/import-formats.md.
            """)

    @Argument(help: "What the file holds: customers, invoices or payments.")
    var kind: ImportKind
    @Argument(help: "The CSV file.")
    var file: String
    @Flag(help: "Write nothing if any row is bad.")
    var strict = false
    @Option(help: "Summary format: table or json.")
    var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let summary = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            let chunks = try FileChunks(path: file)
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let bar = ProgressBar(total: size, label: "importing \(kind.rawValue)")
            let importer = Importer(db: db, company: company, actor: "cli:\(NSUserName())", clock: .system)
            let s = try await importer.run(kind, source: file, strict: strict, sizeHint: size, next: { try chunks.next() }) { bytes, rows in
                bar.update(done: bytes, rows: rows)
            }
            bar.finish()
            return s
        }
        switch format {
        case .json: printOut(ReportRendering.importSummaryJSON(summary).render(pretty: true) + "\n")
        default: printOut(ImportReport.text(summary, file: file))
        }
        if !summary.committed || summary.rejected > 0 {
            let reason = !summary.committed
                ? (summary.strict && summary.rows > 0 ? "\(summary.rejected) bad row(s); nothing was written (--strict)" : (summary.errors.first?.description ?? "nothing was imported"))
                : (summary.inserted + summary.updated + summary.unchanged == 0
                    ? "all \(summary.rejected) row(s) rejected"
                    : "\(summary.rejected) row(s) rejected; the other rows were imported")
            FileHandle.standardError.write(Data("cobro: error: \(reason)\n".utf8))
            throw ExitCode(summary.committed ? 2 : 1)
        }
    }
}

extension ImportKind: ExpressibleByArgument {}

enum ImportReport {
    static func text(_ s: ImportSummary, file: String) -> String {
        var out = "\(file): \(grouped(s.rows)) rows — inserted \(grouped(s.inserted)), updated \(grouped(s.updated)), unchanged \(grouped(s.unchanged)), rejected \(grouped(s.rejected))"
        out += s.committed ? "\n" : " — nothing written\n"
        for i in s.issues { out += "  \(i.severity == .error ? "error" : "warning"): \(i)\n" }
        if s.issuesOmitted > 0 { out += "  … and \(grouped(s.issuesOmitted)) more\n" }
        return out
    }
}
