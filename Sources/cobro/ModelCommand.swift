import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// `cobro model`: the payment-prediction model (issue 6).
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "The payment-prediction model: train it on the company's own history (risk scores for the worklist), evaluate it out of time.",
        subcommands: [ModelTrainCommand.self, ModelEvaluateCommand.self])
}

struct ModelEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Train on invoices issued before --cut-date (with what was known then), test on later ones, next to two baselines.")
    @Option(name: .customLong("cut-date"), help: "The split day (YYYY-MM-DD).") var cutDate: String
    @Option(name: .customLong("late-days"), help: "Late = settled more than this many days after due (default 0).") var lateDays: Int = 0
    @Option(name: .customLong("as-of"), help: "Outcomes known by this day count (YYYY-MM-DD; default today), e.g. the last day of a historical ledger.")
    var asOf: String?
    @Option(help: "table or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard let cut = try parseDate(cutDate, flag: "--cut-date") else { throw CLIError("--cut-date is required (YYYY-MM-DD)") }
        let dataEnd = try parseDate(asOf, flag: "--as-of")
        if let dataEnd, dataEnd <= cut { throw CLIError("--as-of \(dataEnd.iso) must be after --cut-date \(cut.iso)") }
        guard (0...365).contains(lateDays) else { throw CLIError("--late-days \(lateDays) must be from 0 to 365") }
        if format == .csv { throw CLIError("--format csv is not available for an evaluation; use table or json") }
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = dataEnd ?? Clock.system.today(in: co.timezone)
            let status = StepProgress(label: "model evaluate")
            defer { status.finish() }
            status.begin("reading the ledger")
            let (invoices, events) = try await db.read { c in
                (try await PredictionStore.invoices(c, company: co.id), try await PredictionStore.events(c, company: co.id))
            }
            status.begin("training on the invoices issued before \(cut.iso), testing on the later ones")
            let report = ModelEvaluation.run(invoices, events: events, cutDate: cut, dataEnd: today, lateDays: lateDays)
            status.finish()
            guard let r = report else {
                throw CLIError("--cut-date \(cut.iso): fewer than 20 invoices with a known outcome on one side of it; choose a date inside the history")
            }
            return format == .json ? ModelRendering.evaluationJSON(r).render(pretty: true) + "\n" : ModelRendering.evaluationTable(r)
        }
        printOut(out)
    }
}

struct ModelTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train on everything known today, store the version with its out-of-time evaluation, and score every customer with an open invoice.")
    @Option(name: .customLong("late-days"), help: "Late = settled more than this many days after due (default 0).") var lateDays: Int = 0
    @Option(name: .customLong("as-of"), help: "Train as of this day (YYYY-MM-DD; default today), e.g. on a historical ledger.") var asOf: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard (0...365).contains(lateDays) else { throw CLIError("--late-days \(lateDays) must be from 0 to 365") }
        let day = try parseDate(asOf, flag: "--as-of")
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = day ?? Clock.system.today(in: co.timezone)
            let status = StepProgress(label: "model train")
            defer { status.finish() }
            let trained = try await ModelStore.train(
                db, company: co.id, today: today, lateDays: lateDays, actor: "cli", now: Clock.system.nowMillis(), progress: status.begin)
            status.finish()
            guard let t = trained else { throw CLIError("fewer than 20 invoices with a known outcome: nothing to learn from yet") }
            var text = "model version \(t.version): trained on \(t.trainingRows) invoices; \(t.customersScored) customers scored (the worklist uses them now); \(t.alerts) risk alerts\n"
            if let e = t.evaluation {
                text += "evaluated out of time at \(t.evaluationCut.iso): AUC \(ModelRendering.text(e.model.auc)), accuracy \(ModelRendering.text(e.model.accuracy)), "
                    + "F1 late \(ModelRendering.text(e.model.f1Late)), MAE days late \(ModelRendering.text(e.model.maeDaysLate, 2)) (n_test \(e.nTest))\n"
            } else {
                text += "not evaluated: too little history before \(t.evaluationCut.iso)\n"
            }
            text += "Took: " + t.phases.map { "\($0.name) \(DunningRendering.seconds($0.duration)) s" }.joined(separator: ", ") + "\n"
            return text
        }
        printOut(out)
    }
}

struct CashForecastReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cash-forecast", abstract: "Expected collections per week and currency, from the payment model's expected payment dates.")
    @Option(help: "How many weeks (1–52, default 13).") var weeks: Int = 13
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard (1...52).contains(weeks) else { throw CLIError("--weeks \(weeks) must be from 1 to 52") }
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = Clock.system.today(in: co.timezone)
            guard let (version, f) = try await db.read({ c in try await ModelStore.cashForecast(c, company: co.id, today: today, weeks: weeks) }) else {
                throw CLIError("no payment model has been trained yet: run cobro model train first")
            }
            switch format {
            case .csv: return ModelRendering.forecastCSV(f)
            case .json: return ModelRendering.forecastJSON(f, today: today, version: version).render(pretty: true) + "\n"
            case .table: return ModelRendering.forecastTable(f, today: today, version: version)
            }
        }
        printOut(out)
    }
}

struct ForecastAccuracyReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast-accuracy", abstract: "A kept cash forecast against the payments received in its weeks.")
    @Option(name: .customLong("made-on"), help: "The day the forecast was made (YYYY-MM-DD; default: the latest made at least a week ago).")
    var madeOn: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let day = try parseDate(madeOn, flag: "--made-on")
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = Clock.system.today(in: co.timezone)
            guard let r = try await db.read({ c in try await ModelStore.forecastAccuracy(c, company: co.id, madeOn: day, today: today) }) else {
                throw CLIError(day.map { "no cash forecast was kept on \($0.iso)" } ?? "no cash forecast has been kept yet: each cobro model train keeps one")
            }
            switch format {
            case .csv: return ModelRendering.accuracyCSV(r)
            case .json: return ModelRendering.accuracyJSON(r, today: today).render(pretty: true) + "\n"
            case .table: return ModelRendering.accuracyTable(r, today: today)
            }
        }
        printOut(out)
    }
}
