import CobroCore
import Foundation

/// JSON and table forms of `cobro model evaluate`.
public enum ModelRendering {
    static func num(_ v: Double?, _ digits: Int = 4) -> JSONValue { v.map { .number(String(format: "%.\(digits)f", $0)) } ?? .null }
    public static func text(_ v: Double?, _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }

    static func scoresFields(_ s: ModelEvaluation.Scores) -> [(String, JSONValue)] {
        [("auc", num(s.auc)), ("accuracy", num(s.accuracy)), ("precision_late", num(s.precisionLate)), ("recall_late", num(s.recallLate)),
         ("f1_late", num(s.f1Late)), ("brier", num(s.brier)), ("mae_days_late", num(s.maeDaysLate, 2)),
         ("mae_days_late_late_only", num(s.maeDaysLateLateOnly, 2)), ("rmse_days_to_settle", num(s.rmseDaysToSettle, 2))]
    }

    public static func evaluationJSON(_ r: ModelEvaluation.Report) -> JSONValue {
        .object(
            [("cut_date", .string(r.cutDate.iso)), ("late_days", .int(Int64(r.lateDays))), ("n_train", .int(Int64(r.nTrain))), ("n_test", .int(Int64(r.nTest))),
             ("late_share_test", num(r.lateShareTest))]
                + scoresFields(r.model)
                + [("calibration", .array(r.calibration.map { b in
                    .object([("low", num(b.low, 1)), ("high", num(b.high, 1)), ("count", .int(Int64(b.count))), ("mean_predicted", num(b.meanPredicted)),
                             ("observed_late", num(b.observedLate))])
                })),
                   ("baselines", .object(r.baselines.map { ($0.name, .object(scoresFields($0.scores))) }))])
    }

    public static func evaluationTable(_ r: ModelEvaluation.Report) -> String {
        var out = "Payment model, out of time: trained on \(r.nTrain) invoices issued before \(r.cutDate.iso), tested on \(r.nTest) issued since\n"
        out += "(late = settled more than \(r.lateDays) days after due; \(text(r.lateShareTest * 100, 1)) % of the test set was late)\n\n"
        let rows = ([("model", r.model)] + r.baselines).map { name, s in
            [name, text(s.auc), text(s.accuracy), text(s.precisionLate), text(s.recallLate), text(s.f1Late), text(s.brier), text(s.maeDaysLate, 2),
             text(s.maeDaysLateLateOnly, 2), text(s.rmseDaysToSettle, 2)]
        }
        out += TextTable(
            headers: ["", "AUC", "accuracy", "precision", "recall", "F1 late", "Brier", "MAE days", "MAE late", "RMSE settle"], rows: rows,
            rightAligned: Set(1...9)).render()
        out += "\nCalibration\n"
        out += TextTable(
            headers: ["predicted", "invoices", "mean predicted", "observed late"],
            rows: r.calibration.map { ["\(text($0.low, 1))–\(text($0.high, 1))", String($0.count), text($0.meanPredicted), text($0.observedLate)] },
            rightAligned: [1, 2, 3]).render()
        return out
    }
}
