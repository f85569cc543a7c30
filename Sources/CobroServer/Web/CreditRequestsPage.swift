import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// Credit-limit requests waiting for a decision; managers approve or reject (four eyes: never their own).
struct CreditRequestsPage: Sendable {
    struct Row: Sendable {
        var id: Int64
        var ref: String
        var current: String
        var requested: String
        var reason: String
        var requestedBy: String
    }
    var rows: [Row]
    var empty: Bool
    var mayDecide: Bool
}

extension WebApp {
    @Sendable func creditRequests(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company.id, f = w.format
        let pending = try await db.read { c in try await CreditStore.requests(c, company: co, status: "pending", after: 0, limit: 200) }
        let rows = pending.map { r in
            CreditRequestsPage.Row(
                id: r.id, ref: r.customerRef, current: r.currentMinor.map { f.money($0, r.currency) } ?? w.t("none"), requested: f.money(r.requestedMinor, r.currency),
                reason: r.reason, requestedBy: r.requestedBy)
        }
        return WebRenderer.shared.html(
            "credit", w.model("credit_title", current: "/app/credit-requests", CreditRequestsPage(rows: rows, empty: rows.isEmpty, mayDecide: w.user.role.mayApprove)))
    }

    @Sendable func approveRequest(_ req: Request, ctx: AppRequestContext) async throws -> Response { try await decide(req, ctx, approve: true) }
    @Sendable func rejectRequest(_ req: Request, ctx: AppRequestContext) async throws -> Response { try await decide(req, ctx, approve: false) }

    func decide(_ req: Request, _ ctx: AppRequestContext, approve: Bool) async throws -> Response {
        let w = try WebRequest(req, ctx)
        guard w.user.role.mayApprove else { throw Problem(.forbidden, "Forbidden", detail: w.t("forbidden")) }
        guard let id = Int64(try ctx.parameters.require("id")) else { throw Problem.notFound("no such request") }
        let note = ctx.form?.string("note")
        do {
            _ = try await db.transaction { c in
                try await CreditStore.decide(c, company: w.company.id, id: id, approve: approve, note: note, actor: "user:\(w.user.email)", now: clock.nowMillis())
            }
        } catch let e as FourEyesViolation {
            return WebResponse.redirect("/app/credit-requests", notice: e.message)
        } catch let e as StoreError {
            return WebResponse.redirect("/app/credit-requests", notice: e.description)
        }
        return WebResponse.redirect("/app/credit-requests", notice: w.t(approve ? "approved" : "rejected"))
    }
}
