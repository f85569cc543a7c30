import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1/reports/contactability`, `/reports/disputes` and `/reports/default-reasons` (`format=json|csv`).
struct CollectionsReportsController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("reports/contactability", use: contactability)
        api.get("reports/disputes", use: disputes)
        api.get("reports/default-reasons", use: defaultReasons)
        api.get("reports/plans", use: plans)
        api.get("reports/discounts", use: discounts)
    }


    /// The period `from`…`to` (default: the last 30 days) and the format.
    func period(_ req: Request, _ co: CompanyRecord) throws -> (from: LocalDate, to: LocalDate, format: WireFormat) {
        var q = QueryInput(req)
        let to = q.date("to") ?? clock.today(in: co.timezone)
        let from = q.date("from") ?? to.adding(days: -29)
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        if from > to { q.errors.append(.init(field: "from", message: "\(from.iso) is after to (\(to.iso))")) }
        try q.check()
        return (from, to, format)
    }

    @Sendable func contactability(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let (from, to, format) = try period(req, co)
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let r = try await db.read { c in try await CollectionsReportStore.contactability(c, company: co.id, timeZone: tz, from: from, to: to) }
        if format == .csv { return .text(CollectionsReportRendering.contactabilityCSV(r), contentType: "text/csv; charset=utf-8") }
        return .json(CollectionsReportRendering.contactabilityJSON(from: from, to: to, r))
    }

    @Sendable func disputes(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let today = q.date("as_of") ?? clock.today(in: co.timezone)
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let rows = try await db.read { c in try await CollectionsReportStore.openDisputes(c, company: co.id, timeZone: tz, today: today) }
        if format == .csv { return .text(CollectionsReportRendering.disputesCSV(rows), contentType: "text/csv; charset=utf-8") }
        return .json(CollectionsReportRendering.disputesJSON(today: today, rows))
    }

    @Sendable func defaultReasons(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let (from, to, format) = try period(req, co)
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let rows = try await db.read { c in try await CollectionsReportStore.defaultReasons(c, company: co.id, timeZone: tz, from: from, to: to) }
        if format == .csv { return .text(CollectionsReportRendering.reasonsCSV(rows), contentType: "text/csv; charset=utf-8") }
        return .json(CollectionsReportRendering.reasonsJSON(from: from, to: to, rows))
    }

    /// Plans started `from`…`to` (default: the 365 days ending today), evaluated as of `to` or today if earlier.
    @Sendable func plans(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let to = q.date("to") ?? clock.today(in: co.timezone)
        let from = q.date("from") ?? to.adding(days: -364)
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        if from > to { q.errors.append(.init(field: "from", message: "\(from.iso) is after to (\(to.iso))")) }
        try q.check()
        let r = try await db.read { c in try await CollectionsReportStore.planPerformance(c, company: co.id, from: from, to: to, asOf: min(to, clock.today(in: co.timezone))) }
        if format == .csv { return .text(PlanPromiseReportRendering.plansCSV(r), contentType: "text/csv; charset=utf-8") }
        return .json(PlanPromiseReportRendering.plansJSON(from: from, to: to, asOf: min(to, clock.today(in: co.timezone)), r))
    }

    /// Invoices on discount terms issued `from`…`to` (default: the 90 days ending today), as of `as_of` (default today).
    @Sendable func discounts(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let today = clock.today(in: co.timezone)
        let to = q.date("to") ?? today
        let from = q.date("from") ?? to.adding(days: -89)
        let asOf = q.date("as_of") ?? today
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        if from > to { q.errors.append(.init(field: "from", message: "\(from.iso) is after to (\(to.iso))")) }
        if asOf < to { q.errors.append(.init(field: "as_of", message: "\(asOf.iso) is before to (\(to.iso)); invoices must be issued by the day they are judged")) }
        try q.check()
        let groups = try await db.read { c in try await CollectionsReportStore.discountEffectiveness(c, company: co.id, from: from, to: to, asOf: asOf) }
        if format == .csv { return .text(DiscountReportRendering.csv(groups), contentType: "text/csv; charset=utf-8") }
        return .json(DiscountReportRendering.json(from: from, to: to, asOf: asOf, groups))
    }
}
