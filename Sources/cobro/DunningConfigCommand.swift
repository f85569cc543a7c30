import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

extension DunningConfigFile.Format: ExpressibleByArgument {}

/// `cobro dunning config export|import|history`: the dunning configuration as a file people edit and review.
struct DunningConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Export, import and list versions of the dunning configuration (policies, templates, contact rules).",
        subcommands: [Export.self, Import.self, History.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the current configuration (or --version N) as YAML or JSON.")
        @Option(help: "yaml or json (default: from --output's extension, else yaml).")
        var format: DunningConfigFile.Format?
        @Option(help: "Write to this file instead of standard output.")
        var output: String?
        @Option(help: "A saved version instead of the current one.")
        var version: Int64?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let config = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.read { c in
                    guard let version else { return try await DunningConfigStore.current(c, company: company.id).config }
                    guard let v = try await DunningConfigStore.version(c, company: company.id, version) else {
                        throw CLIError("--version: the company has no dunning configuration version \(version) (see `cobro dunning config history`)")
                    }
                    return v.config
                }
            }
            let text = DunningConfigFile.write(config, as: format ?? output.map(DunningConfigFile.Format.of(path:)) ?? .yaml)
            if let output {
                do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch { fail(CLIError("--output: cannot write \(output): \(error.localizedDescription)")) }
                FileHandle.standardError.write(Data("Wrote the dunning configuration to \(output)\n".utf8))
            } else {
                printOut(text)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a YAML or JSON file and save it as the next version of the configuration.",
            discussion: "Every problem is listed with its field path (and line and column for templates and YAML syntax); nothing is saved unless all is valid.")
        @Argument(help: "The file (.yaml, .yml or .json).")
        var file: String
        @Flag(name: .customLong("check"), help: "Only validate; save nothing.")
        var checkOnly = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { fail(CLIError("\(file): cannot read the file")) }
            let config: DunningConfig
            do {
                config = try DunningConfigFile.read(String(decoding: data, as: UTF8.self), as: .of(path: file))
            } catch {
                for issue in error.issues {
                    let at = issue.position.map { " (\($0))" } ?? ""
                    FileHandle.standardError.write(Data("cobro: error: \(file): \(issue.path)\(at): \(issue.message)\n".utf8))
                }
                throw ExitCode(1)
            }
            for w in config.warnings() { FileHandle.standardError.write(Data("cobro: warning: \(file): \(w.path): \(w.message)\n".utf8)) }
            if checkOnly {
                printOut("\(file) is a valid dunning configuration (\(config.assignment.policies.count) policies)\n")
                return
            }
            let version = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await DunningConfigStore.save(c, company: company.id, config: config, actor: "cli", now: Clock.system.nowMillis())
                }
            }
            printOut("Saved \(file) as dunning configuration version \(version)\n")
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved versions of the configuration, newest first.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let versions = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.read { c in try await DunningConfigStore.history(c, company: company.id) }
            }
            if versions.isEmpty {
                printOut("No saved versions: the shipped configuration is in use (export it with `cobro dunning config export`)\n")
                return
            }
            var t = TextTable(headers: ["version", "saved at (UTC)", "by", "policies", "template keys"], rightAligned: [0, 3, 4])
            t.rows = versions.map { v in
                [String(v.version), DunningRendering.instant(v.createdAt), v.createdBy, String(v.config.assignment.policies.count),
                 String(v.config.templates.texts.count)]
            }
            printOut(t.render() + "\n")
        }
    }
}
