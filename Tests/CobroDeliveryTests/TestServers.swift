import Foundation

/// A helper server from scripts/ (Python) started for one test: launched with `arguments`, ready when it prints
/// `PORT <n>`, killed when released.
final class ScriptServer {
    let process = Process()
    let port: Int

    enum Failure: Error { case didNotStart(String) }

    init(_ script: String, _ arguments: [String]) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/\(script)").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let p = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw Failure.didNotStart("\(script) did not start (for smtp-sink: pip install aiosmtpd): \(text)")
        }
        port = p
    }

    /// `Process.waitUntilExit` spins a run loop that Swift concurrency's threads never service; wait for the pid.
    static func wait(_ p: Process) {
        var status: Int32 = 0
        _ = waitpid(p.processIdentifier, &status, 0)
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)  // the child may inherit a blocked SIGTERM
        ScriptServer.wait(process)
    }
}

/// The files a test server wrote to `dir`, numbered 1, 2, … with `suffix`, in order.
func numberedFiles(_ dir: URL, suffix: String) -> [URL] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(suffix) }
        .sorted { Int($0.dropLast(suffix.count)) ?? 0 < Int($1.dropLast(suffix.count)) ?? 0 }
        .map { dir.appendingPathComponent($0) }
}

/// A real SMTP server (scripts/smtp-sink, aiosmtpd) started for one test; messages land in `dir` as received.
final class SMTPSink {
    let server: ScriptServer
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cobro-smtp-\(UUID().uuidString)")
    var port: Int { server.port }

    /// Self-signed certificate and key for 127.0.0.1, made once per test run with the openssl command.
    static let certificate: (cert: String, key: String) = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("cobro-smtp-cert-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let cert = d.appendingPathComponent("cert.pem").path, key = d.appendingPathComponent("key.pem").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1"]
        p.standardError = FileHandle.nullDevice
        try? p.run()
        ScriptServer.wait(p)
        return (cert, key)
    }()

    init(auth: String? = nil, tls: Bool = false, implicitTLS: Bool = false, failFirst: Int = 0) throws {
        var args = [dir.path]
        if let auth { args += ["--auth", auth] }
        if tls || implicitTLS { args += ["--tls-cert", SMTPSink.certificate.cert, "--tls-key", SMTPSink.certificate.key] }
        if implicitTLS { args.append("--implicit-tls") }
        if failFirst > 0 { args += ["--fail-first", String(failFirst)] }
        server = try ScriptServer("smtp-sink", args)
    }

    /// The messages received so far, in order, as the server stored them.
    func messages() -> [String] { numberedFiles(dir, suffix: ".eml").compactMap { try? String(contentsOf: $0, encoding: .utf8) } }

    func envelopes() -> [String] { numberedFiles(dir, suffix: ".env").compactMap { try? String(contentsOf: $0, encoding: .utf8) } }

    deinit { try? FileManager.default.removeItem(at: dir) }
}

/// A local HTTP server (scripts/http-sink) that records each POST, for the SMS gateway.
final class HTTPSink {
    let server: ScriptServer
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cobro-http-\(UUID().uuidString)")
    var port: Int { server.port }

    init(status: Int = 200, reply: String? = nil) throws {
        var args = [dir.path, "--status", String(status)]
        if let reply { args += ["--reply", reply] }
        server = try ScriptServer("http-sink", args)
    }

    /// The requests received so far, in order: path, headers (as sent), body.
    func requests() -> [[String: Any]] {
        numberedFiles(dir, suffix: ".json").compactMap { (try? Data(contentsOf: $0)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }
}
