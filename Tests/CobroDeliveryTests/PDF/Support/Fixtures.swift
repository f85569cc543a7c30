import CobroDelivery

/// Letters and statements in the shipped languages, for the rendering tests.
enum Fixtures {
    static let company = CompanyHeader(
        name: "Cobranzas Ibéricas S.L.",
        addressLines: ["Calle de Alcalá 123, 4º", "28009 Madrid, España", "NIF B-12345678 · cobros@ibericas.example"])

    static let recipient = [
        "Señora Dña. Begoña Muñoz Peñalver",
        "Construcciones Añil S.A.",
        "Avenida de la Constitución 45, 2º B",
        "41001 Sevilla",
        "ESPAÑA",
    ]

    static let spanishLabels = InvoiceColumnLabels(
        ref: "Factura", issueDate: "Emisión", dueDate: "Vencimiento", amount: "Importe", open: "Pendiente",
        daysPastDue: "Días de atraso")

    static func invoice(_ i: Int) -> InvoiceRow {
        InvoiceRow(
            ref: "FAC-2024-\(pad(i, 4))", issueDate: "\(pad(1 + i % 28, 2))/03/2024",
            dueDate: "\(pad(1 + i % 28, 2))/04/2024", amount: "€ \(i).234,56", open: "€ \(i % 7 + 1)00,00",
            daysPastDue: String(30 + i))
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func spanish(invoices: Int) -> Letter {
        Letter(
            company: company, recipient: recipient, date: "Madrid, 30 de junio de 2024",
            references: ["Cliente: C-1001", "Nuestra ref.: REC-77"],
            subject: "Último aviso: facturas vencidas",
            body: [
                "Estimada Sra. Muñoz:",
                "Según nuestros registros, las facturas siguientes siguen pendientes de pago. ¿Ya realizó la transferencia? ¡Gracias! En ese caso, le rogamos que ignore esta comunicación. El importe total asciende a € 1.234,56 más intereses de demora según la Ley 3/2004 (art. 7) y los gastos de gestión \\ reclamación.",
            ],
            invoiceLabels: spanishLabels,
            invoices: (1...invoices).map(invoice),
            totals: [
                TotalLine(label: "Total pendiente EUR", amount: "€ 1.234,56"),
                TotalLine(label: "Total pendiente USD", amount: "USD 98,00"),
            ],
            afterTable: ["Le rogamos que abone el importe pendiente en un plazo de diez días a la cuenta ES91 2100 0418 4502 0005 1332."],
            closing: ["Atentamente,"],
            signature: ["Begoña Núñez", "Departamento de Cobros"],
            footer: [
                "Cobranzas Ibéricas S.L. · Registro Mercantil de Madrid, tomo 1234, folio 56 · NIF B-12345678",
                "IBAN ES91 2100 0418 4502 0005 1332 · BIC CAIXESBBXXX",
            ],
            pageLabel: PageNumberLabel("Página {page} de {pages}"))
    }

    static let french = Letter(
        company: CompanyHeader(name: "Recouvrement Hexagone SAS", addressLines: ["12, rue de la Paix", "75002 Paris"]),
        recipient: ["Mme Hélène Lefèvre", "Boulangerie « Au Pain Doré »", "3, place de l’Église", "69002 Lyon", "FRANCE"],
        date: "Paris, le 30 juin 2024",
        subject: "Dernier rappel : solde échu",
        body: [
            "Madame,",
            "Sauf erreur de notre part, le solde de votre compte présente un arriéré. Nous vous prions de régulariser la situation dès réception de ce courrier. Coût : 40 € d’indemnité forfaitaire pour frais de recouvrement (art. L441-10 du Code de commerce).",
        ],
        invoiceLabels: InvoiceColumnLabels(
            ref: "Facture", issueDate: "Émise le", dueDate: "Échéance", amount: "Montant", open: "Reste dû",
            daysPastDue: "Jours de retard"),
        invoices: [
            InvoiceRow(ref: "F-0042", issueDate: "01/03/2024", dueDate: "31/03/2024", amount: "1\u{202F}234,56 EUR", open: "1\u{202F}234,56 EUR", daysPastDue: "91"),
            InvoiceRow(ref: "F-0043", issueDate: "15/03/2024", dueDate: "14/04/2024", amount: "5,00 EUR", open: "5,00 EUR", daysPastDue: "77"),
        ],
        totals: [TotalLine(label: "Total dû", amount: "1\u{202F}239,56 EUR")],
        closing: ["Veuillez agréer, Madame, l’expression de nos salutations distinguées."],
        signature: ["Gérard Béranger", "Service contentieux"],
        footer: ["Recouvrement Hexagone SAS · RCS Paris 123 456 789"],
        pageLabel: PageNumberLabel("Page {page} sur {pages}"))

    static let portuguese = Letter(
        company: CompanyHeader(name: "Cobranças Lusitânia, Lda.", addressLines: ["Rua Augusta 100", "1100-053 Lisboa"]),
        recipient: ["Exmo. Sr. João Conceição", "Pastelaria São Vicente", "Rua da Prata 12, 3.º Esq.", "4000-397 Porto"],
        date: "Lisboa, 30 de junho de 2024",
        subject: "Atenção: faturas em atraso",
        body: ["Exmo. Senhor,", "Verificámos que as faturas abaixo ainda não foram pagas. Solicitamos a sua regularização com a maior brevidade possível; não hesite em contactar-nos em caso de dúvida. Operações: ção, ã, õ, â, ê, à, è, ü."],
        invoiceLabels: InvoiceColumnLabels(
            ref: "Fatura", issueDate: "Emissão", dueDate: "Vencimento", amount: "Valor", open: "Em dívida",
            daysPastDue: "Dias de atraso"),
        invoices: [
            InvoiceRow(ref: "FT 2024/118", issueDate: "02/04/2024", dueDate: "02/05/2024", amount: "2.500,00 EUR", open: "1.250,00 EUR", daysPastDue: "59")
        ],
        totals: [TotalLine(label: "Total em dívida", amount: "1.250,00 EUR")],
        closing: ["Com os melhores cumprimentos,"],
        signature: ["Maria Gonçalves"],
        footer: ["Cobranças Lusitânia, Lda. · NIPC 500 000 000"],
        pageLabel: PageNumberLabel("Página {page} de {pages}"))

    static let movementLabels = StatementColumnLabels(
        date: "Fecha", kind: "Tipo", ref: "Referencia", description: "Descripción", debit: "Debe", credit: "Haber",
        balance: "Saldo")

    /// A Spanish statement with `count` movements (every third one a payment).
    static func statement(movements count: Int) -> StatementDocument {
        var balance = 100_000
        var movements: [StatementMovement] = []
        for i in 1...count {
            let payment = i % 3 == 0
            let amount = payment ? 45_000 : 30_000 + i
            balance += payment ? -amount : amount
            movements.append(
                StatementMovement(
                    date: "\(pad(1 + i % 28, 2))/\(pad(1 + i % 12, 2))/2024", kind: payment ? "Cobro" : "Factura",
                    ref: "MOV-\(pad(i, 4))", description: payment ? "Transferencia recibida" : "Suministro de material eléctrico",
                    debit: payment ? "" : euros(amount), credit: payment ? euros(amount) : "", balance: euros(balance)))
        }
        return StatementDocument(
            company: company, customer: recipient, references: ["Fecha: 31/12/2024", "Cliente: C-1001"],
            title: "Estado de cuenta", period: "Período: 01/01/2024 – 31/12/2024",
            openingBalance: TotalLine(label: "Saldo inicial", amount: euros(100_000)), labels: movementLabels,
            movements: movements, closingBalance: TotalLine(label: "Saldo final", amount: euros(balance)),
            openItemsTitle: "Partidas abiertas", openItemLabels: spanishLabels, openItems: (1...5).map(invoice),
            openItemTotals: [TotalLine(label: "Total pendiente", amount: euros(balance))],
            notes: ["Para cualquier aclaración sobre este extracto, contacte con cobros@ibericas.example."],
            footer: ["Cobranzas Ibéricas S.L. · NIF B-12345678"], pageLabel: PageNumberLabel("Página {page} de {pages}"))
    }

    /// Cents as `1.234,56 €`.
    static func euros(_ cents: Int) -> String {
        let whole = String(abs(cents) / 100)
        var grouped = ""
        for (i, d) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { grouped += "." }
            grouped.append(d)
        }
        return (cents < 0 ? "-" : "") + grouped + "," + pad(abs(cents) % 100, 2) + " €"
    }
}
