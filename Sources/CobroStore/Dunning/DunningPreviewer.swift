import CobroCore
import Foundation

/// Renders a template for one real customer (issue 3, point 4: "a preview endpoint renders any template for any
/// customer"). Reads only.
public enum DunningPreviewer {
    /// `edit`, when given, holds unsaved texts of `key` in the language the preview renders in (`language`, else the
    /// customer's, else the company's), laid over the saved configuration so an editor sees a change before saving
    /// it; they are validated like a save would (errors carry the field path).
    public static func preview(
        _ db: any Database, company: CompanyRecord, customerRef: String, key: TemplateKey, language: String?, asOf: LocalDate,
        edit: CompanyTemplates.Sources? = nil, portalLink: String = ""
    ) async throws -> DunningPreview {
        let (config, input, facts) = try await db.read { c in
            guard let id = try await LedgerQueries.customerID(c, company: company.id, ref: customerRef)
            else { throw StoreError.notFound("customer \(customerRef) does not exist") }
            let (_, config) = try await DunningConfigStore.current(c, company: company.id)
            let (input, facts) = try await DunningStore(c, company: company.id).planInput(
                asOf: asOf, baseCurrency: company.baseCurrency, rates: [], assignment: config.assignment, only: CustomerID(id))
            if facts.isEmpty {
                // Nothing open: the customer still gets a preview, with an empty invoice table.
                let r = try await c.first(
                    "SELECT name, email, phone, postal_address, language FROM customer WHERE company_id = $1 AND id = $2", [.int(company.id), .int(id)])!
                let recipient = DunningRecipient(
                    customerName: r.text(0), email: r.textOrNil(1), phone: r.textOrNil(2), postalAddress: r.textOrNil(3), language: r.textOrNil(4))
                return (config, [DunningOpenItem](), recipient)
            }
            return (config, input.customers.first?.items ?? [], facts.values.first!.recipient)
        }
        var templates: TemplateSet
        switch config.effectiveTemplates() {
        case .success(let set): templates = set
        case .failure(let rejection): throw StoreError.invalid(field: rejection.issues[0].path, rejection.issues[0].message)
        }
        if let edit {
            let texts = CompanyTemplates([key: [language ?? facts.language ?? company.locale: edit]])
            switch texts.compiled(over: templates) {
            case .success(let set): templates = set
            case .failure(let rejection): throw StoreError.invalid(field: rejection.issues[0].path, rejection.issues[0].message)
            }
        }
        switch DunningComposer.preview(
            key, items: input, customerRef: customerRef, to: facts, language: language, companyName: company.name,
            companyLanguage: company.locale, templates: templates, portalLink: portalLink, collectorName: company.name, asOf: asOf)
        {
        case .success(let p): return p
        case .failure(let problem): throw StoreError.invalid(field: "template", problem.description)
        }
    }
}
