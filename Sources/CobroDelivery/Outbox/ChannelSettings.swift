import Foundation

/// A company's own delivery channels, set through the settings API (`/api/v1/settings/channels`). The keys are the
/// environment variables of the CLI without their `COBRO_` prefix, in lower case.
///
/// A channel is taken **whole**: a company that sets any `smtp_` key sends email only with its own SMTP settings,
/// one that sets any `sms_` key sends SMS only through its own gateway (so the operator's credentials never go to a
/// server a company named); a channel the company leaves alone uses the environment's. `letter_dir` is a folder name
/// under the operator's `COBRO_LETTER_DIR` (never a path of the company's choosing).
public enum ChannelSettings {
    /// Setting key → environment variable.
    public static let variables: [String: String] = [
        "smtp_url": "COBRO_SMTP_URL", "smtp_from": "COBRO_SMTP_FROM", "letter_dir": "COBRO_LETTER_DIR", "sms_url": "COBRO_SMS_URL",
        "sms_auth": "COBRO_SMS_AUTH", "sms_format": "COBRO_SMS_FORMAT", "sms_from": "COBRO_SMS_FROM", "sms_success": "COBRO_SMS_SUCCESS",
    ]

    /// What the API shows instead of a secret.
    public static let hidden = "********"

    /// The environment with the company's channels in place of the operator's (each channel whole).
    public static func environment(_ company: [String: String], over environment: [String: String]) -> [String: String] {
        var env = environment
        for prefix in ["smtp_", "sms_"] where company.keys.contains(where: { $0.hasPrefix(prefix) }) {
            for (key, name) in variables where key.hasPrefix(prefix) { env[name] = company[key] }
        }
        if let folder = company["letter_dir"] {
            env["COBRO_LETTER_DIR"] = environment["COBRO_LETTER_DIR"].map { URL(fileURLWithPath: $0).appendingPathComponent(folder).path }
        }
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
        if let dir = values["letter_dir"] {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
            if dir.isEmpty || dir.count > 64 || dir.unicodeScalars.contains(where: { !allowed.contains($0) }) {
                problems.append(("letter_dir", "\"\(dir)\" is not a folder name (letters, digits, - and _, at most 64); letters go to that folder under the server's COBRO_LETTER_DIR"))
            }
        }
        return problems
    }

    /// `values` as the API shows them: passwords in URLs and the SMS authorization replaced by ``hidden``.
    public static func redacted(_ values: [String: String]) -> [String: String] {
        var out = values
        if out["sms_auth"] != nil { out["sms_auth"] = hidden }
        for key in ["smtp_url", "sms_url"] {
            if let url = out[key], var u = URLComponents(string: url), u.password != nil {
                u.password = hidden
                out[key] = u.string ?? url
            }
        }
        return out
    }

    /// A new set of values where a secret sent back as shown (``hidden``) keeps its saved value, so a client can
    /// PUT what it got from GET — but only while the server it belongs to is unchanged: a secret never follows a
    /// changed host or URL (that would hand it to a server of the sender's choosing). `nil` entries of the result's
    /// problems name a hidden secret that cannot be kept.
    public static func keepingSecrets(_ new: [String: String], saved: [String: String]) -> (values: [String: String], problems: [(field: String, message: String)]) {
        var out = new
        var problems: [(String, String)] = []
        if out["sms_auth"] == hidden {
            if new["sms_url"] == saved["sms_url"], let secret = saved["sms_auth"] { out["sms_auth"] = secret } else {
                problems.append(("sms_auth", "give the authorization again: the saved one is kept only while sms_url is unchanged"))
            }
        }
        for key in ["smtp_url", "sms_url"] {
            guard let url = out[key], var u = URLComponents(string: url), u.password == hidden else { continue }
            var before = saved[key].flatMap { URLComponents(string: $0) }
            let password = before?.password
            before?.password = hidden
            if let password, before?.string == u.string {
                u.password = password
                out[key] = u.string ?? url
            } else {
                problems.append((key, "give the password again: the saved one is kept only while the rest of \(key) is unchanged"))
            }
        }
        return (out, problems)
    }
}
