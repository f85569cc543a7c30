import CobroDelivery
import Foundation
import Logging

/// Sends the web app's own emails (password resets, fresh portal links) right away over SMTP, outside the dunning
/// outbox: they answer a person waiting at the screen.
public struct Mailer: Sendable {
    public var send: @Sendable (_ to: String, _ subject: String, _ text: String) async throws -> Void

    public init(send: @escaping @Sendable (_ to: String, _ subject: String, _ text: String) async throws -> Void) { self.send = send }

    /// Over the SMTP server of `settings` (`COBRO_SMTP_URL`, `COBRO_SMTP_FROM`); without settings the message is
    /// dropped and the log says so — without its text, which may hold a secret link.
    public static func smtp(_ settings: EmailSettings?, logger: Logger) -> Mailer {
        guard let settings else {
            return Mailer { to, subject, _ in logger.warning("no SMTP server configured (COBRO_SMTP_URL): email \"\(subject)\" to \(to) not sent") }
        }
        return Mailer { to, subject, text in
            let domain = settings.from.address.split(separator: "@").last.map(String.init) ?? "cobro.invalid"
            let message = try EmailMessage(
                from: settings.from, to: [try EmailAddress(address: to)], subject: subject, text: text,
                messageID: try EmailMessage.messageID(key: "cobro-web-\(UUID().uuidString)", domain: domain), date: Date())
            _ = try await SMTPClient(settings.smtp).send(from: settings.from.address, to: [to], message: message.rendered())
        }
    }
}
