import CobroCore
import Foundation
import Yams

/// A dunning configuration as a file people edit: JSON or YAML, same keys (issue 3, point 3).
public enum DunningConfigFile {
    public enum Format: String, Sendable, CaseIterable {
        case json, yaml

        /// From a file name: `.yaml`/`.yml` → YAML, anything else → JSON.
        public static func of(path: String) -> Format {
            let lower = path.lowercased()
            return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") ? .yaml : .json
        }
    }

    /// A problem reading a file: where (field path, or line and column for a syntax error) and what is wrong.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        public var issues: [DunningPolicyIssue]
        public var description: String {
            issues.map { i in
                var where_ = i.path
                if let p = i.position { where_ += " (\(p))" }
                return "\(where_): \(i.message)"
            }.joined(separator: "\n")
        }
    }

    public static func write(_ config: DunningConfig, as format: Format) -> String {
        switch format {
        case .json: return config.json() + "\n"
        case .yaml: return (try? yaml(config)) ?? config.json()
        }
    }

    /// Any part of a configuration as YAML, keys sorted, lines never folded (as the editor shows it).
    static func yaml(_ value: some Encodable) throws -> String {
        let e = YAMLEncoder()
        e.options.sortKeys = true
        e.options.width = -1
        return try e.encode(value)
    }

    /// Reads and validates a configuration. Throws ``ReadError`` with every problem: syntax (line and column),
    /// shape (the field path) or rules (``DunningConfig/validate()``).
    public static func read(_ text: String, as format: Format) throws(ReadError) -> DunningConfig {
        let config: DunningConfig
        do {
            switch format {
            case .json: config = try JSONDecoder().decode(DunningConfig.self, from: Data(text.utf8))
            case .yaml: config = try YAMLDecoder().decode(DunningConfig.self, from: text)
            }
        } catch let e as DecodingError {
            if case .dataCorrupted(let ctx) = e, ctx.codingPath.isEmpty {
                if let y = ctx.underlyingError as? YamlError { throw ReadError(issues: [yamlIssue(y)]) }
                throw ReadError(issues: [DunningPolicyIssue(path: "file", message: "not valid \(format.rawValue.uppercased()): \(ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription)")])
            }
            let (path, message) = DecodingErrorPath.describe(e)
            throw ReadError(issues: [DunningPolicyIssue(path: path, message: message)])
        } catch let e as YamlError {
            throw ReadError(issues: [yamlIssue(e)])
        } catch {
            throw ReadError(issues: [DunningPolicyIssue(path: "file", message: "\(error)")])
        }
        let issues = config.validate()
        if !issues.isEmpty { throw ReadError(issues: issues) }
        return config
    }

    static func yamlIssue(_ e: YamlError) -> DunningPolicyIssue {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return DunningPolicyIssue(path: "file", message: "not valid YAML: \(problem)", position: TemplatePosition(line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DunningPolicyIssue(
                path: "file", message: "a key appears twice in the same mapping: " + duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "),
                position: TemplatePosition(line: context.mark.line, column: context.mark.column))
        default:
            return DunningPolicyIssue(path: "file", message: "not valid YAML: \(e)")
        }
    }
}
