import CobroDelivery
import Foundation
import Testing

/// A company's channel settings replace the environment's channel by channel, never key by key.
@Suite("Channel settings") struct ChannelSettingsTests {
    let operator_ = [
        "COBRO_SMTP_URL": "smtp://op:secret@mail.operator.example:587", "COBRO_SMTP_FROM": "noreply@operator.example",
        "COBRO_SMS_URL": "https://sms.operator.example/send", "COBRO_SMS_AUTH": "Bearer operator-token", "COBRO_LETTER_DIR": "/srv/letters",
    ]

    @Test("a company's own SMS gateway never receives the operator's authorization")
    func smsWhole() throws {
        let env = ChannelSettings.environment(["sms_url": "https://sms.company.example/x"], over: operator_)
        #expect(env["COBRO_SMS_URL"] == "https://sms.company.example/x")
        #expect(env["COBRO_SMS_AUTH"] == nil)
        // Email untouched: still the operator's.
        #expect(env["COBRO_SMTP_URL"] == operator_["COBRO_SMTP_URL"])
        let settings = try ChannelSettings.resolve(["sms_url": "https://sms.company.example/x"], environment: operator_)
        #expect(settings.sms?.authorization == nil)
    }

    @Test("a company's SMTP server comes with its own sender; the letter folder is a folder under the operator's")
    func smtpAndLetters() throws {
        let settings = try ChannelSettings.resolve(
            ["smtp_url": "smtp://mail.company.example", "smtp_from": "cobranza@company.example", "letter_dir": "acme"], environment: operator_)
        #expect(settings.email?.smtp.host == "mail.company.example" && settings.email?.smtp.password == nil)
        #expect(settings.email?.from.address == "cobranza@company.example")
        #expect(settings.letterDirectory?.path == "/srv/letters/acme")
        // Without an operator folder, a company's folder name leads nowhere.
        #expect(try ChannelSettings.resolve(["letter_dir": "acme"], environment: [:]).letterDirectory == nil)
    }

    @Test("validation: folder names only, a channel's URL required, unknown keys named")
    func validation() {
        let problems = ChannelSettings.validate(["letter_dir": "../../etc", "sms_auth": "x", "smtp_from": "a@b.example", "colour": "red"])
        #expect(Set(problems.map(\.field)) == ["letter_dir", "sms_url", "smtp_url", "colour"])
        #expect(ChannelSettings.validate(["letter_dir": "acme-2026", "smtp_url": "smtps://mail.example.com", "smtp_from": "a@b.example"]).isEmpty)
    }

    @Test("secrets are hidden, and kept on a PUT back only while their server is unchanged")
    func secrets() {
        let saved = ["smtp_url": "smtp://ana:s3cret@mail.example.com:587", "sms_url": "https://sms.example.com/send", "sms_auth": "Bearer t"]
        let shown = ChannelSettings.redacted(saved)
        #expect(shown["smtp_url"] == "smtp://ana:\(ChannelSettings.hidden)@mail.example.com:587" && shown["sms_auth"] == ChannelSettings.hidden)
        let back = ChannelSettings.keepingSecrets(shown, saved: saved)
        #expect(back.problems.isEmpty && back.values == saved)
        var moved = shown
        moved["smtp_url"] = "smtp://ana:\(ChannelSettings.hidden)@evil.example:587"
        moved["sms_url"] = "https://evil.example/send"
        #expect(Set(ChannelSettings.keepingSecrets(moved, saved: saved).problems.map(\.field)) == ["smtp_url", "sms_auth"])
    }
}
