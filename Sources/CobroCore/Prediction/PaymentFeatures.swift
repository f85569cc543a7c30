import Foundation

/// One receivable as the payment model sees it: what was known when it was issued, and (for training and testing)
/// how it ended.
public struct ModelInvoice: Sendable, Hashable {
    public var customer: Int64
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var amountMinor: Int64
    /// Paper (letter, post) rather than electronic billing.
    public var paperBilling: Bool
    /// The day it was fully settled; `nil` while open.
    public var settledOn: LocalDate?
    /// Still open now, in ``currency`` (for the cash forecast).
    public var openMinor: Int64
    public var currency: Currency?

    public init(
        customer: Int64, issueDate: LocalDate, dueDate: LocalDate, amountMinor: Int64, paperBilling: Bool = false, settledOn: LocalDate?,
        openMinor: Int64 = 0, currency: Currency? = nil
    ) {
        self.openMinor = openMinor
        self.currency = currency
        self.customer = customer
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.amountMinor = amountMinor
        self.paperBilling = paperBilling
        self.settledOn = settledOn
    }

    public var daysLate: Int? { settledOn.map { $0.days(since: dueDate) } }
    /// More than `lateDays` past due on `day`, so whether it is late is known then: paid after that point or not yet.
    public func canBeLate(by day: LocalDate, lateDays: Int) -> Bool { day.days(since: dueDate) > lateDays }
    public var daysToSettle: Int? { settledOn.map { $0.days(since: issueDate) } }
}

/// What happened with a customer besides invoices and payments, for the payment model: its disputes (opened, and
/// closed if they were) and the days its promises to pay were found broken.
public struct CustomerEvents: Sendable, Hashable {
    public struct Dispute: Sendable, Hashable {
        public var opened: LocalDate
        public var closed: LocalDate?
        public init(opened: LocalDate, closed: LocalDate?) {
            self.opened = opened
            self.closed = closed
        }
    }
    public var disputes: [Dispute]
    public var brokenPromises: [LocalDate]

    public init(disputes: [Dispute] = [], brokenPromises: [LocalDate] = []) {
        self.disputes = disputes
        self.brokenPromises = brokenPromises
    }

    /// Counts known strictly before `day`: disputes opened, disputes still open (opened and not closed), promises broken.
    func counts(before day: LocalDate) -> (disputes: Int, openDisputes: Int, broken: Int) {
        var opened = 0, open = 0
        for d in disputes where d.opened < day {
            opened += 1
            if d.closed.map({ $0 >= day }) ?? true { open += 1 }
        }
        return (opened, open, brokenPromises.filter { $0 < day }.count)
    }
}

/// The features of an invoice computed only from what was known on its issue date (issue 6, point 1: never
/// look-ahead): the customer's invoices settled strictly before that day, and those issued before it and still open.
public enum PaymentFeatures {
    /// Feature names, in vector order.
    public static let names = [
        "history_count_log", "mean_days_late", "weighted_days_late", "share_late", "recent_days_late_trend",
        "amount_vs_usual_log", "terms_days", "paper_billing", "customer_age_days_log", "open_items_log", "open_exposure_vs_usual_log",
        "due_at_month_end", "due_weekday_monday", "due_weekday_friday", "no_history",
        "past_disputes_log", "open_disputes", "broken_promises_log",
    ]

    /// One feature vector per invoice of `invoices`, in the same order; an invoice counts as late when it was
    /// settled more than `lateDays` days after its due date. `events` are each customer's disputes and broken promises.
    public static func vectors(_ invoices: [ModelInvoice], lateDays: Int, events: [Int64: CustomerEvents] = [:]) -> [[Double]] {
        var out = Array(repeating: [Double](), count: invoices.count)
        let byCustomer = Dictionary(grouping: invoices.indices, by: { invoices[$0].customer })
        for (_, indices) in byCustomer {
            let issued = indices.sorted { (invoices[$0].issueDate, $0) < (invoices[$1].issueDate, $1) }
            let settled = indices.filter { invoices[$0].settledOn != nil }.sorted { (invoices[$0].settledOn!, $0) < (invoices[$1].settledOn!, $1) }
            var s = 0  // settled[..<s] are settled before the current issue date
            var count = 0.0, sumLate = 0.0, sumWeightedLate = 0.0, sumWeight = 0.0, lateCount = 0.0
            var recent: [Double] = []
            var sumAmount = 0.0, seen = 0.0
            let first = invoices[issued[0]].issueDate
            for (k, i) in issued.enumerated() {
                let inv = invoices[i]
                while s < settled.count, invoices[settled[s]].settledOn! < inv.issueDate {
                    let done = invoices[settled[s]]
                    let late = Double(done.daysLate!)
                    count += 1
                    sumLate += late
                    sumWeightedLate += late * Double(done.amountMinor)
                    sumWeight += Double(done.amountMinor)
                    if done.daysLate! > lateDays { lateCount += 1 }
                    recent.append(late)
                    if recent.count > 3 { recent.removeFirst() }
                    s += 1
                }
                // Open on the issue day: issued earlier and not settled before it.
                var openCount = 0.0, openAmount = 0.0
                for j in issued[..<k] where (invoices[j].settledOn.map { $0 >= inv.issueDate } ?? true) {
                    openCount += 1
                    openAmount += Double(invoices[j].amountMinor)
                }
                let usual = seen > 0 ? sumAmount / seen : Double(inv.amountMinor)
                let mean = count > 0 ? sumLate / count : 0
                let recentMean = recent.isEmpty ? mean : recent.reduce(0, +) / Double(recent.count)
                let due = inv.dueDate
                let known = events[inv.customer]?.counts(before: inv.issueDate) ?? (disputes: 0, openDisputes: 0, broken: 0)
                out[i] = [
                    log1p(count), mean, sumWeight > 0 ? sumWeightedLate / sumWeight : 0, count > 0 ? lateCount / count : 0, recentMean - mean,
                    logRatio(Double(inv.amountMinor), usual), Double(due.days(since: inv.issueDate)), inv.paperBilling ? 1 : 0,
                    log1p(Double(max(0, inv.issueDate.days(since: first)))), log1p(openCount), logRatio(openAmount + 1, usual + 1),
                    due.day >= due.daysInMonth - 2 ? 1 : 0, due.isoWeekday == 1 ? 1 : 0, due.isoWeekday == 5 ? 1 : 0, count == 0 ? 1 : 0,
                    log1p(Double(known.disputes)), Double(known.openDisputes), log1p(Double(known.broken)),
                ]
                sumAmount += Double(inv.amountMinor)
                seen += 1
            }
        }
        return out
    }

    static func logRatio(_ a: Double, _ b: Double) -> Double { a > 0 && b > 0 ? log(a / b) : 0 }
}
