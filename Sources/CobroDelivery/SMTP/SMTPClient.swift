import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Submits messages over SMTP (RFC 5321): EHLO, optional STARTTLS or implicit TLS, AUTH PLAIN or LOGIN, then one
/// transaction per message. One connection per `send` call (the outbox sends in small batches).
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    let group: any EventLoopGroup

    public init(_ configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// Sends several messages over one connection, in order. Returns one result per message: the server's reply to
    /// the end of DATA, or why that message was refused. A refused message does not stop the others; a broken
    /// connection fails the rest with a temporary error. Fails as a whole only when no connection can be set up.
    public func send(batch: [(from: String, to: [String], message: [UInt8])], timeout: TimeAmount = .seconds(30)) async throws -> [Result<String, DeliveryError>] {
        let session = try await SMTPSession.connect(configuration, group: group, timeout: timeout)
        var results: [Result<String, DeliveryError>] = []
        for item in batch {
            do {
                results.append(.success(try await session.transaction(from: item.from, to: item.to, message: item.message)))
            } catch let e as DeliveryError {
                results.append(.failure(e))
                if case .reply = e {
                    _ = try? await session.command("RSET", expect: [250])
                    continue
                }
                break
            } catch {
                results.append(.failure(.connection("\(error)")))
                break
            }
        }
        while results.count < batch.count { results.append(.failure(.connection("connection lost before this message"))) }
        await session.quit()
        return results
    }

    /// Sends `message` (a complete RFC 5322 message with CRLF line ends) from `from` to `recipients`; returns the
    /// server's reply to the end of DATA (its queue id, when it gives one).
    public func send(from: String, to recipients: [String], message: [UInt8], timeout: TimeAmount = .seconds(30)) async throws -> String {
        let session = try await SMTPSession.connect(configuration, group: group, timeout: timeout)
        do {
            let id = try await session.transaction(from: from, to: recipients, message: message)
            await session.quit()
            return id
        } catch {
            await session.close()
            throw error
        }
    }
}

/// One SMTP connection: replies are read line by line from an `AsyncStream` fed by a channel handler.
final class SMTPSession: @unchecked Sendable {
    let channel: any Channel
    let configuration: SMTPConfiguration
    var lines: AsyncThrowingStream<String, any Error>.AsyncIterator
    var extensions: Set<String> = []

    private init(channel: any Channel, configuration: SMTPConfiguration, lines: AsyncThrowingStream<String, any Error>) {
        self.channel = channel
        self.configuration = configuration
        self.lines = lines.makeAsyncIterator()
    }

    static func connect(_ config: SMTPConfiguration, group: any EventLoopGroup, timeout: TimeAmount) async throws -> SMTPSession {
        let (stream, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let tls = try config.security == .implicitTLS ? makeTLSContext(config) : nil
        let hostname = config.verifyCertificate ? config.host : nil
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture {
                        if let tls { try ch.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname)) }
                        try ch.pipeline.syncOperations.addHandler(SMTPLineHandler(continuation))
                    }
                }
                .connect(host: config.host, port: config.port).get()
        } catch {
            throw DeliveryError.connection("SMTP: cannot connect to \(config.host):\(config.port): \(error)")
        }
        let session = SMTPSession(channel: channel, configuration: config, lines: stream)
        do {
            _ = try await session.expect([220], during: "connect")
            try await session.hello()
            if config.security == .startTLS {
                guard session.extensions.contains("STARTTLS") else {
                    throw DeliveryError.configuration("\(config.host) does not offer STARTTLS; use smtps:// or drop ?starttls=true")
                }
                _ = try await session.command("STARTTLS", expect: [220])
                let context = try makeTLSContext(config)
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname), position: .first)
                }.get()
                try await session.hello()
            }
            if let user = config.username {
                try await session.authenticate(user: user, password: config.password ?? "")
            }
            return session
        } catch {
            await session.close()
            throw error
        }
    }

    static func makeTLSContext(_ config: SMTPConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !config.verifyCertificate { tls.certificateVerification = .none }
        return try NIOSSLContext(configuration: tls)
    }

    func hello() async throws {
        let reply = try await command("EHLO \(configuration.heloName)", expect: [250])
        extensions = Set(reply.dropFirst().map { $0.split(separator: " ").first.map { String($0).uppercased() } ?? "" })
        authMechanisms = Set(reply.dropFirst().filter { $0.uppercased().hasPrefix("AUTH") }.flatMap { $0.uppercased().split(separator: " ").dropFirst().map(String.init) })
    }
    var authMechanisms: Set<String> = []

    func authenticate(user: String, password: String) async throws {
        if authMechanisms.contains("PLAIN") || !authMechanisms.contains("LOGIN") {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            _ = try await command("AUTH PLAIN \(token)", expect: [235], shown: "AUTH PLAIN")
        } else {
            _ = try await command("AUTH LOGIN", expect: [334])
            _ = try await command(Data(user.utf8).base64EncodedString(), expect: [334], shown: "AUTH LOGIN user")
            _ = try await command(Data(password.utf8).base64EncodedString(), expect: [235], shown: "AUTH LOGIN password")
        }
    }

    func transaction(from: String, to recipients: [String], message: [UInt8]) async throws -> String {
        _ = try await command("MAIL FROM:<\(from)>", expect: [250])
        for r in recipients { _ = try await command("RCPT TO:<\(r)>", expect: [250, 251]) }
        _ = try await command("DATA", expect: [354])
        var buffer = channel.allocator.buffer(capacity: message.count + 64)
        buffer.writeBytes(SMTPSession.dotStuffed(message))
        buffer.writeString(".\r\n")
        try await channel.writeAndFlush(buffer)
        let reply = try await expect([250], during: "end of DATA")
        return reply.last ?? ""
    }

    /// Prefixes a dot to every line that starts with one (RFC 5321 §4.5.2) and makes sure the data ends with CRLF.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 64)
        var lineStart = true
        for b in message {
            if lineStart && b == UInt8(ascii: ".") { out.append(b) }
            out.append(b)
            lineStart = b == UInt8(ascii: "\n")
        }
        if !out.suffix(2).elementsEqual([13, 10]) { out.append(contentsOf: [13, 10]) }
        return out
    }

    func command(_ line: String, expect codes: Set<Int>, shown: String? = nil) async throws -> [String] {
        try await channel.writeAndFlush(channel.allocator.buffer(string: line + "\r\n"))
        return try await expect(codes, during: shown ?? line)
    }

    /// Reads one (possibly multi-line) reply; throws unless its code is in `codes`. Returns the reply texts.
    func expect(_ codes: Set<Int>, during: String) async throws -> [String] {
        var texts: [String] = []
        while true {
            guard let line = try await lines.next() else { throw DeliveryError.connection("the server closed the connection during \(during)") }
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw DeliveryError.connection("unexpected reply \"\(line)\" during \(during)") }
            texts.append(String(line.dropFirst(4)))
            if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
            guard codes.contains(code) else { throw DeliveryError.reply(code: code, text: texts.joined(separator: " "), during: during) }
            return texts
        }
    }

    func quit() async {
        _ = try? await command("QUIT", expect: [221])
        await close()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Splits inbound bytes into CRLF-terminated lines and hands them to the session.
final class SMTPLineHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncThrowingStream<String, any Error>.Continuation
    var pending: [UInt8] = []

    init(_ continuation: AsyncThrowingStream<String, any Error>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        while let lf = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = pending[..<lf]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            continuation.yield(String(decoding: line, as: UTF8.self))
            pending.removeSubrange(...lf)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: DeliveryError.connection("\(error)"))
        context.close(promise: nil)
    }
}
