import CobroCore
import Foundation
import Testing
@testable import CobroDelivery

@Suite("PDF: statements read back with poppler", .enabled(if: Poppler.isAvailable, Poppler.skipMessage))
struct StatementPopplerTests {
    @Test func hundredsOfMovementsAcrossPages() throws {
        let statement = Fixtures.statement(movements: 300)
        let doc = StatementPDF.document(statement)
        let pdf = doc.bytes()
        let info = try Poppler.info(pdf)
        #expect(info.pages == doc.pages.count)
        #expect(info.pages >= 6)
        #expect(info.pageSize.hasPrefix("595.28 x 841.89 pts"))

        let pages = try Poppler.pages(pdf)
        #expect(pages.count == info.pages)
        let all = pages.joined()
        for m in statement.movements {
            #expect(all.components(separatedBy: m.ref + " ").count - 1 == 1, "\(m.ref) not exactly once")
        }
        let movementPages = pages.filter { $0.contains("MOV-") }
        #expect(movementPages.count >= 5)
        for page in movementPages {
            let header = page.split(separator: "\n").first { line in
                ["Fecha", "Tipo", "Referencia", "Descripción", "Debe", "Haber", "Saldo"].allSatisfy { line.contains($0) }
            }
            #expect(header != nil)
        }
        for (i, page) in pages.enumerated() { #expect(page.contains("Página \(i + 1) de \(pages.count)")) }
        #expect(pages[0].contains("Estado de cuenta") && pages[0].contains("Período: 01/01/2024 – 31/12/2024"))
        #expect(pages[0].contains("Saldo inicial") && pages[0].contains("1.000,00 €"))
        for line in Fixtures.recipient { #expect(pages[0].contains(line)) }
        #expect(all.contains("Saldo final"))
        #expect(all.contains(statement.closingBalance.amount))
        #expect(all.contains("Partidas abiertas"))
        // The description wraps inside its column.
        #expect(all.contains("Suministro de material") && all.contains("eléctrico"))
        #expect(pages[pages.count - 1].contains("Para cualquier aclaración"))
    }

    @Test func fromCobroCoreStatementInFrench() throws {
        let eur = try #require(Currency(code: "EUR"))
        func day(_ iso: String) throws -> LocalDate { try #require(LocalDate(iso: iso)) }
        let core = Statement.build(
            customerRef: "C-42", currency: eur, from: try day("2024-01-01"), to: try day("2024-03-31"),
            openingMinor: 123_456,
            movements: [
                StatementLine(date: try day("2024-01-10"), kind: .invoice, ref: "F-100", description: "Prestations de février", debitMinor: 250_000, creditMinor: 0),
                StatementLine(date: try day("2024-02-01"), kind: .payment, ref: "VIR-7", debitMinor: 0, creditMinor: 100_000),
                StatementLine(date: try day("2024-02-15"), kind: .creditNote, ref: "AV-3", debitMinor: 0, creditMinor: 5_000),
            ],
            openItems: [
                StatementOpenItem(ref: "F-100", kind: .invoice, issueDate: try day("2024-01-10"), dueDate: try day("2024-02-09"), amountMinor: 250_000, openMinor: 145_000, daysPastDue: 51)
            ],
            unappliedMinor: 0)
        let wording = StatementWording(
            title: "Relevé de compte", period: "Période : {from} – {to}", openingBalance: "Solde d’ouverture",
            closingBalance: "Solde de clôture", invoice: "Facture", debitNote: "Note de débit", creditNote: "Avoir",
            payment: "Paiement", openItemsTitle: "Pièces ouvertes", totalOpen: "Total dû", unapplied: "Non imputé",
            labels: StatementColumnLabels(
                date: "Date", kind: "Type", ref: "Référence", description: "Libellé", debit: "Débit", credit: "Crédit",
                balance: "Solde"),
            openItemLabels: InvoiceColumnLabels(
                ref: "Facture", issueDate: "Émise le", dueDate: "Échéance", amount: "Montant", open: "Reste dû",
                daysPastDue: "Jours de retard"),
            pageLabel: PageNumberLabel("Page {page} sur {pages}"))
        let document = StatementDocument(
            statement: core, format: LocalizedFormat(languageTag: "fr-FR"), wording: wording,
            company: CompanyHeader(name: "Recouvrement Hexagone SAS", addressLines: ["12, rue de la Paix", "75002 Paris"]),
            customer: ["SARL Côte d’Azur", "8, boulevard Gambetta", "06000 Nice"])
        #expect(document.closingBalance.amount == "2\u{202F}684,56 EUR")
        let text = Poppler.flat(try Poppler.text(StatementPDF.render(document)))
        for expected in [
            "Relevé de compte", "Période : 01/01/2024 – 31/03/2024", "Solde d’ouverture", "1 234,56 EUR",
            "Prestations de février", "Paiement", "Avoir", "Solde de clôture", "2 684,56 EUR", "Pièces ouvertes",
            "1 450,00 EUR", "Total dû", "SARL Côte d’Azur", "Page 1 sur 1", "Jours de retard",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(!text.contains("Non imputé"))
    }
}
