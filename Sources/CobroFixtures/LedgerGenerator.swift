import CobroCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic generator of realistic receivables ledgers: `customers.csv`, `invoices.csv` and `payments.csv`.
///
/// The same ``Config`` (seed included) always produces byte-identical text. Customers get a currency, a country,
/// language and time zone that fit it, a segment, terms, a preferred payment method and a payment behaviour
/// (prompt, slightly late, chronic late, deteriorating, bad debtor). Documents are emitted in issue-date order
/// (so document numbers grow with dates) by merging every customer's own sorted stream of issue dates; payments are
/// decided when their document is written and may be dated later, never after ``Config/end``.
///
/// Memory is O(customers): one small state per customer, a heap of next dates and an O(days) calendar table.
public struct LedgerGenerator: Sendable {
    public struct Config: Sendable {
        public var customers: Int
        /// Rows of `invoices.csv`, all kinds together (invoices, credit notes and debit notes).
        public var invoices: Int
        public var seed: UInt64
        /// The first possible issue date.
        public var start: LocalDate
        /// "Today" of the dataset: no document or payment is dated after it.
        public var end: LocalDate
        /// Customer currencies and their relative weights; codes must be known ISO 4217 codes.
        public var currencies: [(code: String, weight: Double)]

        public init(
            customers: Int, invoices: Int, seed: UInt64, start: LocalDate, end: LocalDate,
            currencies: [(code: String, weight: Double)] = [("USD", 0.55), ("EUR", 0.25), ("MXN", 0.20)]
        ) {
            self.customers = customers
            self.invoices = invoices
            self.seed = seed
            self.start = start
            self.end = end
            self.currencies = currencies
        }

        /// The demo dataset: 200 customers, 5,000 documents over the 18 months ending `today`, USD/EUR/MXN,
        /// customers writing in Spanish, English, French and Portuguese.
        public static func demo(today: LocalDate) -> Config {
            Config(customers: 200, invoices: 5_000, seed: 2_024, start: today.adding(months: -18).adding(days: 1), end: today)
        }

        /// The standard benchmark workload W1M: 100,000 customers, 1,000,000 documents over the 24 months ending `end`.
        public static func w1m(seed: UInt64, end: LocalDate) -> Config {
            Config(customers: 100_000, invoices: 1_000_000, seed: seed, start: end.adding(months: -24).adding(days: 1), end: end)
        }

        /// Why this configuration cannot be generated, or `nil` when it can. ``LedgerGenerator/init(_:)`` traps on
        /// an invalid configuration, so callers taking user input should check this first.
        public var invalidReason: String? {
            if customers < 1 { return "customers must be at least 1 (got \(customers))" }
            if customers > 9_999_999 { return "customers must be at most 9,999,999 (got \(customers))" }
            if invoices < 0 { return "invoices must not be negative (got \(invoices))" }
            if invoices > 1_000_000_000 { return "invoices must be at most 1,000,000,000 (got \(invoices))" }
            if end < start { return "end \(end.iso) is before start \(start.iso)" }
            if end.days(since: start) > 36_600 { return "the period \(start.iso)…\(end.iso) is longer than 100 years" }
            if currencies.isEmpty { return "at least one currency is needed" }
            var total = 0.0
            for c in currencies {
                guard Currency(code: c.code.uppercased()) != nil else { return "unknown currency code \"\(c.code)\"" }
                guard c.weight.isFinite, c.weight >= 0 else { return "currency \(c.code) has an invalid weight \(c.weight)" }
                total += c.weight
            }
            if !(total > 0) { return "currency weights must not all be zero" }
            return nil
        }
    }

    /// What ``generate(customers:invoices:payments:)`` wrote. `invoices + creditNotes + debitNotes` equals
    /// ``Config/invoices`` (the rows of `invoices.csv`); `invoices` counts rows of kind `invoice` only.
    public struct Counts: Sendable, Equatable {
        public var customers: Int
        public var invoices: Int
        public var creditNotes: Int
        public var debitNotes: Int
        public var payments: Int

        public init(customers: Int = 0, invoices: Int = 0, creditNotes: Int = 0, debitNotes: Int = 0, payments: Int = 0) {
            self.customers = customers
            self.invoices = invoices
            self.creditNotes = creditNotes
            self.debitNotes = debitNotes
            self.payments = payments
        }
    }

    public static let customersHeader = "customer_ref,name,email,phone,language,timezone,country,segment,strategic,credit_limit,currency"
    public static let invoicesHeader =
        "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind,description,terms,po_number,billing_channel,disputed"
    public static let paymentsHeader = "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref,method,reference"

    public let config: Config

    /// Traps when `config.invalidReason` is not `nil`.
    public init(_ config: Config) {
        if let why = config.invalidReason { preconditionFailure("LedgerGenerator: \(why)") }
        self.config = config
    }

    /// Writes the three files by calling the sinks with chunks of text. Each chunk is whole LF-terminated lines;
    /// the first call to each sink is exactly its header line; later chunks are about 64 KB.
    public func generate(
        customers: (String) throws -> Void,
        invoices: (String) throws -> Void,
        payments: (String) throws -> Void
    ) rethrows -> Counts {
        var run = Run(config: config)
        try customers(LedgerGenerator.customersHeader + "\n")
        try invoices(LedgerGenerator.invoicesHeader + "\n")
        try payments(LedgerGenerator.paymentsHeader + "\n")
        try run.makeCustomers(customers)
        try run.makeDocuments(invoices: invoices, payments: payments)
        return run.counts
    }
}

// MARK: - Internals

enum Segment: UInt8 {
    case enterprise, midMarket, smb, publicSector
    var csv: StaticString {
        switch self {
        case .enterprise: return "enterprise"
        case .midMarket: return "mid_market"
        case .smb: return "smb"
        case .publicSector: return "public"
        }
    }
}

enum Behaviour: UInt8 { case prompt, slightlyLate, chronicLate, deteriorating, badDebtor }

enum Channel: UInt8 {
    case paper, electronic, portal
    var csv: StaticString {
        switch self {
        case .paper: return "paper"
        case .electronic: return "electronic"
        case .portal: return "portal"
        }
    }
}

struct ResolvedCurrency {
    let code: String
    let exponent: Int
    let minorPerMajor: Int64
    let scale: Double
    let weight: Double
    let countries: [(Int, Double)]
}

/// Everything the generator remembers about one customer (the only per-customer memory).
struct CustomerState {
    var rng: SplitMix64
    var currency: Int = 0
    var country: Int = 0
    var language: String = "en"
    var timezone: String = "UTC"
    var lang: Lang = .en
    var segment: Segment = .smb
    var strategic = false
    var behaviour: Behaviour = .prompt
    var terms = 30
    var channel: Channel = .electronic
    var method: PayMethod = .transfer
    /// Active period, as day indices from `start` (inclusive).
    var windowStart = 0
    var windowEnd = 0
    /// Bad debtors pay nothing dated on or after this day index.
    var stopDay = Int.max
    var delayA = 0.0
    var delayB = 0.0
    /// ln of the median document amount in minor units.
    var logMedian = 0.0
    var sigma = 0.5
    /// Fixed subscription amount (minor units), 0 when the customer is not billed a fixed fee.
    var recurringMinor: Int64 = 0
    /// Amounts are multiples of this many minor units.
    var roundTo: Int64 = 1
    var descA = 0
    var descB = 0
    var poShare = 0.0
    var weight = 1.0

    // Streaming state.
    var documents = 0
    var toDraw = 0
    var pos = 0.0
    var cdfLo = 0.0
    var cdfHi = 0.0
    var orderNo = 0
    /// The latest invoice paid more than 5 days late (or not at all): the candidate for interest or a late fee.
    /// `lastInvoice` is 0 when there is none or it has been charged already.
    var lastInvoice = 0
    var lastAmount: Int64 = 0
    var lastDue = 0
    var lastPaid = Int.max
    var pendingCredit = 0
    var pendingCreditAmount: Int64 = 0
    var pendingCreditFull = false

    init(rng: SplitMix64) { self.rng = rng }
}

struct Run {
    let config: Config
    typealias Config = LedgerGenerator.Config
    let startDay: Int
    /// Number of days in the period; day indices are 0 ..< days.
    let days: Int
    let currencies: [ResolvedCurrency]
    let currencyWeights: [Double]
    /// Cumulative issue-date weights per day index (weekdays, month ends, a mild growth trend).
    let cdf: [Double]
    var states: [CustomerState] = []
    var counts = LedgerGenerator.Counts()
    var inv: LineWriter
    var pay: LineWriter
    var invoiceNo = 0
    var creditNo = 0
    var debitNo = 0
    var paymentNo = 0

    init(config: Config) {
        self.config = config
        startDay = config.start.dayNumber
        days = config.end.dayNumber - config.start.dayNumber + 1
        var cs: [ResolvedCurrency] = []
        for c in config.currencies where c.weight > 0 {
            let cur = Currency(code: c.code.uppercased())!
            cs.append(ResolvedCurrency(
                code: cur.code, exponent: cur.exponent, minorPerMajor: cur.minorPerMajor,
                scale: Geography.amountScale(for: cur.code), weight: c.weight,
                countries: Geography.countryMix(for: cur.code)))
        }
        currencies = cs
        currencyWeights = cs.map(\.weight)

        var cdf = [Double](repeating: 0, count: days)
        var acc = 0.0
        for i in 0..<days {
            let d = LocalDate(dayNumber: config.start.dayNumber + i)
            let (_, m, dom) = d.parts
            let dim = LocalDate.daysIn(year: d.year, month: m)
            var w: Double
            switch d.isoWeekday {
            case 6: w = 0.10
            case 7: w = 0.04
            default: w = 1.0
            }
            if dom == 1 { w *= 1.5 }
            if dom > dim - 3 { w *= 1.8 }
            if dom == dim { w *= 1.4 }
            if (m == 12 && dom == 25) || (m == 1 && dom == 1) { w *= 0.05 }
            w *= 1 + 0.25 * Double(i) / Double(max(1, days))
            acc += w
            cdf[i] = acc
        }
        self.cdf = cdf
        inv = LineWriter(dateBase: config.start.dayNumber, dateCount: days + 400)
        pay = LineWriter(dateBase: config.start.dayNumber, dateCount: days)
    }

    // MARK: Customers

    mutating func makeCustomers(_ sink: (String) throws -> Void) rethrows {
        let n = config.customers
        states.reserveCapacity(n)
        var totalWeight = 0.0
        for c in 0..<n {
            var st = CustomerState(rng: SplitMix64(seed: SplitMix64.derive(config.seed, c, 1)))
            profile(&st)
            totalWeight += st.weight
            states.append(st)
        }
        allocateDocuments(totalWeight: totalWeight)

        var w = LineWriter(dateBase: 0, dateCount: 0)
        for c in 0..<n {
            try writeCustomer(c, &w, sink)
        }
        try w.flush(sink)
        counts.customers = n
    }

    /// Draws the customer's fixed traits.
    func profile(_ st: inout CustomerState) {
        var rng = st.rng
        defer { st.rng = rng }
        st.currency = rng.weightedIndex(currencyWeights)
        let cur = currencies[st.currency]
        st.country = rng.pick(weighted: cur.countries)
        let country = Geography.countries[st.country]
        st.language = rng.pick(weighted: country.languages)
        st.lang = Lang(tag: st.language)
        st.timezone = rng.pick(weighted: country.timezones)
        st.segment = rng.pick(weighted: [(Segment.enterprise, 0.08), (.midMarket, 0.27), (.smb, 0.55), (.publicSector, 0.10)])
        switch st.segment {
        case .enterprise: st.strategic = rng.chance(0.30)
        case .midMarket: st.strategic = rng.chance(0.05)
        case .publicSector: st.strategic = rng.chance(0.06)
        case .smb: st.strategic = rng.chance(0.012)
        }
        if st.segment == .publicSector {
            // Slow but sure.
            st.behaviour = rng.pick(weighted: [(Behaviour.prompt, 0.42), (.slightlyLate, 0.37), (.chronicLate, 0.16), (.deteriorating, 0.05)])
        } else {
            st.behaviour = rng.pick(weighted: [(Behaviour.prompt, 0.575), (.slightlyLate, 0.22), (.chronicLate, 0.09), (.deteriorating, 0.08), (.badDebtor, 0.035)])
        }
        // Payment method: direct debit needs a mandate and a good payer.
        let ddShare = country.directDebitShare * (st.segment == .smb || st.segment == .midMarket ? 1 : 0.4)
        if (st.behaviour == .prompt || st.behaviour == .slightlyLate) && rng.chance(ddShare) {
            st.method = .directDebit
            st.behaviour = .prompt
        } else if st.segment == .smb && rng.chance(0.15) {
            st.method = .card
        } else {
            st.method = rng.pick(weighted: country.methods)
        }
        switch st.segment {
        case .smb: st.terms = rng.pick(weighted: [(15, 0.35), (30, 0.65)])
        case .midMarket: st.terms = rng.pick(weighted: [(15, 0.1), (30, 0.6), (45, 0.3)])
        case .enterprise: st.terms = rng.pick(weighted: [(30, 0.2), (45, 0.35), (60, 0.45)])
        case .publicSector: st.terms = rng.pick(weighted: [(30, 0.45), (45, 0.1), (60, 0.45)])
        }
        switch st.segment {
        case .publicSector: st.channel = rng.pick(weighted: [(Channel.portal, 0.7), (.electronic, 0.3)])
        case .enterprise: st.channel = rng.pick(weighted: [(Channel.portal, 0.5), (.electronic, 0.45), (.paper, 0.05)])
        case .midMarket: st.channel = rng.pick(weighted: [(Channel.electronic, 0.65), (.portal, 0.15), (.paper, 0.2)])
        case .smb: st.channel = rng.pick(weighted: [(Channel.electronic, 0.55), (.paper, 0.4), (.portal, 0.05)])
        }
        if country.code == "MX" && st.channel == .paper { st.channel = .electronic }  // CFDI e-invoicing

        // Active window: most customers span the whole period; some start later, some leave.
        let last = days - 1
        let r = rng.unit()
        if r < 0.75 || days < 60 {
            st.windowStart = 0
            st.windowEnd = last
        } else if r < 0.90 {
            st.windowStart = rng.int(0...Int(Double(last) * 0.85))
            st.windowEnd = last
        } else {
            st.windowStart = r < 0.95 ? 0 : rng.int(0...(last / 3))
            st.windowEnd = st.windowStart + Int(Double(last - st.windowStart) * rng.uniform(0.3, 0.9))
        }
        let span = Double(max(1, st.windowEnd - st.windowStart))

        switch st.behaviour {
        case .prompt: st.delayA = rng.uniform(-4, 0)
        case .slightlyLate: st.delayA = rng.uniform(7, 16)
        case .chronicLate: st.delayA = rng.uniform(28, 60)
        case .deteriorating:
            st.delayA = rng.uniform(-3, 5)
            st.delayB = rng.uniform(35, 90)
        case .badDebtor:
            st.delayA = rng.uniform(3, 20)
            st.delayB = rng.uniform(30, 60)
            st.stopDay = st.windowStart + Int(span * rng.uniform(0.35, 0.85))
            st.windowEnd = min(st.windowEnd, st.stopDay + rng.int(30...150))
        }

        // Amounts: log-normal around a per-customer median that depends on the segment.
        let (lo, hi): (Double, Double)
        switch st.segment {
        case .smb: (lo, hi) = (150, 2_500)
        case .midMarket: (lo, hi) = (800, 12_000)
        case .enterprise: (lo, hi) = (4_000, 50_000)
        case .publicSector: (lo, hi) = (1_500, 30_000)
        }
        let medianMajor = exp(rng.uniform(log(lo), log(hi))) * cur.scale
        st.logMedian = log(medianMajor * Double(cur.minorPerMajor))
        st.sigma = rng.uniform(0.3, 0.9)
        let rr = rng.unit()
        st.roundTo = rr < 0.6 ? 1 : (rr < 0.9 ? cur.minorPerMajor : cur.minorPerMajor * 100)
        if rng.chance(0.12) {
            let fixed = Int64(medianMajor * Double(cur.minorPerMajor))
            st.recurringMinor = max(cur.minorPerMajor, fixed / st.roundTo * st.roundTo)
            st.descA = rng.pick([1, 4, 8])
            st.descB = rng.pick([0, 5, 6])
        } else {
            switch st.segment {
            case .smb: st.descA = rng.pick([2, 3, 6, 7, 0]); st.descB = rng.pick([2, 3, 6, 7])
            case .midMarket: st.descA = rng.pick([0, 2, 3, 5]); st.descB = rng.pick([3, 4, 7])
            case .enterprise: st.descA = rng.pick([0, 1, 4, 5]); st.descB = rng.pick([2, 3, 5])
            case .publicSector: st.descA = rng.pick([0, 4, 5, 6]); st.descB = rng.pick([2, 7])
            }
        }
        switch st.segment {
        case .enterprise: st.poShare = 0.85
        case .publicSector: st.poShare = 0.95
        case .midMarket: st.poShare = 0.4
        case .smb: st.poShare = 0.08
        }
        st.orderNo = rng.int(1_000...90_000)

        // Pareto-ish volume weight, scaled by segment and by how long the customer is active.
        // The cap keeps a single customer from dominating a small dataset (the demo) while allowing very large
        // accounts in a big one.
        let pareto = min(min(250, max(4, Double(config.customers) * 0.05)), pow(rng.openUnit(), -1 / 1.45))
        let segMult: Double
        switch st.segment {
        case .enterprise: segMult = 4
        case .midMarket: segMult = 2
        case .publicSector: segMult = 2.5
        case .smb: segMult = 1
        }
        st.weight = pareto * segMult * (span + 1) / Double(days)
    }

    /// Splits exactly `config.invoices` documents over the customers by weight (systematic rounding), at least
    /// one each when there are enough documents.
    mutating func allocateDocuments(totalWeight: Double) {
        let n = states.count
        let base = config.invoices >= n ? 1 : 0
        let rest = config.invoices - base * n
        var cum = 0.0
        var prev = 0
        for c in 0..<n {
            cum += states[c].weight
            var target = c == n - 1 ? rest : Int((Double(rest) * cum / totalWeight).rounded(.down))
            target = min(rest, max(prev, target))
            states[c].documents = base + target - prev
            states[c].toDraw = states[c].documents
            prev = target
        }
    }

    mutating func writeCustomer(_ c: Int, _ w: inout LineWriter, _ sink: (String) throws -> Void) rethrows {
        var st = states[c]
        let cur = currencies[st.currency]
        let country = Geography.countries[st.country]
        let id = CompanyNamer.make(lang: st.lang, country: country, publicSector: st.segment == .publicSector, rng: &st.rng)
        // Credit limit: about 1–2.5 times the expected exposure (monthly billing × (terms + a month)), rounded to a
        // "nice" number; some customers have none.
        var limit = ""
        if !st.rng.chance(st.segment == .smb ? 0.3 : 0.15) {
            let meanMinor = exp(st.logMedian + st.sigma * st.sigma / 2)
            let months = max(1, Double(st.windowEnd - st.windowStart + 1) / 30.44)
            let monthly = Double(max(1, st.documents)) * meanMinor / months
            let exposure = monthly * (Double(st.terms) / 30 + 1) * st.rng.uniform(1.0, 2.5) / Double(cur.minorPerMajor)
            limit = Money.format(minor: Run.niceCeiling(exposure) * cur.minorPerMajor, exponent: cur.exponent)
        }
        w.ref("C", c + 1, width: 6)
        w.comma(); w.field(id.name)
        w.comma(); w.field(id.email)
        w.comma(); w.field(id.phone)
        w.comma(); w.raw(st.language)
        w.comma(); w.raw(st.timezone)
        w.comma(); w.raw(country.code)
        w.comma(); w.raw(st.segment.csv)
        w.comma(); w.bool(st.strategic)
        w.comma(); w.raw(limit)
        w.comma(); w.raw(cur.code)
        try w.endLine(sink)
        states[c] = st
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k (k ≥ 2) that is ≥ x, in major units.
    static func niceCeiling(_ x: Double) -> Int64 {
        var p: Int64 = 100
        while true {
            for m in [10, 20, 25, 50] as [Int64] where Double(p * m / 10) >= x { return p * m / 10 }
            if p > Int64.max / 100 { return p }
            p *= 10
        }
    }

    // MARK: Documents

    mutating func makeDocuments(
        invoices invSink: (String) throws -> Void, payments paySink: (String) throws -> Void
    ) rethrows {
        var heap = KeyHeap(capacity: states.count)
        for c in states.indices where states[c].toDraw > 0 {
            let ws = states[c].windowStart, we = states[c].windowEnd
            var st = states[c]
            st.cdfLo = ws == 0 ? 0 : cdf[ws - 1]
            st.cdfHi = cdf[we]
            let day = nextIssueDay(&st)
            states[c] = st
            heap.push(UInt64(day) << 32 | UInt64(c))
        }
        while let key = heap.pop() {
            let c = Int(key & 0xFFFF_FFFF)
            let day = Int(key >> 32)
            var st = states[c]
            let next = st.toDraw > 0 ? nextIssueDay(&st) : -1
            try document(c, &st, day: day, nextDay: next, invSink, paySink)
            if next >= 0 { heap.push(UInt64(next) << 32 | UInt64(c)) }
            states[c] = st
        }
        try inv.flush(invSink)
        try pay.flush(paySink)
    }

    /// The next of the customer's issue dates, in order: the minimum of the remaining sorted uniforms, mapped
    /// through the calendar's weight curve restricted to the customer's window.
    func nextIssueDay(_ st: inout CustomerState) -> Int {
        let k = Double(st.toDraw)
        st.toDraw -= 1
        let v = st.rng.openUnit()
        st.pos += (1 - st.pos) * (1 - pow(v, 1 / k))
        let target = st.cdfLo + min(1, st.pos) * (st.cdfHi - st.cdfLo)
        var lo = st.windowStart, hi = st.windowEnd
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cdf[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    mutating func document(
        _ c: Int, _ st: inout CustomerState, day: Int, nextDay: Int,
        _ invSink: (String) throws -> Void, _ paySink: (String) throws -> Void
    ) rethrows {
        if st.pendingCredit != 0 {
            try creditNote(c, &st, day: day, invSink)
            return
        }
        // Interest and fees are charged only for an invoice that was paid late or is overdue, once per invoice.
        let pDebit: Double
        switch st.behaviour {
        case .prompt: pDebit = 0.033
        case .slightlyLate: pDebit = 0.04
        case .chronicLate, .deteriorating, .badDebtor: pDebit = 0.048
        }
        if st.lastInvoice != 0 && lateDays(st, day: day) > 5 && st.rng.chance(pDebit) {
            try debitNote(c, &st, day: day, invSink, paySink)
        } else {
            try invoice(c, &st, day: day, nextDay: nextDay, invSink, paySink)
        }
    }

    /// How late the customer's latest invoice was paid, or is on `day` when still unpaid (≤ 0: not late).
    func lateDays(_ st: CustomerState, day: Int) -> Int {
        (st.lastPaid != Int.max ? min(st.lastPaid, day) : day) - st.lastDue
    }

    func sampleAmount(_ st: inout CustomerState) -> Int64 {
        let cur = currencies[st.currency]
        if st.recurringMinor > 0 && st.rng.chance(0.7) { return st.recurringMinor }
        let x = exp(st.logMedian + st.sigma * st.rng.normal())
        let minMinor = max(1, Int64(5 * cur.scale) * cur.minorPerMajor)
        let maxMinor = Int64(5_000_000 * cur.scale) * cur.minorPerMajor
        var a = Int64(min(Double(maxMinor), max(Double(minMinor), x)))
        if st.roundTo > 1 { a = max(st.roundTo, (a + st.roundTo / 2) / st.roundTo * st.roundTo) }
        return a
    }

    mutating func invoice(
        _ c: Int, _ st: inout CustomerState, day: Int, nextDay: Int,
        _ invSink: (String) throws -> Void, _ paySink: (String) throws -> Void
    ) rethrows {
        invoiceNo += 1
        counts.invoices += 1
        let cur = currencies[st.currency]
        var terms = st.terms
        if st.rng.chance(0.04) { terms = st.rng.pick([15, 30, 45, 60]) }
        let due = day + terms
        let amount = sampleAmount(&st)
        let disputed = st.rng.chance(0.02)
        st.orderNo += st.rng.int(1...25)
        let template = st.rng.chance(0.7) ? st.descA : st.descB
        let description = Descriptions.invoice(template, lang: st.lang, date: LocalDate(dayNumber: startDay + day), order: st.orderNo, rng: &st.rng)
        var po = ""
        if st.rng.chance(st.poShare) {
            if st.segment == .enterprise && st.rng.chance(0.6) {
                po = "45" + Descriptions.digits(8, &st.rng)
            } else {
                let p: String
                switch st.lang {
                case .en: p = "PO-"
                case .es: p = "OC-"
                case .fr: p = "BC-"
                case .pt: p = "PC-"
                }
                po = p + Descriptions.digits(st.rng.int(5...6), &st.rng)
            }
        }

        inv.ref("INV-", invoiceNo)
        inv.comma(); inv.ref("C", c + 1, width: 6)
        inv.comma(); inv.date(startDay + day)
        inv.comma(); inv.date(startDay + due)
        inv.comma(); inv.raw(cur.code)
        inv.comma(); inv.money(amount, exponent: cur.exponent)
        inv.comma(); inv.raw("invoice")
        inv.comma(); inv.field(description)
        inv.comma(); inv.raw("net "); inv.padded(terms, width: 1)
        inv.comma(); inv.field(po)
        inv.comma(); inv.raw(st.channel.csv)
        inv.comma(); inv.bool(disputed)
        try inv.endLine(invSink)

        // A later credit note against this invoice (more likely when it is disputed) is written as the
        // customer's next document; the customer then pays the invoice net of it.
        var credit: (amount: Int64, day: Int)? = nil
        if nextDay >= 0 && st.rng.chance(disputed ? 0.3 : 0.029) {
            let full = st.rng.chance(disputed ? 0.4 : 0.25)
            var part = full ? amount : Int64(Double(amount) * st.rng.uniform(0.05, 0.6))
            if !full && st.roundTo > 1 { part = part / st.roundTo * st.roundTo }
            part = min(amount, max(1, part))
            st.pendingCredit = invoiceNo
            st.pendingCreditAmount = part
            st.pendingCreditFull = part == amount
            credit = (part, nextDay)
        }
        let paid = try settle(c, &st, prefix: "INV-", number: invoiceNo, issue: day, due: due, amount: amount,
                              disputed: disputed, credit: credit, splits: true, paySink)
        if paid == Int.max || paid > due + 5 {
            st.lastInvoice = invoiceNo
            st.lastAmount = amount
            st.lastDue = due
            st.lastPaid = paid
        }
    }

    mutating func creditNote(_ c: Int, _ st: inout CustomerState, day: Int, _ invSink: (String) throws -> Void) rethrows {
        creditNo += 1
        counts.creditNotes += 1
        let cur = currencies[st.currency]
        let description = Descriptions.credit(lang: st.lang, invoice: st.pendingCredit, full: st.pendingCreditFull, rng: &st.rng)
        inv.ref("CN-", creditNo)
        inv.comma(); inv.ref("C", c + 1, width: 6)
        inv.comma(); inv.date(startDay + day)
        inv.comma(); inv.date(startDay + day)
        inv.comma(); inv.raw(cur.code)
        inv.comma(); inv.money(st.pendingCreditAmount, exponent: cur.exponent)
        inv.comma(); inv.raw("credit_note")
        inv.comma(); inv.field(description)
        inv.comma(); inv.raw("net 0")
        inv.comma()
        inv.comma(); inv.raw(st.channel.csv)
        inv.comma(); inv.bool(false)
        try inv.endLine(invSink)
        st.pendingCredit = 0
        st.pendingCreditAmount = 0
        st.pendingCreditFull = false
    }

    mutating func debitNote(
        _ c: Int, _ st: inout CustomerState, day: Int,
        _ invSink: (String) throws -> Void, _ paySink: (String) throws -> Void
    ) rethrows {
        debitNo += 1
        counts.debitNotes += 1
        let cur = currencies[st.currency]
        let lateDays = lateDays(st, day: day)
        let charged = st.lastInvoice
        st.lastInvoice = 0
        var amount: Int64
        let description: String
        let interest = Int64(Double(st.lastAmount) * st.rng.uniform(0.01, 0.015) * Double(lateDays) / 30)
        if lateDays > 10 && interest >= Int64(10 * cur.scale) * cur.minorPerMajor && st.rng.chance(0.8) {
            amount = interest
            description = Descriptions.interest(lang: st.lang, invoice: charged, days: lateDays)
        } else if st.lang == .fr && cur.code == "EUR" {
            amount = 40 * cur.minorPerMajor  // the statutory flat recovery fee
            description = "Indemnité forfaitaire pour frais de recouvrement (INV-\(Descriptions.padded(charged)))"
        } else {
            amount = Int64(Double(st.rng.pick([15, 25, 35, 50]) as Int) * cur.scale) * cur.minorPerMajor
            description = Descriptions.fee(lang: st.lang, rng: &st.rng)
        }
        amount = max(cur.minorPerMajor, amount)
        inv.ref("DN-", debitNo)
        inv.comma(); inv.ref("C", c + 1, width: 6)
        inv.comma(); inv.date(startDay + day)
        inv.comma(); inv.date(startDay + day)
        inv.comma(); inv.raw(cur.code)
        inv.comma(); inv.money(amount, exponent: cur.exponent)
        inv.comma(); inv.raw("debit_note")
        inv.comma(); inv.field(description)
        inv.comma(); inv.raw("net 0")
        inv.comma()
        inv.comma(); inv.raw(st.channel.csv)
        inv.comma(); inv.bool(false)
        try inv.endLine(invSink)
        // Fees are paid reluctantly: a quarter never, the rest late.
        if st.rng.chance(0.25) { return }
        _ = try settle(c, &st, prefix: "DN-", number: debitNo, issue: day, due: day + st.rng.int(5...30), amount: amount,
                       disputed: false, credit: nil, splits: false, paySink)
    }

    /// Days after the due date this customer pays a document issued on `issue`.
    func sampleDelay(_ st: inout CustomerState, issue: Int) -> Int {
        func r(_ x: Double) -> Int { Int(x.rounded()) }
        var d: Int
        switch st.behaviour {
        case .prompt:
            d = st.rng.chance(0.06) ? st.rng.int(4...15) : min(3, max(-5, r(st.delayA + 1.6 * st.rng.normal())))
        case .slightlyLate:
            d = st.rng.chance(0.15) ? st.rng.int(-3...4) : min(20, max(5, r(st.delayA + 4 * st.rng.normal())))
        case .chronicLate:
            d = min(75, max(20, r(st.delayA + 9 * st.rng.normal())))
            if st.rng.chance(0.07) { d += st.rng.int(10...40) }
        case .deteriorating:
            let t = Double(issue - st.windowStart) / Double(max(1, st.windowEnd - st.windowStart))
            d = max(-5, r(st.delayA + (st.delayB - st.delayA) * t + 5 * st.rng.normal()))
        case .badDebtor:
            let t = min(1, Double(issue - st.windowStart) / Double(max(1, st.stopDay - st.windowStart)))
            d = max(0, r(st.delayA + (st.delayB - st.delayA) * t + 6 * st.rng.normal()))
        }
        if st.method == .directDebit {
            d = st.rng.chance(0.96) ? 0 : st.rng.int(8...20)  // a returned debit is collected again later
        }
        return d
    }

    func paymentMethod(_ st: inout CustomerState) -> PayMethod {
        if st.method == .directDebit { return st.rng.chance(0.97) ? .directDebit : .transfer }
        if st.rng.chance(0.85) { return st.method }
        return st.rng.pick(weighted: Geography.countries[st.country].methods)
    }

    /// Moves bank payments made on a weekend to the following Monday.
    func bankDay(_ day: Int, _ method: PayMethod) -> Int {
        if method == .card || method == .cash { return day }
        switch LocalDate(dayNumber: startDay + day).isoWeekday {
        case 6: return day + 2
        case 7: return day + 1
        default: return day
        }
    }

    /// Rounds a partial payment the way people pay part of a bill, keeping it in 1 ..< whole.
    func partial(_ whole: Int64, _ fraction: Double, _ cur: ResolvedCurrency) -> Int64 {
        var p = Int64(Double(whole) * fraction)
        if p >= 1_000 * cur.minorPerMajor * Int64(max(1, cur.scale)) {
            p = p / (100 * cur.minorPerMajor) * (100 * cur.minorPerMajor)
        } else if p >= 10 * cur.minorPerMajor {
            p = p / cur.minorPerMajor * cur.minorPerMajor
        }
        return min(whole - 1, max(1, p))
    }

    /// Decides and writes the payments of one document. Returns the day index of the last payment, or `Int.max`
    /// when the document is not (fully) paid by the end of the period.
    mutating func settle(
        _ c: Int, _ st: inout CustomerState, prefix: StaticString, number: Int, issue: Int, due: Int, amount: Int64,
        disputed: Bool, credit: (amount: Int64, day: Int)?, splits: Bool, _ paySink: (String) throws -> Void
    ) rethrows -> Int {
        let cur = currencies[st.currency]
        var delay = sampleDelay(&st, issue: issue)
        if disputed {
            if st.rng.chance(0.3) { return Int.max }
            delay = max(delay, 0) + st.rng.int(30...120)
        }
        let method = paymentMethod(&st)
        let day = bankDay(max(issue, due + delay), method)
        if day >= st.stopDay || day >= days { return Int.max }
        var owed = amount
        if let cr = credit, cr.day <= day { owed -= cr.amount }
        if owed <= 0 { return day }

        let r = st.rng.unit()
        let canSplit = splits && owed >= 2
        if canSplit && r < 0.03 {
            // Part paid, the rest left open.
            try payment(c, &st, day: day, amount: partial(owed, st.rng.uniform(0.4, 0.95), cur), prefix: prefix, number: number, method: method, paySink)
            return Int.max
        }
        if canSplit && r >= 0.03 && r < 0.11 {
            // Two instalments.
            let first = partial(owed, st.rng.uniform(0.3, 0.7), cur)
            try payment(c, &st, day: day, amount: first, prefix: prefix, number: number, method: method, paySink)
            let second = bankDay(day + st.rng.int(7...45), method)
            if second >= st.stopDay || second >= days { return Int.max }
            try payment(c, &st, day: second, amount: owed - first, prefix: prefix, number: number, method: method, paySink)
            return second
        }
        if r >= 0.11 && r < 0.115 {
            // Overpayment: rounded up, or paid with a surcharge that was never billed.
            let unit = 100 * cur.minorPerMajor
            var over = st.rng.chance(0.5) && owed >= unit ? (owed / unit + 1) * unit
                : owed + max(1, Int64(Double(owed) * st.rng.uniform(0.005, 0.05)))
            if over <= owed { over = owed + 1 }
            try payment(c, &st, day: day, amount: over, prefix: prefix, number: number, method: method, paySink)
            return day
        }
        let onAccount = method != .directDebit && st.rng.chance(0.026)
        try payment(c, &st, day: day, amount: owed, prefix: onAccount ? nil : prefix, number: number, method: method, paySink)
        return day
    }

    mutating func payment(
        _ c: Int, _ st: inout CustomerState, day: Int, amount: Int64, prefix: StaticString?, number: Int, method: PayMethod,
        _ paySink: (String) throws -> Void
    ) rethrows {
        paymentNo += 1
        counts.payments += 1
        let cur = currencies[st.currency]
        let reference = Descriptions.paymentReference(
            method: method, country: Geography.countries[st.country].code, lang: st.lang, customer: c + 1,
            document: prefix.map { ($0, number) }, rng: &st.rng)
        pay.ref("PAY-", paymentNo)
        pay.comma(); pay.ref("C", c + 1, width: 6)
        pay.comma(); pay.date(startDay + day)
        pay.comma(); pay.raw(cur.code)
        pay.comma(); pay.money(amount, exponent: cur.exponent)
        pay.comma()
        if let prefix { pay.ref(prefix, number) }
        pay.comma(); pay.raw(method.csv)
        pay.comma(); pay.field(reference)
        try pay.endLine(paySink)
    }
}

// MARK: - Text

enum Descriptions {
    static func digits(_ n: Int, _ rng: inout SplitMix64) -> String {
        var s = ""
        for _ in 0..<n { s.unicodeScalars.append(Unicode.Scalar(UInt8(48 + rng.below(10)))) }
        return s
    }

    static func padded(_ v: Int, width: Int = 7) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func invoice(_ template: Int, lang: Lang, date: LocalDate, order: Int, rng: inout SplitMix64) -> String {
        let (y, m, _) = date.parts
        let month = Words.monthTable[Int(lang.rawValue)][m - 1]
        let q = (m - 1) / 3 + 1
        switch template {
        case 0:
            switch lang {
            case .en: return "Professional services – \(month) \(y)"
            case .es: return "Servicios profesionales – \(month) de \(y)"
            case .fr: return "Prestations de services – \(month) \(y)"
            case .pt: return "Prestação de serviços – \(month) de \(y)"
            }
        case 1:
            switch lang {
            case .en: return "Software subscription, \(month) \(y)"
            case .es: return "Suscripción a la plataforma, \(month) \(y)"
            case .fr: return "Abonnement logiciel – \(month) \(y)"
            case .pt: return "Assinatura de software – \(month) de \(y)"
            }
        case 2:
            switch lang {
            case .en: return "Order #\(order)"
            case .es: return "Pedido \(order)"
            case .fr: return "Commande n° \(order)"
            case .pt: return "Pedido nº \(order)"
            }
        case 3:
            switch lang {
            case .en: return "Goods and freight, order \(order)"
            case .es: return "Mercancía y flete, pedido \(order)"
            case .fr: return "Marchandises et transport, commande \(order)"
            case .pt: return "Mercadorias e frete, pedido \(order)"
            }
        case 4:
            switch lang {
            case .en: return "Maintenance contract Q\(q) \(y)"
            case .es: return "Mantenimiento preventivo T\(q) \(y)"
            case .fr: return "Contrat de maintenance T\(q) \(y)"
            case .pt: return "Manutenção preventiva \(q)º trim. \(y)"
            }
        case 5:
            let h = rng.int(2...80)
            switch lang {
            case .en: return "Consulting (\(h) h)"
            case .es: return "Honorarios de consultoría (\(h) h)"
            case .fr: return "Conseil et accompagnement (\(h) h)"
            case .pt: return "Consultoria (\(h) h)"
            }
        case 6:
            switch lang {
            case .en: return "Office supplies: paper, toner, labels"
            case .es: return "Material de oficina: papel, tóner, etiquetas"
            case .fr: return "Fournitures : papier, toner, étiquettes"
            case .pt: return "Material de escritório: papel, toner, etiquetas"
            }
        case 7:
            let k = rng.int(1...40)
            switch lang {
            case .en: return "Monitor 27\" x\(k), order \(order)"
            case .es: return "Monitor 27\" (\(k) pzas), pedido \(order)"
            case .fr: return "Écran 27\" (\(k) unités), commande \(order)"
            case .pt: return "Monitor 27\" (\(k) un.), pedido \(order)"
            }
        default:
            switch lang {
            case .en: return "Equipment rental – \(month) \(y)"
            case .es: return "Arrendamiento de equipo – \(month) \(y)"
            case .fr: return "Location de matériel – \(month) \(y)"
            case .pt: return "Locação de equipamentos – \(month) de \(y)"
            }
        }
    }

    static func credit(lang: Lang, invoice: Int, full: Bool, rng: inout SplitMix64) -> String {
        let ref = "INV-" + padded(invoice)
        let i = full ? 0 : 1 + rng.below(4)
        switch lang {
        case .en:
            let why = ["cancellation", "returned goods", "pricing adjustment", "damaged in transit", "service credit"][i]
            return "Credit note for \(ref): \(why)"
        case .es:
            let why = ["cancelación", "devolución de mercancía", "ajuste de precio", "bonificación", "mercancía dañada"][i]
            return "Nota de crédito sobre \(ref): \(why)"
        case .fr:
            let why = ["annulation", "retour marchandise", "remise commerciale", "avarie de transport", "geste commercial"][i]
            return "Avoir sur \(ref) : \(why)"
        case .pt:
            let why = ["cancelamento", "devolução de mercadoria", "ajuste de preço", "avaria no transporte", "bonificação"][i]
            return "Nota de crédito ref. \(ref): \(why)"
        }
    }

    static func interest(lang: Lang, invoice: Int, days: Int) -> String {
        let ref = "INV-" + padded(invoice)
        switch lang {
        case .en: return "Late payment interest on \(ref), \(days) days"
        case .es: return "Intereses moratorios sobre \(ref), \(days) días"
        case .fr: return "Intérêts de retard sur \(ref), \(days) jours"
        case .pt: return "Juros de mora sobre \(ref), \(days) dias"
        }
    }

    static func fee(lang: Lang, rng: inout SplitMix64) -> String {
        let i = rng.below(3)
        switch lang {
        case .en: return ["Returned check fee", "Reminder fee", "Late fee"][i]
        case .es: return ["Comisión por cheque devuelto", "Gastos de cobranza", "Cargo por pago tardío"][i]
        case .fr: return ["Frais de rejet de prélèvement", "Frais de relance", "Pénalité de retard"][i]
        case .pt: return ["Tarifa de cheque devolvido", "Despesas de cobrança", "Multa por atraso"][i]
        }
    }

    static func paymentReference(
        method: PayMethod, country: String, lang: Lang, customer: Int, document: (StaticString, Int)?, rng: inout SplitMix64
    ) -> String {
        var s: String
        switch method {
        case .transfer:
            switch country {
            case "MX": s = "SPEI " + digits(7, &rng)
            case "BR": s = rng.chance(0.7) ? "PIX E" + digits(12, &rng) : "TED " + digits(8, &rng)
            case "US", "CA": s = rng.chance(0.7) ? "ACH " + digits(15, &rng) : "WIRE " + digits(8, &rng)
            case "GB": s = "FPS " + digits(10, &rng)
            case "CO", "CL": s = "TRANSF " + digits(9, &rng)
            default: s = "SEPA CT " + digits(10, &rng)
            }
        case .card: s = "CARD ****" + digits(4, &rng) + " AUTH " + digits(6, &rng)
        case .check:
            switch lang {
            case .en: s = "CHK " + digits(6, &rng)
            case .fr: s = "CHQ n° " + digits(7, &rng)
            case .es, .pt: s = "CHEQUE " + digits(7, &rng)
            }
        case .cash:
            switch lang {
            case .en: s = "CASH RCPT " + digits(5, &rng)
            case .es: s = "EFECTIVO REC. " + digits(5, &rng)
            case .fr: s = "ESPÈCES REÇU " + digits(5, &rng)
            case .pt: s = "DINHEIRO REC. " + digits(5, &rng)
            }
        case .directDebit:
            switch country {
            case "GB": s = "BACS DD " + padded(customer, width: 6)
            case "US", "CA": s = "ACH DEBIT " + digits(10, &rng)
            default: s = "SEPA DD MNDT-C" + padded(customer, width: 6)
            }
        }
        if let document {
            if rng.chance(0.6) { s += " " + document.0.description + padded(document.1) }
        } else if rng.chance(0.5) {
            switch lang {
            case .en: s += rng.chance(0.5) ? " Payment on account" : " Payment on account, remittance to follow"
            case .es: s += rng.chance(0.5) ? " Abono a cuenta" : " Abono a cuenta, ver remesa"
            case .fr: s += " Acompte"
            case .pt: s += " Pagamento por conta"
            }
        }
        return s
    }
}
