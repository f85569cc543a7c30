import Foundation
import Testing
@testable import CobroDelivery

/// Renders letters and reads them back with poppler (pdfinfo, pdftotext), the way a print shop's tools would.
@Suite("PDF: dunning letters read back with poppler", .enabled(if: Poppler.isAvailable, Poppler.skipMessage))
struct DunningLetterPopplerTests {
    @Test func spanishLetterTextAndPageSize() throws {
        let pdf = DunningLetter.render(Fixtures.spanish(invoices: 3))
        let info = try Poppler.info(pdf)
        #expect(info.pages == 1)
        #expect(info.pageSize.hasPrefix("595.28 x 841.89 pts"), "\(info.pageSize)")
        let text = Poppler.flat(try Poppler.text(pdf))
        for expected in [
            "Cobranzas Ibéricas S.L.", "Último aviso: facturas vencidas", "Estimada Sra. Muñoz:",
            "¿Ya realizó la transferencia? ¡Gracias!", "€ 1.234,56", "(art. 7)", "gestión \\ reclamación",
            "Madrid, 30 de junio de 2024", "Cliente: C-1001", "Días de atraso", "Total pendiente EUR", "USD 98,00",
            "Atentamente,", "Begoña Núñez", "Página 1 de 1", "Registro Mercantil de Madrid",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        for line in Fixtures.recipient { #expect(text.contains(line), "missing address line \(line)") }
    }

    @Test func frenchLetter() throws {
        let pdf = DunningLetter.render(Fixtures.french)
        let text = Poppler.flat(try Poppler.text(pdf))
        for expected in [
            "Dernier rappel : solde échu", "Boulangerie « Au Pain Doré »", "place de l’Église", "Mme Hélène Lefèvre",
            "1 234,56 EUR", "Coût : 40 € d’indemnité", "Émise le", "Échéance", "Jours de retard", "Total dû",
            "Veuillez agréer, Madame", "Gérard Béranger", "Page 1 sur 1",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }

    @Test func popplerFindsNothingToRepair() throws {
        for pdf in [
            DunningLetter.render(Fixtures.french), DunningLetter.render(Fixtures.spanish(invoices: 120)),
            StatementPDF.render(Fixtures.statement(movements: 300)),
        ] {
            #expect(try Poppler.diagnostics(pdf) == "")
        }
        #expect(try Poppler.info(DunningLetter.render(Fixtures.french)).title == "Dernier rappel : solde échu")
    }

    @Test func portugueseLetter() throws {
        let text = Poppler.flat(try Poppler.text(DunningLetter.render(Fixtures.portuguese)))
        for expected in [
            "Atenção: faturas em atraso", "Cobranças Lusitânia, Lda.", "Exmo. Sr. João Conceição",
            "Operações: ção, ã, õ, â, ê, à, è, ü.", "Em dívida", "Emissão", "Com os melhores cumprimentos,",
            "Maria Gonçalves", "Página 1 de 1", "1.250,00 EUR",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }

    @Test func charactersOutsideCp1252PrintAsQuestionMarks() throws {
        var letter = Fixtures.french
        letter.recipient = ["Pan Łukasz Źródło", "ul. Łódzka 5", "90-001 Łódź", "POLSKA 👍"]
        let text = try Poppler.text(DunningLetter.render(letter))
        #expect(text.contains("Pan ?ukasz ?ród?o"))
        #expect(text.contains("90-001 ?ód?"))
        #expect(text.contains("POLSKA ?"))
    }

    @Test func recipientSitsInTheDIN5008Window() throws {
        let letter = Fixtures.spanish(invoices: 3)
        let words = try Poppler.words(DunningLetter.render(letter))
        let pt = 72.0 / 25.4
        // Window: 20 mm from the left, 45 mm from the top, 85 × 45 mm (pdftotext's y grows downwards).
        let window = (left: 20 * pt, top: 45 * pt, right: 105 * pt, bottom: 90 * pt)
        let recipientZoneTop = (45 + 17.7) * pt
        var found = 0
        for line in Fixtures.recipient {
            let first = String(line.split(separator: " ")[0])
            guard let word = words.first(where: { $0.text == first && $0.yMin > window.top && $0.yMin < window.bottom }) else {
                Issue.record("address word \(first) not inside the window band")
                continue
            }
            found += 1
            #expect(abs(word.xMin - 25 * pt) < 0.5, "\(first) starts at \(word.xMin)")
            #expect(word.yMin > recipientZoneTop && word.yMin < window.bottom)
        }
        #expect(found == Fixtures.recipient.count)
        // Nothing else is printed inside the window except the return address and the recipient.
        let allowed = Set(Fixtures.recipient.flatMap { $0.split(separator: " ").map(String.init) })
            .union(Fixtures.company.returnAddressLine.split(separator: " ").map(String.init))
        for word in words where word.xMin >= window.left && word.xMax <= window.right && word.yMin >= window.top && word.yMin <= window.bottom {
            // The return address is cut with "…" where it is longer than the window.
            #expect(allowed.contains(word.text) || word.text.hasSuffix("…"), "unexpected \(word.text) in the window")
        }
    }

    @Test func longInvoiceTableBreaksPagesAndRepeatsItsHeader() throws {
        let letter = Fixtures.spanish(invoices: 120)
        let doc = DunningLetter.document(letter)
        let pdf = doc.bytes()
        let info = try Poppler.info(pdf)
        #expect(info.pages == doc.pages.count)
        // 26 rows fit under the letter's opening on page 1, 48 on each later page; closing on the last page.
        #expect(info.pages == 4)
        let sizes = try Poppler.withFile(pdf) { try Poppler.run("pdfinfo", ["-f", "1", "-l", "\(info.pages)", $0]) }
        let a4Pages = sizes.split(separator: "\n").filter { $0.hasPrefix("Page ") && $0.contains(" size:") && $0.hasSuffix("595.28 x 841.89 pts (A4)") }
        #expect(a4Pages.count == info.pages, "\(sizes)")

        let pages = try Poppler.pages(pdf)
        #expect(pages.count == info.pages)
        let all = pages.joined()
        for invoice in letter.invoices {
            #expect(all.components(separatedBy: invoice.ref + " ").count - 1 == 1, "\(invoice.ref) not exactly once")
        }
        let tablePages = pages.indices.filter { pages[$0].contains("FAC-2024-") }
        #expect(tablePages == [0, 1, 2])
        for i in tablePages {
            let header = pages[i].split(separator: "\n").first { line in
                ["Factura", "Emisión", "Vencimiento", "Importe", "Pendiente", "Días de atraso"].allSatisfy { line.contains($0) }
            }
            #expect(header != nil, "page \(i + 1) lacks the table header")
        }
        for (i, page) in pages.enumerated() {
            #expect(page.contains("Página \(i + 1) de \(pages.count)"))
            #expect(page.contains("Cobranzas Ibéricas S.L."))
        }
        // Later pages carry the running header; the letterhead's address is on page 1 only.
        #expect(pages[1].contains("Cobranzas Ibéricas S.L. · Último aviso: facturas vencidas"))
        #expect(pages[0].contains("28009 Madrid, España") && !pages[1].contains("28009 Madrid, España"))
        #expect(pages[2].contains("Total pendiente EUR") && pages[2].contains("Total pendiente USD"))
        let last = pages[pages.count - 1]
        #expect(last.contains("Begoña Núñez") && last.contains("Atentamente,") && !last.contains("Factura"))
        // Rows keep their order across pages.
        let first = try #require(all.range(of: "FAC-2024-0001 "))
        let middle = try #require(all.range(of: "FAC-2024-0060 "))
        let end = try #require(all.range(of: "FAC-2024-0120 "))
        #expect(first.lowerBound < middle.lowerBound && middle.lowerBound < end.lowerBound)
    }

    @Test func englishDefaultsPageLabel() throws {
        var letter = Fixtures.spanish(invoices: 120)
        letter.pageLabel = .english
        let pages = try Poppler.pages(DunningLetter.render(letter))
        #expect(pages[1].contains("Page 2 of \(pages.count)"))
        #expect(pages[0].contains("Page 1 of 4") && pages[3].contains("Page 4 of 4"))
    }
}
