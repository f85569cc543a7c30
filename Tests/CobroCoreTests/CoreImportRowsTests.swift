import Testing
@testable import CobroCore

// CSV import rows (DESIGN §6 formats, §4.4 "every rejected input has an error with line/column/field").
// Records come from CSVParser so that lines and columns are the real ones; expected columns are counted by hand.

private let USD = Currency(code: "USD")!
private let JPY = Currency(code: "JPY")!
private let MXN = Currency(code: "MXN")!

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

/// Parses `text` (header first) into records; any CSV syntax error is a test setup error.
private func records(_ text: String) -> [CSVRecord] {
    var parser = CSVParser()
    var out = parser.feed(Array(text.utf8))
    out += parser.finish()
    return out.map {
        switch $0 {
        case .success(let r): return r
        case .failure(let e): fatalError("test CSV is malformed: \(e)")
        }
    }
}

private func header(_ line: String, _ required: [String], _ optional: [String]) -> Result<CSVHeader, ImportIssues> {
    CSVHeader.resolve(records(line)[0], required: required, optional: optional)
}

private func issues<T>(_ r: Result<T, ImportIssues>) -> [ImportIssue] {
    if case .failure(let e) = r { return e.issues }
    return []
}

private func value<T>(_ r: Result<T, ImportIssues>) -> T? {
    if case .success(let v) = r { return v }
    return nil
}

private let invoiceHeader = "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind,disputed"

/// Validates one invoice row (line 2) under `head` (line 1).
private func invoice(_ row: String, head: String = invoiceHeader) -> Result<Document, ImportIssues> {
    let recs = records(head + "\n" + row + "\n")
    guard case .success(let h) = CSVHeader.resolve(recs[0], required: ImportRows.invoiceRequired, optional: ImportRows.invoiceOptional) else {
        fatalError("test header rejected: \(head)")
    }
    return ImportRows.document(recs[1], header: h)
}

private let customerHeader = "customer_ref,name,email,language,timezone,country,credit_limit,currency,strategic"

private func customer(_ row: String, base: Currency = USD, head: String = customerHeader) -> Result<Customer, ImportIssues> {
    let recs = records(head + "\n" + row + "\n")
    guard case .success(let h) = CSVHeader.resolve(recs[0], required: ImportRows.customerRequired, optional: ImportRows.customerOptional) else {
        fatalError("test header rejected: \(head)")
    }
    return ImportRows.customer(recs[1], header: h, baseCurrency: base)
}

private let paymentHeader = "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref,method,reference"

private func payment(_ row: String, head: String = paymentHeader) -> Result<Payment, ImportIssues> {
    let recs = records(head + "\n" + row + "\n")
    guard case .success(let h) = CSVHeader.resolve(recs[0], required: ImportRows.paymentRequired, optional: ImportRows.paymentOptional) else {
        fatalError("test header rejected: \(head)")
    }
    return ImportRows.payment(recs[1], header: h)
}

@Suite("Core: CSVHeader")
struct CoreCSVHeaderTests {
    @Test func anyColumnOrderAndCaseAndSpaces() throws {
        let h = try header(" Amount ,CURRENCY,due_date,issue_date,customer_ref,invoice_ref", ImportRows.invoiceRequired, ImportRows.invoiceOptional).get()
        #expect(h.position(of: "amount") == 0)
        #expect(h.position(of: "currency") == 1)
        #expect(h.position(of: "invoice_ref") == 5)
        #expect(h.position(of: "kind") == nil)
        #expect(h.warnings.isEmpty)
        #expect(h.names.count == 6)
    }

    @Test func unknownColumnIsAWarningWithItsColumn() throws {
        let h = try header("invoice_ref,customer_ref,issue_date,due_date,currency,amount,color", ImportRows.invoiceRequired, ImportRows.invoiceOptional).get()
        #expect(h.warnings.count == 1)
        let w = try #require(h.warnings.first)
        #expect(w.severity == .warning)
        #expect(w.line == 1)
        #expect(w.column == 62)
        #expect(w.field == "color")
        #expect(w.message.contains("unknown column \"color\""), "\(w.message)")
        #expect(h.position(of: "color") == 6)
    }

    @Test func missingRequiredColumnsAreErrors() {
        let found = issues(header("invoice_ref,issue_date,currency,amount", ImportRows.invoiceRequired, ImportRows.invoiceOptional))
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.severity == .error && $0.line == 1 && $0.column == nil })
        #expect(found.contains { $0.message.contains("required column \"customer_ref\" is missing") })
        #expect(found.contains { $0.message.contains("required column \"due_date\" is missing") })
    }

    @Test func repeatedColumnIsAnErrorAtTheRepeat() throws {
        let found = issues(header("invoice_ref,customer_ref,issue_date,due_date,currency,amount,Currency", ImportRows.invoiceRequired, ImportRows.invoiceOptional))
        #expect(found.count == 1)
        let e = try #require(found.first)
        #expect(e.severity == .error)
        #expect(e.line == 1)
        #expect(e.column == 62)
        #expect(e.field == "currency")
        #expect(e.message.contains("appears twice"), "\(e.message)")
    }

    @Test func repeatedAndMissingAreReportedTogether() {
        let found = issues(header("invoice_ref,invoice_ref,issue_date,due_date,currency,amount", ImportRows.invoiceRequired, ImportRows.invoiceOptional))
        #expect(found.count == 2)
        #expect(found.contains { $0.field == "invoice_ref" && $0.column == 13 && $0.message.contains("appears twice") })
        #expect(found.contains { $0.column == nil && $0.message.contains("\"customer_ref\" is missing") })
    }

    @Test func issueDescriptionSaysWhere() {
        let i = ImportIssue(line: 7, column: 23, field: "due_date", message: "due date 2024-01-01 is before issue date 2024-02-01")
        #expect(i.description == "line 7, column 23 (due_date): due date 2024-01-01 is before issue date 2024-02-01")
        #expect(ImportIssue(line: 3, message: "x").description == "line 3: x")
    }
}

@Suite("Core: ImportRows invoices")
struct CoreImportInvoiceTests {
    @Test("cells lose leading and trailing spaces only; kind, channel and booleans in any case")
    func spacesAndCase() throws {
        let head = "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind,description,billing_channel,disputed"
        let d = try #require(value(invoice(#"  INV-7 ,C1,2024-06-01 , 2024-07-01,USD,  10.00,Credit_Note,"  two  words  ",PORTAL, TRUE"#, head: head)))
        #expect(d.ref == "INV-7" && d.issueDate == day("2024-06-01") && d.dueDate == day("2024-07-01") && d.amountMinor == 1000)
        #expect(d.kind == .creditNote && d.billingChannel == .portal && d.disputed)
        #expect(d.description == "two  words", "inner spaces stay")
        let blank = try #require(value(invoice("INV-8,C1,2024-06-01,2024-07-01,USD,1.00,   ,   ,,false", head: head)))
        #expect(blank.kind == .invoice && blank.description == nil && !blank.disputed, "a cell of spaces is empty")
    }

    @Test func validRow() throws {
        let d = try #require(value(invoice(#"INV-1,C1,2024-06-01,2024-07-01,usd,1234.5,debit_note,yes"#)))
        #expect(d.ref == "INV-1")
        #expect(d.customerRef == "C1")
        #expect(d.kind == .debitNote)
        #expect(d.issueDate == day("2024-06-01"))
        #expect(d.dueDate == day("2024-07-01"))
        #expect(d.currency == USD)
        #expect(d.amountMinor == 123_450)
        #expect(d.disputed)
    }

    @Test func defaultsAndOptionalColumns() throws {
        let head = "amount,currency,due_date,issue_date,customer_ref,invoice_ref,description,billing_channel,po_number,terms"
        let d = try #require(value(invoice(#"5000,JPY,2024-06-01,2024-06-01,C9,INV-9,"Widgets, blue",Portal,PO-7,net 0"#, head: head)))
        #expect(d.kind == .invoice)
        #expect(!d.disputed)
        #expect(d.amountMinor == 5_000)
        #expect(d.currency == JPY)
        #expect(d.description == "Widgets, blue")
        #expect(d.billingChannel == .portal)
        #expect(d.poNumber == "PO-7")
        #expect(d.terms == "net 0")
        #expect(d.issueDate == d.dueDate)  // due on the issue date is allowed
    }

    @Test func creditNoteKind() throws {
        let d = try #require(value(invoice("CN-1,C1,2024-06-01,2024-06-01,USD,10,credit_note,")))
        #expect(d.kind == .creditNote)
        #expect(d.amountMinor == 1_000)
    }

    // Each row has exactly one problem, on line 2 at the given column.
    @Test(arguments: [
        (",C1,2024-06-01,2024-07-01,USD,100.00,invoice,false", "invoice_ref", 1, "invoice_ref is required"),
        ("INV-1,,2024-06-01,2024-07-01,USD,100.00,invoice,false", "customer_ref", 7, "customer_ref is required"),
        ("INV-1,  ,2024-06-01,2024-07-01,USD,100.00,invoice,false", "customer_ref", 7, "customer_ref is required"),
        ("INV-1,C1,,2024-07-01,USD,100.00,invoice,false", "issue_date", 10, "issue_date is required"),
        ("INV-1,C1,2024-02-30,2024-03-30,USD,100.00,invoice,false", "issue_date", 10, "\"2024-02-30\" is not a valid date"),
        ("INV-1,C1,2024-06-01,06/30/2024,USD,100.00,invoice,false", "due_date", 21, "\"06/30/2024\" is not a valid date"),
        ("INV-1,C1,2024-06-01,2024-05-31,USD,100.00,invoice,false", "due_date", 21, "due date 2024-05-31 is before issue date 2024-06-01"),
        ("INV-1,C1,2024-06-01,2024-07-01,XYZ,100.00,invoice,false", "currency", 32, "\"XYZ\" is not a known ISO 4217 currency code"),
        ("INV-1,C1,2024-06-01,2024-07-01,USDX,100.00,invoice,false", "currency", 32, "is not a known ISO 4217 currency code"),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,10.001,invoice,false", "amount", 36, "\"10.001\" has more decimals than USD allows (at most 2)"),
        ("INV-1,C1,2024-06-01,2024-07-01,JPY,10.5,invoice,false", "amount", 36, "has more decimals than JPY allows (at most 0)"),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,-5.00,invoice,false", "amount", 36, "credit_note"),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,0.00,invoice,false", "amount", 36, "greater than zero"),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,\"1,000\",invoice,false", "amount", 36, "is not a decimal amount"),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,,invoice,false", "amount", 36, "amount is required"),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,100.00,refund,false", "kind", 43, "\"refund\" is not one of invoice, credit_note, debit_note"),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,100.00,invoice,maybe", "disputed", 51, "\"maybe\" is not a boolean"),
    ])
    func singleProblem(row: String, field: String, column: Int, fragment: String) throws {
        let found = issues(invoice(row))
        #expect(found.count == 1, "\(found)")
        let i = try #require(found.first)
        #expect(i.line == 2)
        #expect(i.field == field)
        #expect(i.column == column)
        #expect(i.severity == .error)
        #expect(i.message.contains(fragment), "\(i.message)")
    }

    @Test(arguments: [
        ("INV-1,C1,2024-06-01,2024-07-01,USD,100.00,invoice", 7),
        ("INV-1,C1,2024-06-01,2024-07-01,USD,100.00,invoice,false,extra", 9),
    ])
    func wrongFieldCount(row: String, count: Int) throws {
        let found = issues(invoice(row))
        #expect(found.count == 1, "\(found)")
        let i = try #require(found.first)
        #expect(i.line == 2)
        #expect(i.column == nil)
        #expect(i.field == nil)
        #expect(i.message == "expected 8 fields as in the header, found \(count)")
    }

    @Test func everyProblemOfARowIsReported() {
        let found = issues(invoice(",C1,2024-02-30,2024-01-01,XYZ,abc,refund,maybe"))
        #expect(found.map(\.field) == ["invoice_ref", "issue_date", "currency", "kind", "disputed"])
        #expect(found.map(\.column) == [1, 5, 27, 35, 42])
        #expect(found.allSatisfy { $0.line == 2 && $0.severity == .error })
    }

    @Test func amountAndDateOrderProblemsTogether() {
        let found = issues(invoice("INV-1,C1,2024-06-01,2024-05-01,USD,10.001,invoice,false"))
        #expect(Set(found.compactMap(\.field)) == ["amount", "due_date"])
        #expect(found.count == 2)
    }

    @Test func lineNumbersFollowThePhysicalLine() throws {
        // A quoted newline in row 2 pushes row 3 to physical line 4.
        let recs = records(invoiceHeader + "\nINV-1,C1,2024-06-01,2024-07-01,USD,1,invoice,\"a\nb\"\nINV-2,C1,2024-06-01,2024-07-01,USD,-1,invoice,false\n")
        let h = try header(invoiceHeader, ImportRows.invoiceRequired, ImportRows.invoiceOptional).get()
        let found = issues(ImportRows.document(recs[2], header: h))
        #expect(found.map(\.line) == [4])
        #expect(found.first?.column == 36)
    }
}

@Suite("Core: ImportRows customers")
struct CoreImportCustomerTests {
    @Test func validRow() throws {
        let c = try #require(value(customer("C1,Acme SA,ap@acme.mx,es-MX,America/Mexico_City,mx,1500.50,MXN,yes")))
        #expect(c.ref == "C1")
        #expect(c.name == "Acme SA")
        #expect(c.email == "ap@acme.mx")
        #expect(c.language == "es-MX")
        #expect(c.timezone == "America/Mexico_City")
        #expect(c.country == "MX")
        #expect(c.creditLimitMinor == 150_050)
        #expect(c.currency == MXN)
        #expect(c.strategic)
    }

    @Test func onlyRequiredColumns() throws {
        let c = try #require(value(customer("C2,Beta", head: "name,customer_ref")))
        // Header order is name, customer_ref.
        #expect(c.ref == "Beta")
        #expect(c.name == "C2")
        #expect(c.email == nil)
        #expect(c.creditLimitMinor == nil)
        #expect(c.currency == nil)
        #expect(!c.strategic)
    }

    @Test(arguments: [
        // base row: C1,Acme,a@b.co,es,UTC,MX,10,USD,no — columns 1,4,9,16,19,23,26,29,33
        ("C1,,a@b.co,es,UTC,MX,10,USD,no", "name", 4, "name is required"),
        ("C1,Acme,a@b,es,UTC,MX,10,USD,no", "email", 9, "\"a@b\" is not an email address"),
        ("C1,Acme,@b.co,es,UTC,MX,10,USD,no", "email", 9, "is not an email address"),
        ("C1,Acme,a@b@c.co,es,UTC,MX,10,USD,no", "email", 9, "is not an email address"),
        ("C1,Acme,a@b.co,english,UTC,MX,10,USD,no", "language", 16, "\"english\" is not a BCP 47 language tag"),
        ("C1,Acme,a@b.co,es_MX,UTC,MX,10,USD,no", "language", 16, "is not a BCP 47 language tag"),
        ("C1,Acme,a@b.co,e,UTC,MX,10,USD,no", "language", 16, "is not a BCP 47 language tag"),
        ("C1,Acme,a@b.co,es,Mars/Base,MX,10,USD,no", "timezone", 19, "\"Mars/Base\" is not an IANA time zone"),
        ("C1,Acme,a@b.co,es,UTC,MEX,10,USD,no", "country", 23, "\"MEX\" is not an ISO 3166 alpha-2 country code"),
        ("C1,Acme,a@b.co,es,UTC,M1,10,USD,no", "country", 23, "is not an ISO 3166 alpha-2 country code"),
        ("C1,Acme,a@b.co,es,UTC,MX,10.5,JPY,no", "credit_limit", 26, "has more decimals than JPY allows (at most 0)"),
        ("C1,Acme,a@b.co,es,UTC,MX,10.001,USD,no", "credit_limit", 26, "has more decimals than USD allows"),
        ("C1,Acme,a@b.co,es,UTC,MX,-1,USD,no", "credit_limit", 26, "credit_limit must not be negative"),
        ("C1,Acme,a@b.co,es,UTC,MX,ten,USD,no", "credit_limit", 26, "is not a decimal amount"),
        ("C1,Acme,a@b.co,es,UTC,MX,10,XYZ,no", "currency", 29, "\"XYZ\" is not a known ISO 4217 currency code"),
        ("C1,Acme,a@b.co,es,UTC,MX,10,USD,maybe", "strategic", 33, "\"maybe\" is not a boolean"),
    ])
    func singleProblem(row: String, field: String, column: Int, fragment: String) throws {
        let found = issues(customer(row))
        #expect(found.count == 1, "\(found)")
        let i = try #require(found.first)
        #expect(i.line == 2)
        #expect(i.field == field)
        #expect(i.column == column)
        #expect(i.message.contains(fragment), "\(i.message)")
    }

    @Test func baseRowIsValid() throws {
        let c = try #require(value(customer("C1,Acme,a@b.co,es,UTC,MX,10,USD,no")))
        #expect(c.timezone == "UTC")
        #expect(c.creditLimitMinor == 1_000)
        #expect(!c.strategic)
    }

    @Test func creditLimitUsesBaseCurrencyWhenCurrencyIsEmpty() throws {
        let row = "C1,Acme,a@b.co,es,UTC,MX,10.5,,no"
        #expect(value(customer(row, base: USD))?.creditLimitMinor == 1_050)
        let found = issues(customer(row, base: JPY))
        #expect(found.count == 1)
        #expect(found.first?.field == "credit_limit")
        #expect(found.first?.message.contains("JPY") == true)
        #expect(value(customer("C1,Acme,a@b.co,es,UTC,MX,10,,no", base: JPY))?.creditLimitMinor == 10)
        #expect(value(customer("C1,Acme,a@b.co,es,UTC,MX,0,,no"))?.creditLimitMinor == 0)  // zero limit is allowed
    }

    @Test(arguments: ["es", "en", "pt-BR", "es-419", "zh-Hant-TW", "fil"])
    func languageTagsAccepted(tag: String) {
        #expect(Validation.isLanguageTag(tag))
    }

    @Test(arguments: ["", "e", "engl", "es-", "-es", "es--MX", "es MX", "1a", "es-toolongsubtag"])
    func languageTagsRejected(tag: String) {
        #expect(!Validation.isLanguageTag(tag))
    }

    @Test func timeZonesAndCountries() {
        #expect(Validation.isTimeZone("America/Mexico_City"))
        #expect(Validation.isTimeZone("Europe/Madrid"))
        #expect(!Validation.isTimeZone("Mars/Base"))
        #expect(Validation.isCountry("MX"))
        #expect(!Validation.isCountry("MEX"))
        #expect(!Validation.isCountry("M"))
        #expect(Validation.isEmail("cobranza@example.com.mx"))
        #expect(!Validation.isEmail("a b@example.com"))
    }
}

@Suite("Core: ImportRows payments")
struct CoreImportPaymentTests {
    @Test func validRowWithInvoiceRef() throws {
        let p = try #require(value(payment("P-1,C1,2024-06-15,usd,250.00,INV-1,wire,REF 123")))
        #expect(p.ref == "P-1")
        #expect(p.customerRef == "C1")
        #expect(p.date == day("2024-06-15"))
        #expect(p.currency == USD)
        #expect(p.amountMinor == 25_000)
        #expect(p.invoiceRef == "INV-1")
        #expect(p.method == "wire")
        #expect(p.reference == "REF 123")
    }

    @Test func validRowWithoutInvoiceRef() throws {
        let p = try #require(value(payment("P-2,C1,2024-06-15,USD,250,,,")))
        #expect(p.invoiceRef == nil)
        #expect(p.method == nil)
        #expect(p.amountMinor == 25_000)
        let q = try #require(value(payment("P-3,C1,2024-06-15,JPY,5000", head: "payment_ref,customer_ref,payment_date,currency,amount")))
        #expect(q.invoiceRef == nil)
        #expect(q.amountMinor == 5_000)
        #expect(q.currency == JPY)
    }

    @Test(arguments: [
        ("P-1,C1,2024-06-31,USD,250.00,,,", "payment_date", 8, "\"2024-06-31\" is not a valid date"),
        ("P-1,C1,2024-06-15,USD,-250.00,,,", "amount", 23, "is negative"),
        ("P-1,C1,2024-06-15,USD,0,,,", "amount", 23, "greater than zero"),
        ("P-1,C1,2024-06-15,ABC,1,,,", "currency", 19, "\"ABC\" is not a known ISO 4217 currency code"),
        (",C1,2024-06-15,USD,1,,,", "payment_ref", 1, "payment_ref is required"),
    ])
    func singleProblem(row: String, field: String, column: Int, fragment: String) throws {
        let found = issues(payment(row))
        #expect(found.count == 1, "\(found)")
        let i = try #require(found.first)
        #expect(i.line == 2)
        #expect(i.field == field)
        #expect(i.column == column)
        #expect(i.message.contains(fragment), "\(i.message)")
    }
}
