import CobroDelivery
import Foundation
import Logging

/// One email the web app sends itself.
public struct OutgoingMail: Sendable {
    public var to: String
    public var subject: String
    public var text: String
    public var attachments: [EmailAttachment]
}

/// Sends the web app's own emails (password resets, fresh portal links, statements on request, scheduled reports)
/// right away over SMTP, outside the dunning outbox: they answer a person waiting at the screen.
public struct Mailer: Sendable {
    public var deliver: @Sendable (OutgoingMail) async throws -> Void

    public init(deliver: @escaping @Sendable (OutgoingMail) async throws -> Void) { self.deliver = deliver }

    public func send(_ to: String, _ subject: String, _ text: String, attachments: [EmailAttachment] = []) async throws {
        try await deliver(OutgoingMail(to: to, subject: subject, text: text, attachments: attachments))
    }

    /// Over the SMTP server of `settings` (`COBRO_SMTP_URL`, `COBRO_SMTP_FROM`); without settings the message is
    /// dropped and the log says so — without its text, which may hold a secret link.
    public static func smtp(_ settings: EmailSettings?, logger: Logger) -> Mailer {
        guard let settings else {
            return Mailer { mail in logger.warning("no SMTP server configured (COBRO_SMTP_URL): email \"\(mail.subject)\" to \(mail.to) not sent") }
        }
        return Mailer { mail in
            let domain = settings.from.address.split(separator: "@").last.map(String.init) ?? "cobro.invalid"
            let message = try EmailMessage(
                from: settings.from, to: [try EmailAddress(address: mail.to)], subject: mail.subject, text: mail.text, attachments: mail.attachments,
                messageID: try EmailMessage.messageID(key: "cobro-web-\(UUID().uuidString)", domain: domain), date: Date())
            _ = try await SMTPClient(settings.smtp).send(from: settings.from.address, to: [mail.to], message: message.rendered())
        }
    }
}
