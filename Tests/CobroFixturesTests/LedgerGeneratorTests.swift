import CobroCore
import CobroFixtures
import Testing

// MARK: - Helpers

/// The three files of one run, as text and as parsed rows (header excluded).
struct Ledger: Sendable {
    var counts: LedgerGenerator.Counts
    var customersText = ""
    var invoicesText = ""
    var paymentsText = ""
    var customerChunks: [String] = []
    var invoiceChunks: [String] = []
    var paymentChunks: [String] = []
    var customers: [[String]] = []
    var invoices: [[String]] = []
    var payments: [[String]] = []
    var headers: [[String]] = []
}

/// RFC 4180 parser: quoted fields may hold `,`, `""` and line breaks. Records end at LF.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var afterQuote = false
    var bytes = Array(text.utf8)
    if bytes.last != 10 { bytes.append(10) }
    var i = 0
    while i < bytes.count {
        let c = bytes[i]
        if inQuotes {
            if c == 34 {
                if i + 1 < bytes.count && bytes[i + 1] == 34 { field.append(34); i += 1 } else { inQuotes = false; afterQuote = true }
            } else {
                field.append(c)
            }
        } else if c == 34 && field.isEmpty && !afterQuote {
            inQuotes = true
        } else if c == 44 {
            row.append(String(decoding: field, as: UTF8.self)); field = []; afterQuote = false
        } else if c == 10 {
            row.append(String(decoding: field, as: UTF8.self)); field = []; afterQuote = false
            rows.append(row); row = []
        } else {
            field.append(c)
        }
        i += 1
    }
    return rows
}

func generateLedger(_ config: LedgerGenerator.Config) -> Ledger {
    var l = Ledger(counts: .init())
    var cc: [String] = [], ic: [String] = [], pc: [String] = []
    l.counts = LedgerGenerator(config).generate(
        customers: { cc.append($0) }, invoices: { ic.append($0) }, payments: { pc.append($0) })
    l.customerChunks = cc
    l.invoiceChunks = ic
    l.paymentChunks = pc
    l.customersText = cc.joined()
    l.invoicesText = ic.joined()
    l.paymentsText = pc.joined()
    let c = parseCSV(l.customersText), i = parseCSV(l.invoicesText), p = parseCSV(l.paymentsText)
    l.headers = [c.first ?? [], i.first ?? [], p.first ?? []]
    l.customers = Array(c.dropFirst())
    l.invoices = Array(i.dropFirst())
    l.payments = Array(p.dropFirst())
    return l
}

let end2025 = LocalDate(year: 2025, month: 6, day: 30)!
let mediumConfig = LedgerGenerator.Config(
    customers: 600, invoices: 15_000, seed: 7, start: LocalDate(year: 2023, month: 7, day: 1)!, end: end2025)
let medium = generateLedger(mediumConfig)
let demoConfig = LedgerGenerator.Config.demo(today: end2025)
let demo = generateLedger(demoConfig)

// Column positions.
enum C { static let ref = 0, name = 1, email = 2, phone = 3, language = 4, timezone = 5, country = 6, segment = 7, strategic = 8, limit = 9, currency = 10 }
enum I { static let ref = 0, customer = 1, issue = 2, due = 3, currency = 4, amount = 5, kind = 6, description = 7, terms = 8, po = 9, channel = 10, disputed = 11 }
enum P { static let ref = 0, customer = 1, date = 2, currency = 3, amount = 4, invoice = 5, method = 6, reference = 7 }

func minor(_ text: String, _ code: String) -> Int64? {
    guard let cur = Currency(code: code), case .success(let v) = Money.parseMinor(text, currency: cur) else { return nil }
    return v
}

/// Open amount per document after referenced payments and the credit notes that name it.
func openByDocument(_ l: Ledger) -> (invoiced: Int64, open: [String: Int64]) {
    var open: [String: Int64] = [:]
    var invoiced: Int64 = 0
    for r in l.invoices where r[I.kind] != "credit_note" {
        let a = minor(r[I.amount], r[I.currency])!
        open[r[I.ref]] = a
        invoiced += a
    }
    for r in l.invoices where r[I.kind] == "credit_note" {
        if let range = r[I.description].firstRange(of: "INV-") {
            let ref = String(r[I.description][range.lowerBound...].prefix(11))
            open[ref, default: 0] -= minor(r[I.amount], r[I.currency])!
        }
    }
    for r in l.payments where !r[P.invoice].isEmpty {
        open[r[P.invoice], default: 0] -= minor(r[P.amount], r[P.currency])!
    }
    return (invoiced, open)
}

// MARK: - Tests

@Suite("LedgerGenerator")
struct LedgerGeneratorTests {
    @Test("same seed and config give byte-identical files; another seed gives different ones")
    func determinism() {
        let cfg = LedgerGenerator.Config(customers: 80, invoices: 1_500, seed: 99, start: LocalDate(year: 2024, month: 1, day: 1)!, end: end2025)
        let a = generateLedger(cfg), b = generateLedger(cfg)
        #expect(a.customersText == b.customersText)
        #expect(a.invoicesText == b.invoicesText)
        #expect(a.paymentsText == b.paymentsText)
        #expect(a.counts == b.counts)
        var other = cfg
        other.seed = 100
        let c = generateLedger(other)
        #expect(a.customersText != c.customersText)
        #expect(a.invoicesText != c.invoicesText)
        #expect(a.paymentsText != c.paymentsText)
    }

    @Test("row counts are exact and match the returned Counts", arguments: [
        (600, 15_000), (50, 30), (10, 0), (1, 1), (3, 500),
    ])
    func exactCounts(customers: Int, invoices: Int) {
        let cfg = LedgerGenerator.Config(customers: customers, invoices: invoices, seed: 5, start: LocalDate(year: 2024, month: 1, day: 1)!, end: end2025)
        let l = generateLedger(cfg)
        #expect(l.customers.count == customers)
        #expect(l.invoices.count == invoices)
        #expect(l.counts.customers == customers)
        #expect(l.counts.invoices + l.counts.creditNotes + l.counts.debitNotes == invoices)
        #expect(l.invoices.filter { $0[I.kind] == "invoice" }.count == l.counts.invoices)
        #expect(l.invoices.filter { $0[I.kind] == "credit_note" }.count == l.counts.creditNotes)
        #expect(l.invoices.filter { $0[I.kind] == "debit_note" }.count == l.counts.debitNotes)
        #expect(l.payments.count == l.counts.payments)
    }

    @Test("every row has the header's columns; headers are exact; quoting is exercised and round-trips")
    func csvShape() {
        let l = medium
        #expect(l.headers[0].joined(separator: ",") == LedgerGenerator.customersHeader)
        #expect(l.headers[1].joined(separator: ",") == LedgerGenerator.invoicesHeader)
        #expect(l.headers[2].joined(separator: ",") == LedgerGenerator.paymentsHeader)
        #expect(LedgerGenerator.customersHeader == "customer_ref,name,email,phone,language,timezone,country,segment,strategic,credit_limit,currency")
        #expect(LedgerGenerator.invoicesHeader == "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind,description,terms,po_number,billing_channel,disputed")
        #expect(LedgerGenerator.paymentsHeader == "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref,method,reference")
        for r in l.customers { #expect(r.count == 11, "\(r)") }
        for r in l.invoices { #expect(r.count == 12, "\(r)") }
        for r in l.payments { #expect(r.count == 8, "\(r)") }
        // Names with commas and with quotes exist, and so do descriptions with both.
        #expect(l.customers.contains { $0[C.name].contains(",") })
        #expect(l.customers.contains { $0[C.name].contains("\"") })
        #expect(l.customers.contains { $0[C.name].unicodeScalars.contains { $0.value > 127 } })
        #expect(l.invoices.contains { $0[I.description].contains(",") })
        #expect(l.invoices.contains { $0[I.description].contains("\"") })
        // Line-level shape: LF only, no CR, no line that is not a record.
        #expect(!l.invoicesText.contains("\r"))
        #expect(l.invoicesText.split(separator: "\n").count == l.invoices.count + 1)
    }

    @Test("sinks get the header alone first, then whole-line chunks of about 64 KB")
    func chunking() {
        let l = medium
        #expect(l.customerChunks.first == LedgerGenerator.customersHeader + "\n")
        #expect(l.invoiceChunks.first == LedgerGenerator.invoicesHeader + "\n")
        #expect(l.paymentChunks.first == LedgerGenerator.paymentsHeader + "\n")
        for chunks in [l.customerChunks, l.invoiceChunks, l.paymentChunks] {
            for c in chunks {
                #expect(c.hasSuffix("\n"))
                #expect(c.utf8.count <= 66 * 1024)
            }
        }
        #expect(l.invoiceChunks.count > 10)
        #expect(l.invoiceChunks.dropFirst().dropLast().allSatisfy { $0.utf8.count >= 60 * 1024 })
    }

    @Test("refs are unique and well formed")
    func refs() {
        let l = medium
        func check(_ values: [String], _ prefixes: [String], digits: Int) {
            #expect(Set(values).count == values.count)
            for v in values {
                let p = prefixes.first { v.hasPrefix($0) }
                #expect(p != nil, "\(v)")
                if let p {
                    let rest = v.dropFirst(p.count)
                    #expect(rest.count >= digits && rest.allSatisfy(\.isNumber), "\(v)")
                }
            }
        }
        check(l.customers.map { $0[C.ref] }, ["C"], digits: 6)
        check(l.invoices.map { $0[I.ref] }, ["INV-", "CN-", "DN-"], digits: 7)
        check(l.payments.map { $0[P.ref] }, ["PAY-"], digits: 7)
        for r in l.invoices {
            let expected = ["invoice": "INV-", "credit_note": "CN-", "debit_note": "DN-"][r[I.kind]]
            #expect(expected != nil && r[I.ref].hasPrefix(expected!), "\(r)")
        }
        #expect(l.customers.first?[C.ref] == "C000001")
        #expect(l.invoices.first?[I.ref] == "INV-0000001")
        #expect(l.payments.first?[P.ref] == "PAY-0000001")
    }

    @Test("documents and payments reference existing customers and invoices, in the same currency and customer")
    func referentialIntegrity() {
        let l = medium
        var customerCurrency: [String: String] = [:]
        for r in l.customers { customerCurrency[r[C.ref]] = r[C.currency] }
        var docs: [String: [String]] = [:]
        for r in l.invoices {
            #expect(customerCurrency[r[I.customer]] == r[I.currency], "\(r)")
            docs[r[I.ref]] = r
        }
        for p in l.payments {
            #expect(customerCurrency[p[P.customer]] == p[P.currency], "\(p)")
            if !p[P.invoice].isEmpty {
                let d = docs[p[P.invoice]]
                #expect(d != nil, "\(p)")
                if let d {
                    #expect(d[I.customer] == p[P.customer], "\(p)")
                    #expect(d[I.currency] == p[P.currency], "\(p)")
                    #expect(d[I.kind] != "credit_note", "\(p)")
                }
            }
        }
        // A credit note names an earlier invoice of the same customer and is not larger than it.
        for r in l.invoices where r[I.kind] == "credit_note" {
            let range = r[I.description].firstRange(of: "INV-")
            #expect(range != nil, "\(r)")
            guard let range else { continue }
            let ref = String(r[I.description][range.lowerBound...].prefix(11))
            let inv = docs[ref]
            #expect(inv != nil, "\(r)")
            guard let inv else { continue }
            #expect(inv[I.customer] == r[I.customer])
            #expect(inv[I.issue] <= r[I.issue])
            #expect(minor(r[I.amount], r[I.currency])! <= minor(inv[I.amount], inv[I.currency])!)
        }
    }

    @Test("dates parse, lie in the period, due ≥ issue, notes are due on issue, payments between issue and end")
    func dates() {
        for (l, cfg) in [(medium, mediumConfig), (demo, demoConfig)] {
            var issue: [String: LocalDate] = [:]
            for r in l.invoices {
                let i = LocalDate(iso: r[I.issue]), d = LocalDate(iso: r[I.due])
                #expect(i != nil && d != nil, "\(r)")
                guard let i, let d else { continue }
                #expect(i >= cfg.start && i <= cfg.end, "\(r)")
                #expect(d >= i, "\(r)")
                if r[I.kind] == "invoice" {
                    #expect(r[I.terms] == "net \(d.days(since: i))", "\(r)")
                    #expect(["net 15", "net 30", "net 45", "net 60"].contains(r[I.terms]), "\(r)")
                } else {
                    #expect(d == i, "\(r)")
                }
                issue[r[I.ref]] = i
            }
            for p in l.payments {
                let d = LocalDate(iso: p[P.date])
                #expect(d != nil, "\(p)")
                guard let d else { continue }
                #expect(d <= cfg.end && d >= cfg.start, "\(p)")
                if let i = issue[p[P.invoice]] { #expect(d >= i, "\(p)") }
            }
            // Issue dates follow a business calendar: far more on weekdays than at weekends.
            let weekend = l.invoices.filter { LocalDate(iso: $0[I.issue])!.isoWeekday >= 6 }.count
            #expect(weekend * 10 < l.invoices.count)
        }
    }

    @Test("amounts are positive with exactly the currency's decimals", arguments: [
        [("USD", 0.55), ("EUR", 0.25), ("MXN", 0.20)], [("JPY", 1.0), ("BHD", 1.0), ("CLP", 1.0), ("GBP", 1.0)],
    ])
    func amounts(currencies: [(String, Double)]) {
        let cfg = LedgerGenerator.Config(
            customers: 120, invoices: 3_000, seed: 3, start: LocalDate(year: 2024, month: 1, day: 1)!, end: end2025,
            currencies: currencies.map { (code: $0.0, weight: $0.1) })
        let l = generateLedger(cfg)
        func check(_ text: String, _ code: String) {
            let cur = Currency(code: code)!
            let v = minor(text, code)
            #expect(v != nil && v! > 0, "\(text) \(code)")
            if let v { #expect(Money.format(minor: v, exponent: cur.exponent) == text, "\(text) \(code)") }
            let decimals = text.split(separator: ".", omittingEmptySubsequences: false)
            #expect(cur.exponent == 0 ? decimals.count == 1 : decimals.count == 2 && decimals[1].count == cur.exponent, "\(text) \(code)")
        }
        for r in l.invoices { check(r[I.amount], r[I.currency]) }
        for p in l.payments { check(p[P.amount], p[P.currency]) }
        for r in l.customers where !r[C.limit].isEmpty { check(r[C.limit], r[C.currency]) }
        #expect(Set(l.customers.map { $0[C.currency] }) == Set(currencies.map(\.0)))
    }

    @Test("customers look real: consistent language, time zone and country; valid enums")
    func customers() {
        let l = medium
        let consistent: [String: (languages: [String], zones: [String])] = [
            "MX": (["es-MX"], ["America/Mexico_City", "America/Monterrey", "America/Tijuana"]),
            "ES": (["es"], ["Europe/Madrid", "Atlantic/Canary"]),
            "FR": (["fr"], ["Europe/Paris"]),
            "BR": (["pt-BR"], ["America/Sao_Paulo", "America/Recife", "America/Manaus"]),
            "PT": (["pt"], ["Europe/Lisbon", "Atlantic/Azores"]),
            "US": (["en", "es-US"], ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]),
            "GB": (["en"], ["Europe/London"]),
            "IE": (["en"], ["Europe/Dublin"]),
            "CO": (["es"], ["America/Bogota"]),
            "CA": (["en-CA", "fr-CA"], ["America/Toronto", "America/Vancouver", "America/Edmonton"]),
        ]
        let currencyCountries: [String: Set<String>] = ["MXN": ["MX"], "EUR": ["ES", "FR", "PT", "IE"], "USD": ["US", "MX", "CO", "BR", "GB", "CA"]]
        var strategic = 0
        for r in l.customers {
            let rule = consistent[r[C.country]]
            #expect(rule != nil, "\(r)")
            if let rule {
                #expect(rule.languages.contains(r[C.language]), "\(r)")
                #expect(rule.zones.contains(r[C.timezone]), "\(r)")
            }
            #expect(currencyCountries[r[C.currency]]?.contains(r[C.country]) == true, "\(r)")
            #expect(["enterprise", "mid_market", "smb", "public"].contains(r[C.segment]), "\(r)")
            #expect(["true", "false"].contains(r[C.strategic]), "\(r)")
            if r[C.strategic] == "true" { strategic += 1 }
            #expect(!r[C.name].isEmpty)
            let at = r[C.email].split(separator: "@")
            #expect(at.count == 2 && at[1].contains(".") && r[C.email].utf8.allSatisfy { $0 < 128 && $0 != 32 }, "\(r)")
            #expect(r[C.phone].hasPrefix("+"), "\(r)")
        }
        #expect(strategic >= 10 && strategic <= 60, "strategic \(strategic) of 600")
        for r in l.invoices {
            #expect(["paper", "electronic", "portal"].contains(r[I.channel]), "\(r)")
            #expect(["true", "false"].contains(r[I.disputed]), "\(r)")
            #expect(["invoice", "credit_note", "debit_note"].contains(r[I.kind]), "\(r)")
        }
        for p in l.payments {
            #expect(["transfer", "card", "check", "cash", "direct_debit"].contains(p[P.method]), "\(p)")
        }
    }

    @Test("the demo dataset: about 200 customers, three currencies, four languages, 18 months")
    func demoDataset() {
        let l = demo
        #expect(demoConfig.customers == 200 && demoConfig.invoices == 5_000)
        #expect(l.customers.count == 200)
        #expect(l.invoices.count == 5_000)
        #expect(Set(l.customers.map { $0[C.currency] }).count >= 3)
        let languages = Set(l.customers.map { String($0[C.language].prefix(2)) })
        #expect(languages.isSuperset(of: ["es", "en", "fr", "pt"]))
        #expect(demoConfig.start == end2025.adding(months: -18).adding(days: 1))
        let issues = l.invoices.map { LocalDate(iso: $0[I.issue])! }
        #expect(issues.min()!.days(since: demoConfig.start) < 15)
        #expect(demoConfig.end.days(since: issues.max()!) < 5)
        // Nobody dominates the small dataset.
        var perCustomer: [String: Int] = [:]
        for r in l.invoices { perCustomer[r[I.customer], default: 0] += 1 }
        #expect(perCustomer.values.max()! < 500)
        #expect(perCustomer.count == 200)
    }

    @Test("the W1M config is 100k customers and 1M documents over 24 months")
    func w1mConfig() {
        let c = LedgerGenerator.Config.w1m(seed: 42, end: end2025)
        #expect(c.customers == 100_000)
        #expect(c.invoices == 1_000_000)
        #expect(c.seed == 42)
        #expect(c.end == end2025)
        #expect(c.start == LocalDate(year: 2023, month: 7, day: 1)!)
        #expect(c.invalidReason == nil)
    }

    @Test("receivables remain open at the end, some more than 90 days past due")
    func openReceivables() {
        for (l, cfg) in [(medium, mediumConfig), (demo, demoConfig)] {
            let (invoiced, open) = openByDocument(l)
            var due: [String: LocalDate] = [:]
            for r in l.invoices { due[r[I.ref]] = LocalDate(iso: r[I.due])! }
            let stillOpen = open.filter { $0.value > 0 }
            let openTotal = stillOpen.values.reduce(0, +)
            #expect(openTotal > 0)
            #expect(openTotal < invoiced)
            let overdue90 = stillOpen.keys.filter { cfg.end.days(since: due[$0]!) > 90 }
            #expect(!overdue90.isEmpty)
            let notYetDue = stillOpen.keys.filter { due[$0]! > cfg.end }
            #expect(!notYetDue.isEmpty)
            // Σ payments < Σ documents in every currency: the ledger is not fully settled.
            var paid: [String: Int64] = [:], billed: [String: Int64] = [:]
            for p in l.payments { paid[p[P.currency], default: 0] += minor(p[P.amount], p[P.currency])! }
            for r in l.invoices where r[I.kind] != "credit_note" { billed[r[I.currency], default: 0] += minor(r[I.amount], r[I.currency])! }
            for (code, b) in billed { #expect((paid[code] ?? 0) < b, "\(code)") }
        }
    }

    @Test("partial payments, on-account payments and overpayments all occur")
    func paymentVariety() {
        for l in [medium, demo] {
            var amount: [String: Int64] = [:]
            for r in l.invoices { amount[r[I.ref]] = minor(r[I.amount], r[I.currency])! }
            var paymentsPer: [String: Int] = [:]
            var paidPer: [String: Int64] = [:]
            var overpaid = 0
            for p in l.payments where !p[P.invoice].isEmpty {
                let a = minor(p[P.amount], p[P.currency])!
                paymentsPer[p[P.invoice], default: 0] += 1
                paidPer[p[P.invoice], default: 0] += a
                if a > amount[p[P.invoice]]! { overpaid += 1 }
            }
            let twoInstalments = paymentsPer.values.filter { $0 >= 2 }.count
            let partlyPaid = paidPer.filter { $0.value < amount[$0.key]! }.count
            let onAccount = l.payments.filter { $0[P.invoice].isEmpty }.count
            #expect(twoInstalments > 0)
            #expect(partlyPaid > 0)
            #expect(onAccount > 0)
            #expect(overpaid > 0)
        }
    }

    @Test("shares of document kinds, disputes and payment types are near their targets")
    func realisticShares() {
        let l = medium
        let n = Double(l.invoices.count)
        let creditShare = Double(l.counts.creditNotes) / n
        let debitShare = Double(l.counts.debitNotes) / n
        let disputed = Double(l.invoices.filter { $0[I.disputed] == "true" }.count) / Double(l.counts.invoices)
        #expect(creditShare > 0.015 && creditShare < 0.05, "credit notes \(creditShare)")
        #expect(debitShare > 0.003 && debitShare < 0.02, "debit notes \(debitShare)")
        #expect(disputed > 0.01 && disputed < 0.035, "disputed \(disputed)")
        let perDocument = Double(l.payments.count) / n
        #expect(perDocument > 0.8 && perDocument < 1.05, "payments per document \(perDocument)")
        let onAccount = Double(l.payments.filter { $0[P.invoice].isEmpty }.count) / Double(l.payments.count)
        #expect(onAccount > 0.008 && onAccount < 0.04, "on-account \(onAccount)")

        // Paid late: some but not all of the settled invoices.
        var due: [String: LocalDate] = [:]
        for r in l.invoices where r[I.kind] == "invoice" { due[r[I.ref]] = LocalDate(iso: r[I.due])! }
        var last: [String: LocalDate] = [:]
        for p in l.payments where due[p[P.invoice]] != nil {
            let d = LocalDate(iso: p[P.date])!
            last[p[P.invoice]] = max(last[p[P.invoice]] ?? d, d)
        }
        let late = Double(last.filter { $0.value > due[$0.key]! }.count) / Double(last.count)
        #expect(late > 0.3 && late < 0.75, "paid late \(late)")

        // Volume is skewed: the busiest tenth of customers has far more than a tenth of the documents.
        var perCustomer: [String: Int] = [:]
        for r in l.invoices { perCustomer[r[I.customer], default: 0] += 1 }
        let sorted = perCustomer.values.sorted(by: >)
        let top = sorted.prefix(sorted.count / 10).reduce(0, +)
        #expect(Double(top) / n > 0.25)
        // Four terms are used.
        #expect(Set(l.invoices.filter { $0[I.kind] == "invoice" }.map { $0[I.terms] }).count == 4)
    }

    @Test("invalid configurations are explained")
    func invalidConfigs() {
        let s = LocalDate(year: 2024, month: 1, day: 1)!
        #expect(LedgerGenerator.Config(customers: 0, invoices: 10, seed: 1, start: s, end: end2025).invalidReason != nil)
        #expect(LedgerGenerator.Config(customers: 5, invoices: -1, seed: 1, start: s, end: end2025).invalidReason != nil)
        #expect(LedgerGenerator.Config(customers: 5, invoices: 10, seed: 1, start: end2025, end: s).invalidReason != nil)
        #expect(LedgerGenerator.Config(customers: 5, invoices: 10, seed: 1, start: s, end: end2025, currencies: [("XYZ", 1)]).invalidReason != nil)
        #expect(LedgerGenerator.Config(customers: 5, invoices: 10, seed: 1, start: s, end: end2025, currencies: []).invalidReason != nil)
        #expect(LedgerGenerator.Config(customers: 5, invoices: 10, seed: 1, start: s, end: end2025, currencies: [("USD", 0)]).invalidReason != nil)
        #expect(LedgerGenerator.Config(customers: 5, invoices: 10, seed: 1, start: s, end: end2025).invalidReason == nil)
        #expect(LedgerGenerator.Config(customers: 5, invoices: 10, seed: 1, start: end2025, end: end2025).invalidReason == nil)
    }

    @Test("a one-day period still works")
    func oneDay() {
        let cfg = LedgerGenerator.Config(customers: 20, invoices: 200, seed: 1, start: end2025, end: end2025)
        let l = generateLedger(cfg)
        #expect(l.invoices.count == 200)
        #expect(l.invoices.allSatisfy { $0[I.issue] == "2025-06-30" })
        #expect(l.payments.allSatisfy { $0[P.date] == "2025-06-30" })
    }
}
