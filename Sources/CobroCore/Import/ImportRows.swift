import Foundation

/// Reads and validates one CSV record against a resolved header, collecting every field problem with its place.
struct RowReader {
    let record: CSVRecord
    let header: CSVHeader
    var issues: [ImportIssue] = []

    init(_ record: CSVRecord, _ header: CSVHeader) {
        self.record = record
        self.header = header
    }

    func column(_ field: String) -> Int? {
        header.position(of: field).flatMap { $0 < record.columns.count ? record.columns[$0] : nil }
    }

    mutating func fail(_ field: String, _ message: String) {
        issues.append(ImportIssue(line: record.line, column: column(field), field: field, message: message))
    }

    /// The trimmed value, or nil when the column is absent or the cell is empty.
    func optional(_ field: String) -> String? {
        guard let i = header.position(of: field), i < record.fields.count else { return nil }
        let v = record.fields[i].trimmingSpaces()
        return v.isEmpty ? nil : v
    }

    mutating func required(_ field: String) -> String? {
        guard let v = optional(field) else {
            fail(field, "\(field) is required")
            return nil
        }
        return v
    }

    mutating func date(_ field: String, required isRequired: Bool = true) -> LocalDate? {
        guard let v = isRequired ? required(field) : optional(field) else { return nil }
        guard let d = LocalDate(iso: v) else {
            fail(field, "\"\(v)\" is not a valid date; use YYYY-MM-DD (e.g. 2024-06-30)")
            return nil
        }
        return d
    }

    mutating func currency(_ field: String, required isRequired: Bool = true) -> Currency? {
        guard let v = isRequired ? required(field) : optional(field) else { return nil }
        guard let c = Currency(code: v.uppercased()), v.count == 3 else {
            fail(field, "\"\(v)\" is not a known ISO 4217 currency code (e.g. USD, EUR, MXN)")
            return nil
        }
        return c
    }

    /// An amount in the currency's minor units: strictly positive, or ≥ 0 with `allowZero` (limits).
    mutating func amount(_ field: String, currency: Currency?, required isRequired: Bool = true, allowZero: Bool = false) -> Int64? {
        guard let v = isRequired ? required(field) : optional(field) else { return nil }
        guard let currency else { return nil }  // the currency error is already reported
        switch Money.parseMinor(v, currency: currency) {
        case .failure(let e):
            fail(field, e.description)
            return nil
        case .success(let m) where m < 0:
            fail(field, allowZero ? "\(field) must not be negative" : "amount \(v) is negative; amounts are positive (import a credit note with kind=credit_note instead)")
            return nil
        case .success(let m) where m == 0 && !allowZero:
            fail(field, "amount must be greater than zero")
            return nil
        case .success(let m):
            return m
        }
    }

    mutating func bool(_ field: String) -> Bool? {
        guard let v = optional(field) else { return nil }
        switch v == "false" || v == "true" ? v : v.lowercased() {
        case "true", "yes", "1", "y": return true
        case "false", "no", "0", "n": return false
        default:
            fail(field, "\"\(v)\" is not a boolean; use true or false")
            return nil
        }
    }

    mutating func oneOf<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let v = optional(field) else { return nil }
        guard let t = T(rawValue: v) ?? T(rawValue: v.lowercased()) else {
            fail(field, "\"\(v)\" is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return t
    }

    mutating func checkFieldCount() {
        if record.fields.count != header.names.count {
            issues.append(ImportIssue(
                line: record.line,
                message: "expected \(header.names.count) fields as in the header, found \(record.fields.count)"))
        }
    }
}

/// Validation of import rows (DESIGN §6 formats). Each function returns the record or every problem found.
public enum ImportRows {
    public static let customerRequired = ["customer_ref", "name"]
    public static let customerOptional = ["email", "phone", "language", "timezone", "country", "segment", "strategic", "credit_limit", "currency"]
    public static let invoiceRequired = ["invoice_ref", "customer_ref", "issue_date", "due_date", "currency", "amount"]
    public static let invoiceOptional = ["kind", "description", "terms", "po_number", "billing_channel", "disputed"]
    public static let paymentRequired = ["payment_ref", "customer_ref", "payment_date", "currency", "amount"]
    public static let paymentOptional = ["invoice_ref", "method", "reference"]

    public static func customer(_ record: CSVRecord, header: CSVHeader, baseCurrency: Currency) -> Result<Customer, ImportIssues> {
        var r = RowReader(record, header)
        r.checkFieldCount()
        let ref = r.required("customer_ref")
        let name = r.required("name")
        let email = r.optional("email")
        if let email, !Validation.isEmail(email) { r.fail("email", "\"\(email)\" is not an email address") }
        let language = r.optional("language")
        if let language, !Validation.isLanguageTag(language) {
            r.fail("language", "\"\(language)\" is not a BCP 47 language tag (e.g. es, es-MX, en, pt-BR)")
        }
        let tz = r.optional("timezone")
        if let tz, !Validation.isTimeZone(tz) { r.fail("timezone", "\"\(tz)\" is not an IANA time zone (e.g. America/Mexico_City)") }
        let country = r.optional("country")
        if let country, !Validation.isCountry(country) { r.fail("country", "\"\(country)\" is not an ISO 3166 alpha-2 country code (e.g. MX)") }
        let strategic = r.bool("strategic") ?? false
        let currency = r.currency("currency", required: false)
        let limit = r.amount("credit_limit", currency: currency ?? baseCurrency, required: false, allowZero: true)
        guard r.issues.isEmpty, let ref, let name else { return .failure(ImportIssues(r.issues)) }
        return .success(Customer(
            ref: ref, name: name, email: email, phone: r.optional("phone"), language: language, timezone: tz,
            country: country?.uppercased(), segment: r.optional("segment"), strategic: strategic,
            creditLimitMinor: limit, currency: currency))
    }

    public static func document(_ record: CSVRecord, header: CSVHeader) -> Result<Document, ImportIssues> {
        var r = RowReader(record, header)
        r.checkFieldCount()
        let ref = r.required("invoice_ref")
        let customer = r.required("customer_ref")
        let issue = r.date("issue_date")
        let due = r.date("due_date")
        let currency = r.currency("currency")
        let amount = r.amount("amount", currency: currency)
        let kind = r.oneOf("kind", DocumentKind.self) ?? .invoice
        let channel = r.oneOf("billing_channel", BillingChannel.self)
        let disputed = r.bool("disputed") ?? false
        if let issue, let due, due < issue {
            r.fail("due_date", "due date \(due.iso) is before issue date \(issue.iso)")
        }
        guard r.issues.isEmpty, let ref, let customer, let issue, let due, let currency, let amount else { return .failure(ImportIssues(r.issues)) }
        return .success(Document(
            ref: ref, customerRef: customer, kind: kind, issueDate: issue, dueDate: due, currency: currency,
            amountMinor: amount, description: r.optional("description"), terms: r.optional("terms"),
            poNumber: r.optional("po_number"), billingChannel: channel, disputed: disputed))
    }

    public static func payment(_ record: CSVRecord, header: CSVHeader) -> Result<Payment, ImportIssues> {
        var r = RowReader(record, header)
        r.checkFieldCount()
        let ref = r.required("payment_ref")
        let customer = r.required("customer_ref")
        let date = r.date("payment_date")
        let currency = r.currency("currency")
        let amount = r.amount("amount", currency: currency)
        guard r.issues.isEmpty, let ref, let customer, let date, let currency, let amount else { return .failure(ImportIssues(r.issues)) }
        return .success(Payment(
            ref: ref, customerRef: customer, date: date, currency: currency, amountMinor: amount,
            invoiceRef: r.optional("invoice_ref"), method: r.optional("method"), reference: r.optional("reference")))
    }
}

/// Small syntactic checks shared by CSV import and the API.
public enum Validation {
    public static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(" ")
    }

    /// A pragmatic BCP 47 check: a 2–3 letter language, then subtags of 2–8 letters/digits.
    public static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    public static func isCountry(_ s: String) -> Bool { s.count == 2 && s.allSatisfy { $0.isASCII && $0.isLetter } }

    public static func isTimeZone(_ s: String) -> Bool { TimeZone(identifier: s) != nil }
}
