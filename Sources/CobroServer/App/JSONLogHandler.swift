import Foundation
import Logging

/// One JSON object per line on stderr: `{"ts":…,"level":…,"label":…,"msg":…, metadata…}`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, JSONValue)] = [
            ("ts", .string(ISO8601DateFormatter().string(from: Date()))), ("level", .string(event.level.rawValue)),
            ("label", .string(label)), ("msg", .string("\(event.message)")),
        ]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            fields.append((k, .string("\(v)")))
        }
        FileHandle.standardError.write(Data((JSONValue.object(fields).render() + "\n").utf8))
    }
}
