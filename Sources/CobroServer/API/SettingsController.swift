import CobroCore
import CobroDelivery
import CobroStore
import Hummingbird

/// `/api/v1/settings/channels`: the company's own delivery channels (SMTP server and sender, SMS gateway, letter
/// folder). Keys left out fall back to the server's environment (``ChannelSettings``). Secrets are never shown.
struct SettingsController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("settings/channels", use: get)
        api.put("settings/channels", use: put)
    }

    static func render(_ values: [String: String]) -> JSONValue {
        .object(ChannelSettings.redacted(values).sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    @Sendable func get(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let values = try await db.read { c in try await ChannelSettingsStore.get(c, company: co.id) }
        return .json(Self.render(values))
    }

    /// Replaces the settings with the body (an object of strings; `{}` clears them). A secret sent back as shown
    /// (`********`) keeps its saved value.
    @Sendable func put(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let j = try await JSONInput.parse(req)
        var values: [String: String] = [:]
        var errors: [Problem.FieldError] = []
        for (key, value) in j.object {
            switch value {
            case .string(let s) where !s.trimmingCharacters(in: .whitespaces).isEmpty: values[key] = s.trimmingCharacters(in: .whitespaces)
            case .null, .string: continue
            default: errors.append(.init(field: key, message: "expected a string"))
            }
        }
        let saved = try await db.read { c in try await ChannelSettingsStore.get(c, company: co.id) }
        let kept = ChannelSettings.keepingSecrets(values, saved: saved)
        values = kept.values
        errors += kept.problems.map { Problem.FieldError(field: $0.field, message: $0.message) }
        errors += ChannelSettings.validate(values).map { Problem.FieldError(field: $0.field, message: $0.message) }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        let final = values
        try await db.transaction { c in
            try await ChannelSettingsStore.save(
                c, company: co.id, values: final, shown: ChannelSettings.redacted(final), before: ChannelSettings.redacted(saved), actor: ctx.actor,
                now: clock.nowMillis())
        }
        return .json(Self.render(final))
    }
}
