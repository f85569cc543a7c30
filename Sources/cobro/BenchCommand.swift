import ArgumentParser
import CobroCore
import CobroFixtures
import CobroServer
import CobroStore
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark workload: generate W1M and measure import and reports.",
        subcommands: [Generate.self, Run.self, BenchWorklist.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", abstract: "Write customers.csv, invoices.csv, payments.csv (deterministic).")
        @Option var customers: Int = 100_000
        @Option var invoices: Int = 1_000_000
        @Option var seed: UInt64 = 42
        @Option(help: "Last date of the ledger (default 2026-06-30).") var end: String = "2026-06-30"
        @Option(help: "Output directory (created).") var out: String

        func validate() throws {
            guard customers > 0, invoices >= customers else { throw ValidationError("need --customers > 0 and --invoices ≥ --customers") }
            guard LocalDate(iso: end) != nil else { throw ValidationError("--end must be YYYY-MM-DD") }
        }

        func run() async throws {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let endDate = LocalDate(iso: end)!
            var config = LedgerGenerator.Config.w1m(seed: seed, end: endDate)
            config.customers = customers
            config.invoices = invoices
            let sinks = try ["customers", "invoices", "payments"].map { name -> FileSink in try FileSink(path: "\(out)/\(name).csv") }
            let start = Date()
            let counts = try LedgerGenerator(config).generate(
                customers: { try sinks[0].write($0) }, invoices: { try sinks[1].write($0) }, payments: { try sinks[2].write($0) })
            for s in sinks { try s.close() }
            printOut(String(format: "wrote %@ customers, %@ invoices + %@ credit notes + %@ debit notes, %@ payments to %@ in %.1f s\n",
                            grouped(counts.customers), grouped(counts.invoices), grouped(counts.creditNotes), grouped(counts.debitNotes),
                            grouped(counts.payments), out, Date().timeIntervalSince(start)))
        }
    }

    /// Imports a generated workload into a fresh database and times the standard operations.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Import a workload into a fresh database and time import, aging and statements (prints Markdown).")
        @Option(help: "Directory written by `cobro bench generate`.") var data: String
        @Option(help: "As-of date for 'today' aging (default: the workload's end 2026-06-30).") var today: String = "2026-06-30"
        @Option(name: .customLong("repeat"), help: "Repetitions for report timings (median reported).") var repetitions: Int = 5
        @Flag(name: .customLong("no-import"), help: "Time the reports on a database that already holds the workload.") var noImport = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let todayDate = LocalDate(iso: today) else { throw ValidationError("--today must be YYYY-MM-DD") }
            let url = global.resolvedURL
            if !url.hasPrefix("postgres") && !noImport {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.replacingOccurrences(of: "sqlite:", with: "") + suffix) }
            }
            var lines = ["| step | result |", "|---|---|"]
            func report(_ step: String, _ result: String) {
                lines.append("| \(step) | \(result) |")
                FileHandle.standardError.write(Data("\(step): \(result)\n".utf8))
            }
            try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                if db.dialect == .postgres && !noImport {
                    try await db.transaction { c in try await c.executeScript("TRUNCATE allocation, payment, dispute, invoice, contact, customer, audit_event, import_batch, webhook_delivery RESTART IDENTITY CASCADE") }
                }
                for kind in ImportKind.allCases where !noImport {
                    let path = "\(data)/\(kind.rawValue).csv"
                    let chunks = try FileChunks(path: path)
                    let t0 = Date()
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
                    let s = try await Importer(db: db, company: company, actor: "bench", clock: .system)
                        .run(kind, source: path, strict: false, sizeHint: size, next: { try chunks.next() })
                    let secs = Date().timeIntervalSince(t0)
                    report("import \(kind.rawValue) (\(db.dialect.rawValue))", String(format: "%@ rows in %.2f s = %@ rows/s (inserted %@, rejected %@)",
                        grouped(s.rows), secs, grouped(Int(Double(s.rows) / secs)), grouped(s.inserted), grouped(s.rejected)))
                }
                report("peak RSS after import", "\(peakRSSMegabytes()) MB")
                func median(_ f: () async throws -> Void) async throws -> Double {
                    try await medianMeasured {
                        let t0 = Date()
                        try await f()
                        return Date().timeIntervalSince(t0) * 1000
                    }
                }
                /// The median of what `f` measured itself, in milliseconds.
                func medianMeasured(_ f: () async throws -> Double) async throws -> Double {
                    var ts: [Double] = []
                    for _ in 0..<max(1, repetitions) { ts.append(try await f()) }
                    return ts.sorted()[ts.count / 2]
                }
                var rows = 0
                // Computed whole (no summary stored), then from the summary that computation stores.
                let tCold = try await medianMeasured {
                    try await db.transaction { c in try await c.execute("DELETE FROM aging_summary WHERE company_id = $1", [.int(company.id)]) }
                    let t0 = Date()
                    let r = try await db.read { c in try await ReportStore(c, company: company.id).aging(asOf: todayDate, basis: .dueDate, buckets: .standard, base: nil, rates: []) }
                    rows = r.rows.count
                    return Date().timeIntervalSince(t0) * 1000
                }
                report("aging as of \(todayDate.iso) (today), computed whole", String(format: "%.1f ms median (%@ customer rows)", tCold, grouped(rows)))
                _ = try await ReportStore.aging(db, company: company.id, asOf: todayDate, basis: .dueDate, buckets: .standard, base: nil, rates: [])
                let tToday = try await median {
                    let r = try await ReportStore.aging(db, company: company.id, asOf: todayDate, basis: .dueDate, buckets: .standard, base: nil, rates: [])
                    rows = r.rows.count
                }
                report("aging as of \(todayDate.iso) (today), from the stored summary", String(format: "%.1f ms median (%@ customer rows)", tToday, grouped(rows)))
                // 1,000 customers marked changed (their documents are not): what a busy day's writes cost the next reader.
                try await db.transaction { c in
                    try await c.execute(
                        """
                        INSERT INTO aging_dirty (company_id, customer_id, ledger_version)
                        SELECT company_id, id, (SELECT ledger_version FROM company WHERE id = $1) FROM customer WHERE company_id = $1 AND id % 100 = 0
                        ON CONFLICT (company_id, customer_id) DO UPDATE SET ledger_version = excluded.ledger_version
                        """, [.int(company.id)])
                }
                let tPatched = try await median {
                    let r = try await ReportStore.aging(db, company: company.id, asOf: todayDate, basis: .dueDate, buckets: .standard, base: nil, rates: [])
                    rows = r.rows.count
                }
                report("aging as of \(todayDate.iso) (today), from the summary with 1,000 customers changed", String(format: "%.1f ms median (%@ customer rows)", tPatched, grouped(rows)))
                let past = todayDate.adding(days: -365)
                let tPast = try await median {
                    let r = try await db.read { c in try await ReportStore(c, company: company.id).aging(asOf: past, basis: .dueDate, buckets: .standard, base: nil, rates: []) }
                    rows = r.rows.count
                }
                report("aging as of \(past.iso) (one year back)", String(format: "%.1f ms median (%@ customer rows)", tPast, grouped(rows)))
                let busiest = try await db.read { c in
                    try await c.first("SELECT c.customer_ref, COUNT(*) FROM invoice i JOIN customer c ON c.company_id = i.company_id AND c.id = i.customer_id WHERE i.company_id = $1 GROUP BY c.customer_ref ORDER BY 2 DESC LIMIT 1", [.int(company.id)])!
                }
                let ref = busiest.text(0)
                var lineCount = 0
                let tStmt = try await median {
                    let s = try await db.read { c in try await ReportStore(c, company: company.id).statements(customerRef: ref, from: todayDate.adding(days: -730), to: todayDate) }
                    lineCount = s?.reduce(0) { $0 + $1.lines.count } ?? 0
                }
                report("statement of \(ref) (2 years)", String(format: "%.2f ms median (%@ lines)", tStmt, grouped(lineCount)))
                let tKPI = try await median { _ = try await db.read { c in try await ReportStore(c, company: company.id).kpis(asOf: todayDate, window: 90) } }
                report("KPIs as of \(todayDate.iso)", String(format: "%.1f ms median", tKPI))
            }
            printOut(lines.joined(separator: "\n") + "\n")
        }
    }
}

/// Peak resident memory of this process (VmHWM), in MB.
func peakRSSMegabytes() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
    return -1
}

/// Buffered file writer for the generator's text chunks.
final class FileSink {
    let handle: FileHandle
    var buffer = Data()
    init(path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot write \(path)") }
        handle = h
    }
    func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 20 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
    }
    func close() throws {
        try handle.write(contentsOf: buffer)
        try handle.close()
    }
}

/// `cobro bench worklist`: the worklist of one collector over a loaded workload (issue 4: ≤ 100 ms for a collector
/// with 5,000 customers over W1M). Without collectors yet, it creates `--collectors` of them in team `bench`, one rule
/// sending everyone to that team round-robin, and assigns every customer.
struct BenchWorklist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worklist", abstract: "Time one collector's worklist on a loaded workload.")
    @Option(help: "Collectors to spread the customers over when none exist (100,000 / 20 = 5,000 each).") var collectors: Int = 20
    @Option(help: "As-of date (default: the workload's end 2026-06-30).") var today: String = "2026-06-30"
    @Option(name: .customLong("repeat"), help: "Repetitions (median reported).") var repetitions: Int = 7
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard let day = LocalDate(iso: today) else { throw ValidationError("--today \"\(today)\" is not a date; use YYYY-MM-DD") }
        let (n, reps) = (collectors, max(1, repetitions))
        let out = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            let now = Clock.system.nowMillis()
            let setup = ContinuousClock().measure {}
            var assignTime = setup
            if try await db.read({ c in try await PortfolioStore.collectors(c, company: company.id) }).isEmpty {
                assignTime = try await ContinuousClock().measure {
                    try await db.transaction { c in
                        for i in 1...n {
                            try await PortfolioStore.upsertCollector(c, company: company.id, Collector(key: String(format: "c%02d", i), name: "Collector \(i)", team: "bench"), actor: "bench", now: now)
                        }
                        try await PortfolioStore.saveRules(c, company: company.id, [PortfolioRule(name: "everyone", target: .team("bench"))], actor: "bench", now: now)
                        _ = try await PortfolioStore.assign(c, company: company.id, base: company.baseCurrency, reassign: true, dryRun: false, actor: "bench", now: now)
                    }
                }
            }
            let key = "c01"
            let customers = try await db.read { c in try await c.first("SELECT COUNT(*) FROM customer WHERE company_id = $1 AND collector = $2", [.int(company.id), .text(key)])!.int(0) }
            var times: [Double] = []
            var rows = 0
            for _ in 0..<reps {
                let t = try await ContinuousClock().measure {
                    rows = try await db.read { c in
                        try await WorklistStore.worklist(c, company: company.id, base: company.baseCurrency, scope: .collector(key), today: day, limit: 5000).count
                    }
                }
                times.append(Double(t.components.attoseconds) / 1e15 + Double(t.components.seconds) * 1000)
            }
            times.sort()
            var text = ""
            if assignTime != setup { text += "assignment of every customer to \(n) collectors: \(assignTime)\n" }
            text += String(format: "worklist of %@ (%d customers, %d with overdue items) as of %@: %.1f ms median, %.1f ms min of %d\n", key, customers, rows, day.iso, times[times.count / 2], times[0], reps)
            return text
        }
        printOut(out)
    }
}
