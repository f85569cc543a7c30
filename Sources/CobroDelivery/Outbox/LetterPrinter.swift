import CobroCore
import CobroStore
import Foundation

/// Delivers the outbox's letters: one printable A4 PDF per message (window-envelope address, company header, the
/// step's letter text with its invoice list), written to a print-batch folder `DIR/YYYY-MM-DD/` named
/// `<company>-<message id>-<customer ref>.pdf` (`COBRO_LETTER_DIR`). A file is written under a temporary name and
/// renamed, so a batch folder never holds half a letter; a rerun after a crash rewrites the same file name.
public struct LetterPrinter: Sendable {
    public let db: any Database
    public let directory: URL
    public let clock: Clock
    /// Only this company's letters (`nil`: every company's).
    public let company: Int64?

    public init(db: any Database, directory: URL, clock: Clock = .system, company: Int64? = nil) {
        self.db = db
        self.directory = directory
        self.clock = clock
        self.company = company
    }

    /// Prints every letter due now; returns the files written.
    public func printDue(limit: Int = 200) async throws -> [URL] {
        var written: [URL] = []
        while true {
            let now = clock.nowMillis()
            let claimed = try await db.transaction { c in try await OutboxStore.claim(c, channels: [.letter], now: now, leaseMillis: 120_000, limit: limit, company: company) }
            if claimed.isEmpty { return written }
            for m in claimed {
                guard let facts = try await db.read({ c in try await OutboxStore.letterFacts(c, m) }) else { continue }
                let day = facts.runDay
                let letter = Letter(
                    company: CompanyHeader(name: facts.company, returnAddress: facts.company),
                    recipient: [facts.customer] + m.recipient.split(whereSeparator: { $0 == "\n" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) },
                    date: LocalizedFormat(languageTag: m.language).date(day), subject: m.subject, body: LetterPrinter.paragraphs(m.text))
                let folder = directory.appendingPathComponent(day.iso)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let file = folder.appendingPathComponent("\(m.companyID)-\(m.id)-\(safeFileNamePart(facts.customerRef)).pdf")
                let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).tmp")
                try Data(DunningLetter.render(letter)).write(to: temporary)
                _ = try? FileManager.default.removeItem(at: file)
                try FileManager.default.moveItem(at: temporary, to: file)
                try await db.transaction { c in try await OutboxStore.markSent(c, m, providerID: file.path, now: clock.nowMillis()) }
                written.append(file)
            }
        }
    }

    /// The letter text as paragraphs: blank lines separate paragraphs; each line of an invoice block is its own line.
    static func paragraphs(_ text: String) -> [String] {
        text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
