import CobroCore

extension StatementWording {
    public static let spanish = StatementWording(
        title: "Estado de cuenta", period: "Período: {from} – {to}", openingBalance: "Saldo inicial", closingBalance: "Saldo final",
        invoice: "Factura", debitNote: "Nota de débito", creditNote: "Nota de crédito", payment: "Pago", openItemsTitle: "Partidas abiertas",
        totalOpen: "Total pendiente", unapplied: "Pagos y créditos sin aplicar",
        labels: StatementColumnLabels(
            date: "Fecha", kind: "Tipo", ref: "Referencia", description: "Descripción", debit: "Cargo", credit: "Abono", balance: "Saldo"),
        openItemLabels: InvoiceColumnLabels(
            ref: "Factura", issueDate: "Emisión", dueDate: "Vencimiento", amount: "Importe", open: "Pendiente", daysPastDue: "Días de atraso"),
        pageLabel: PageNumberLabel("Página {page} de {pages}"))

    public static let french = StatementWording(
        title: "Relevé de compte", period: "Période : {from} – {to}", openingBalance: "Solde d’ouverture", closingBalance: "Solde de clôture",
        invoice: "Facture", debitNote: "Note de débit", creditNote: "Avoir", payment: "Paiement", openItemsTitle: "Pièces ouvertes",
        totalOpen: "Total restant dû", unapplied: "Paiements et avoirs non imputés",
        labels: StatementColumnLabels(
            date: "Date", kind: "Type", ref: "Référence", description: "Libellé", debit: "Débit", credit: "Crédit", balance: "Solde"),
        openItemLabels: InvoiceColumnLabels(
            ref: "Facture", issueDate: "Émission", dueDate: "Échéance", amount: "Montant", open: "Restant dû", daysPastDue: "Jours de retard"),
        pageLabel: PageNumberLabel("Page {page} sur {pages}"))

    public static let portuguese = StatementWording(
        title: "Extrato de conta", period: "Período: {from} – {to}", openingBalance: "Saldo inicial", closingBalance: "Saldo final",
        invoice: "Fatura", debitNote: "Nota de débito", creditNote: "Nota de crédito", payment: "Pagamento", openItemsTitle: "Itens em aberto",
        totalOpen: "Total em aberto", unapplied: "Pagamentos e créditos não aplicados",
        labels: StatementColumnLabels(
            date: "Data", kind: "Tipo", ref: "Referência", description: "Descrição", debit: "Débito", credit: "Crédito", balance: "Saldo"),
        openItemLabels: InvoiceColumnLabels(
            ref: "Fatura", issueDate: "Emissão", dueDate: "Vencimento", amount: "Valor", open: "Em aberto", daysPastDue: "Dias de atraso"),
        pageLabel: PageNumberLabel("Página {page} de {pages}"))

    /// The wording for a BCP 47 tag (`es-MX` → Spanish); English for languages Cobro does not ship.
    public static func forLanguage(_ tag: String) -> StatementWording {
        switch MessageLanguage(tag: tag) {
        case .es: .spanish
        case .fr: .french
        case .pt: .portuguese
        default: .english
        }
    }
}
