import Foundation

/// A company's own delivery channels, set through the settings API (`/api/v1/settings/channels`). The keys are the
/// environment variables of the CLI without their `COBRO_` prefix, in lower case; a key a company sets replaces the
/// environment's value for that company's messages, a key it leaves out falls back to the environment.
public enum ChannelSettings {
    /// Setting key → environment variable.
    public static let variables: [String: String] = [
        "smtp_url": "COBRO_SMTP_URL", "smtp_from": "COBRO_SMTP_FROM", "letter_dir": "COBRO_LETTER_DIR", "sms_url": "COBRO_SMS_URL",
        "sms_auth": "COBRO_SMS_AUTH", "sms_format": "COBRO_SMS_FORMAT", "sms_from": "COBRO_SMS_FROM", "sms_success": "COBRO_SMS_SUCCESS",
    ]

    /// What the API shows instead of a secret.
    public static let hidden = "********"

    /// The environment with the company's settings laid over it.
    public static func environment(_ company: [String: String], over environment: [String: String]) -> [String: String] {
        var env = environment
        for (key, value) in company { if let name = variables[key] { env[name] = value } }
        return env
    }

    /// The delivery settings for a company.
    public static func resolve(_ company: [String: String], environment: [String: String]) throws -> DeliverySettings {
        try DeliverySettings.fromEnvironment(Self.environment(company, over: environment))
    }

    /// Every problem with `values` on its own (unknown keys, malformed URLs, addresses, formats), by key.
    public static func validate(_ values: [String: String]) -> [(field: String, message: String)] {
        var problems: [(String, String)] = []
        for key in values.keys.sorted() where variables[key] == nil {
            problems.append((key, "unknown setting; valid settings: \(variables.keys.sorted().joined(separator: ", "))"))
        }
        let env = environment(values.filter { variables[$0.key] != nil }, over: [:])
        func check(_ field: String, _ body: () throws -> Void) {
            do { try body() } catch {
                var text = "\(error)"
                for (key, name) in variables { text = text.replacing(name, with: key) }
                problems.append((field, text))
            }
        }
        if values["smtp_url"] != nil || values["smtp_from"] != nil {
            if values["smtp_url"] == nil { problems.append(("smtp_url", "set smtp_url together with smtp_from")) }
            else { check("smtp_url") { _ = try EmailSettings.fromEnvironment(env) } }
        }
        if values["sms_url"] != nil || values.keys.contains(where: { $0.hasPrefix("sms_") }) {
            if values["sms_url"] == nil { problems.append(("sms_url", "set sms_url for the other sms_ settings to apply")) }
            else { check("sms_url") { _ = try SMSGateway.fromEnvironment(env) } }
        }
        if let dir = values["letter_dir"], !dir.hasPrefix("/") {
            problems.append(("letter_dir", "\"\(dir)\" is not an absolute path on the server, e.g. /var/lib/cobro/letters"))
        }
        return problems
    }

    /// `values` as the API shows them: the SMTP password and the SMS authorization replaced by ``hidden``.
    public static func redacted(_ values: [String: String]) -> [String: String] {
        var out = values
        if out["sms_auth"] != nil { out["sms_auth"] = hidden }
        if let url = out["smtp_url"], var u = URLComponents(string: url), u.password != nil {
            u.password = hidden
            out["smtp_url"] = u.string ?? url
        }
        return out
    }

    /// A new set of values where a secret sent back as shown (``hidden``) keeps its saved value, so a client can
    /// PUT what it got from GET.
    public static func keepingSecrets(_ new: [String: String], saved: [String: String]) -> [String: String] {
        var out = new
        if out["sms_auth"] == hidden { out["sms_auth"] = saved["sms_auth"] }
        if let url = out["smtp_url"], var u = URLComponents(string: url), u.password == hidden {
            u.password = saved["smtp_url"].flatMap { URLComponents(string: $0)?.password }
            out["smtp_url"] = u.string ?? url
        }
        return out
    }
}
