import Foundation
import Testing

/// Runs poppler-utils (`pdfinfo`, `pdftotext`) on rendered bytes. Tests that need it are skipped with
/// ``Poppler/skipMessage`` when it is not installed.
enum Poppler {
    static let searchPath = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"]

    static func tool(_ name: String) -> String? {
        let env = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        for dir in env + searchPath {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static let isAvailable = tool("pdftotext") != nil && tool("pdfinfo") != nil
    static let skipMessage: Comment =
        "poppler-utils (pdftotext, pdfinfo) not installed: run `apt-get update && apt-get install -y poppler-utils`"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `pdf` to a fresh temporary file, runs `body` with its path, then removes it.
    static func withFile<R>(_ pdf: [UInt8], _ body: (String) throws -> R) throws -> R {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cobro-\(UUID().uuidString).pdf")
        try Data(pdf).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    /// Runs a poppler tool and returns its standard output (UTF-8); throws when it exits non-zero.
    static func run(_ name: String, _ arguments: [String]) throws -> String {
        try runCapturing(name, arguments).out
    }

    /// Standard output and standard error of a poppler tool; throws when it exits non-zero.
    static func runCapturing(_ name: String, _ arguments: [String]) throws -> (out: String, err: String) {
        guard let path = tool(name) else { throw Failure(description: "\(name) not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(name) \(arguments) exited \(process.terminationStatus): \(String(decoding: errData, as: UTF8.self))")
        }
        return (String(decoding: data, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// What pdfinfo and pdftotext print on standard error for `pdf` (syntax errors, xref repairs): empty for a
    /// well-formed file.
    static func diagnostics(_ pdf: [UInt8]) throws -> String {
        try withFile(pdf) { path in
            try runCapturing("pdfinfo", [path]).err + runCapturing("pdftotext", [path, "/dev/null"]).err
        }
    }

    struct Info {
        var pages: Int
        var title: String
        var pageSize: String
        var raw: String
    }

    /// `pdfinfo` fields: page count and the "Page size" line ("595.28 x 841.89 pts (A4)").
    static func info(_ pdf: [UInt8]) throws -> Info {
        let raw = try withFile(pdf) { try run("pdfinfo", [$0]) }
        var pages = -1
        var size = ""
        var title = ""
        for line in raw.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0] == "Pages" { pages = Int(parts[1]) ?? -1 }
            if parts[0] == "Page size" { size = parts[1] }
            if parts[0] == "Title" { title = parts[1] }
        }
        return Info(pages: pages, title: title, pageSize: size, raw: raw)
    }

    /// `pdftotext -layout` of the whole document, or of one page; no-break spaces become spaces.
    static func text(_ pdf: [UInt8], page: Int? = nil) throws -> String {
        try withFile(pdf) { path in
            var args = ["-layout", "-enc", "UTF-8"]
            if let page { args += ["-f", String(page), "-l", String(page)] }
            return try run("pdftotext", args + [path, "-"])
        }.replacingOccurrences(of: "\u{00A0}", with: " ")
    }

    /// `text` with every run of whitespace (line breaks included) collapsed to one space, so phrases that a
    /// paragraph wraps can still be found.
    static func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The text of each page, split on the form feed pdftotext writes after every page.
    static func pages(_ pdf: [UInt8]) throws -> [String] {
        var pages = try text(pdf).components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        return pages
    }

    struct Word {
        var text: String
        var xMin: Double
        var xMax: Double
        var yMin: Double
    }

    /// Words with their bounding boxes from `pdftotext -bbox` (poppler measures with its own built-in metrics
    /// of the standard fonts, independent of Cobro's tables).
    static func words(_ pdf: [UInt8]) throws -> [Word] {
        let html = try withFile(pdf) { try run("pdftotext", ["-bbox", "-enc", "UTF-8", $0, "-"]) }
        var words: [Word] = []
        for line in html.split(separator: "\n") where line.contains("<word ") {
            func attr(_ name: String) -> Double? {
                guard let r = line.range(of: name + "=\"") else { return nil }
                let rest = line[r.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { return nil }
                return Double(rest[..<end])
            }
            guard let open = line.firstIndex(of: ">"), let close = line.range(of: "</word>"),
                let xMin = attr("xMin"), let xMax = attr("xMax"), let yMin = attr("yMin")
            else { continue }
            let text = String(line[line.index(after: open)..<close.lowerBound])
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            words.append(Word(text: text, xMin: xMin, xMax: xMax, yMin: yMin))
        }
        return words
    }
}
