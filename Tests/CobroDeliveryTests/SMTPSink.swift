import Foundation

/// A real SMTP server (scripts/smtp-sink, aiosmtpd) started for one test; messages land in `dir` as received.
final class SMTPSink {
    let process = Process()
    let dir: URL
    let port: Int

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
        SMTPSink.wait(p)
        return (cert, key)
    }()

    enum Failure: Error { case didNotStart(String) }

    init(auth: String? = nil, tls: Bool = false, implicitTLS: Bool = false, failFirst: Int = 0) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cobro-smtp-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/smtp-sink").path
        var args = [script, dir.path]
        if let auth { args += ["--auth", auth] }
        if tls || implicitTLS { args += ["--tls-cert", SMTPSink.certificate.cert, "--tls-key", SMTPSink.certificate.key] }
        if implicitTLS { args.append("--implicit-tls") }
        if failFirst > 0 { args += ["--fail-first", String(failFirst)] }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + args
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
            process.terminate()
            throw Failure.didNotStart("smtp-sink did not start (is aiosmtpd installed? pip install aiosmtpd): \(text)")
        }
        port = p
    }

    /// The messages received so far, in order, as the server stored them.
    func messages() -> [String] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".eml") }
            .sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
        return files.compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }

    func envelopes() -> [String] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".env") }
            .sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
        return files.compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }

    /// `Process.waitUntilExit` spins a run loop that Swift concurrency's threads never service; wait for the pid.
    static func wait(_ p: Process) {
        var status: Int32 = 0
        _ = waitpid(p.processIdentifier, &status, 0)
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)  // the child may inherit a blocked SIGTERM
        SMTPSink.wait(process)
        try? FileManager.default.removeItem(at: dir)
    }
}

/// A local HTTP server (scripts/http-sink) that records each POST, for the SMS gateway.
final class HTTPSink {
    let process = Process()
    let dir: URL
    let port: Int

    init(status: Int = 200, reply: String? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cobro-http-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/http-sink").path
        var args = ["python3", script, dir.path, "--status", String(status)]
        if let reply { args += ["--reply", reply] }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = args
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
            throw SMTPSink.Failure.didNotStart("http-sink did not start: \(text)")
        }
        port = p
    }

    /// The requests received so far, in order: path, headers (as sent), body.
    func requests() -> [[String: Any]] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }
            .sorted { Int($0.dropLast(5)) ?? 0 < Int($1.dropLast(5)) ?? 0 }
        return files.compactMap { f in
            (try? Data(contentsOf: dir.appendingPathComponent(f))).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        SMTPSink.wait(process)
        try? FileManager.default.removeItem(at: dir)
    }
}
