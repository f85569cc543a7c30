extension DefaultTemplates {
    /// Brazilian Portuguese in impersonal, courteous business style (readable in Portugal too; a `pt-PT` set can be
    /// added beside it). SMS texts use only GSM-7 letters, chosen so that no word needs ã, ç, á or ê.
    static let portuguese = DefaultCopy(
        language: .pt,
        greeting: "{{#contact.name}}Prezado(a) {{contact.name}},{{/contact.name}}{{^contact.name}}Prezados,{{/contact.name}}",
        columns: .init(
            invoice: "Fatura", issueDate: "Data de emissão", dueDate: "Vencimento", amount: "Valor",
            openAmount: "Valor em aberto", daysOverdue: "Dias em atraso"),
        colon: ":",
        totalLabel: "Total em aberto",
        payButton: "Consultar e pagar",
        linkLead: "É possível consultar os detalhes, baixar as faturas e pagar on-line em:",
        disputeEmail: "Se o pagamento já foi feito ou se houver discordância sobre algum valor, informe-nos pelo portal ou "
            + "respondendo a este e-mail, e faremos a verificação.",
        disputeLetter: "Se o pagamento já foi feito ou se houver discordância sobre algum valor, informe-nos pelo portal ou "
            + "entrando em contato conosco, e faremos a verificação.",
        contact: "Em caso de dúvidas, fale com {{collector.name}}{{#collector.email}} ({{collector.email}}){{/collector.email}}"
            + "{{#collector.phone}} ou ligue para {{collector.phone}}{{/collector.phone}}.",
        signOff: "Atenciosamente,",
        footer: "Mensagem enviada por {{company.name}} sobre a conta de cliente {{customer.ref}} ({{customer.name}}).",
        subjectLabel: "Assunto:",
        steps: [
            .reminderBeforeDue: .init(
                subject: "Lembrete de vencimento: {{total_due}}",
                heading: "Lembrete de vencimento",
                intro: ["Lembramos os próximos vencimentos da sua conta conosco:"],
                request: ["Se o pagamento já estiver programado, desconsidere este lembrete. Agradecemos a parceria."],
                sms: "{{company.name}}: lembrete, "
                    + "{{#single_invoice}}a fatura {{#invoices}}{{ref}}{{/invoices}} de"
                    + " {{total_due}} vence em {{earliest_due_date}}{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} faturas no total de {{total_due}}"
                    + " vencem a partir de {{earliest_due_date}}{{/single_invoice}}"
                    + ". Consulte ou pague em {{portal_link}}",
                table: .upcoming),
            .dueToday: .init(
                subject: "Vencimento hoje: {{total_due}}",
                heading: "Vencimento hoje",
                intro: ["Lembramos que hoje vence o pagamento dos seguintes documentos da sua conta conosco:"],
                request: ["Se o pagamento já foi feito, agradecemos e pedimos que desconsidere esta mensagem."],
                sms: "{{company.name}}: lembramos que "
                    + "{{#single_invoice}}a fatura {{#invoices}}{{ref}}{{/invoices}} de {{total_due}} vence hoje{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} faturas no total de {{total_due}} vencem hoje{{/single_invoice}}"
                    + ". Pague on-line em {{portal_link}}",
                table: .upcoming),
            .overdue7: .init(
                subject: "Pagamento pendente: {{total_due}}",
                heading: "Pagamento pendente",
                intro: [
                    "Segundo nossos registros, ainda não recebemos o pagamento dos seguintes documentos, já vencidos. "
                        + "Pode ter sido apenas um esquecimento, ou o pagamento pode ter se cruzado com esta mensagem:"
                ],
                request: ["Agradecemos se puder efetuar o pagamento o quanto antes."],
                sms: "{{company.name}}: "
                    + "{{#single_invoice}}a fatura {{#invoices}}{{ref}}{{/invoices}} de {{total_due}},"
                    + " vencida em {{earliest_due_date}}, consta em aberto{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} faturas no total de {{total_due}}"
                    + " constam em aberto desde {{earliest_due_date}}{{/single_invoice}}"
                    + ". Caso o pagamento tenha sido feito, desconsidere esta mensagem. Pague ou consulte em {{portal_link}}",
                table: .overdue),
            .overdue15: .init(
                subject: "Segundo aviso: saldo vencido de {{total_due}}",
                heading: "Segundo aviso de pagamento",
                intro: ["Entramos em contato novamente porque os seguintes documentos da sua conta continuam em aberto:"],
                request: [
                    "Pedimos que regularize o pagamento o quanto antes. Se houver algum problema com as faturas ou se precisar de "
                        + "mais prazo, avise-nos: preferimos encontrar uma solução juntos."
                ],
                sms: "{{company.name}}: "
                    + "{{#single_invoice}}a fatura {{#invoices}}{{ref}}{{/invoices}} de {{total_due}} segue em aberto{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} faturas no total de {{total_due}} seguem em aberto{{/single_invoice}}"
                    + " desde {{earliest_due_date}}. Pedimos que regularize o pagamento o quanto antes em {{portal_link}}",
                table: .overdue),
            .overdue30: .init(
                subject: "Importante: saldo vencido de {{total_due}}",
                heading: "Saldo vencido",
                intro: ["Apesar dos nossos lembretes anteriores, os seguintes documentos da sua conta continuam sem pagamento:"],
                request: [
                    "Pedimos que efetue o pagamento nos próximos dias ou entre em contato conosco para combinar a regularização, "
                        + "por exemplo com um parcelamento."
                ],
                sms: "{{company.name}}: sua conta tem um saldo vencido de {{total_due}} desde {{earliest_due_date}}. "
                    + "Pedimos que o regularize em breve ou fale com {{collector.name}}. Pague em {{portal_link}}",
                table: .overdue),
            .finalNotice45: .init(
                subject: "Último aviso: saldo vencido de {{total_due}}",
                heading: "Último aviso de pagamento",
                intro: ["Já entramos em contato várias vezes sobre os seguintes documentos, que continuam em aberto:"],
                request: [
                    "Este é o nosso último lembrete automático. Pedimos que efetue o pagamento imediatamente ou fale com "
                        + "{{collector.name}} ainda hoje para combinar uma solução, como um parcelamento. "
                        + "Queremos resolver esta situação em conjunto."
                ],
                sms: "{{company.name}}: aviso final. O saldo de {{total_due}} segue vencido desde {{earliest_due_date}}. "
                    + "Combine um parcelamento com {{collector.name}} ou pague hoje em {{portal_link}}",
                table: .overdue),
            .accountStatement: .init(
                subject: "Extrato de conta de {{customer.name}} em {{today}}",
                heading: "Extrato de conta",
                intro: ["Segue o extrato da sua conta conosco em {{today}}, com os documentos em aberto:"],
                request: ["Pedimos que confira os dados e nos informe sobre qualquer divergência."],
                sms: "{{company.name}}: extrato de conta em {{today}}. Saldo em aberto: {{total_due}}. "
                    + "Veja o detalhe em {{portal_link}}",
                table: .overdue),
            .planInstallmentDue: .init(
                subject: "Acordo de pagamento: parcela de {{total_due}} vence em {{earliest_due_date}}",
                heading: "Parcela do seu acordo de pagamento",
                intro: ["Lembramos que a próxima parcela do seu acordo de pagamento com {{company.name}} vence em {{earliest_due_date}}:"],
                request: ["Pagar em dia mantém o seu acordo em vigor. Se já pagou, obrigado."],
                sms: "{{company.name}}: a parcela de {{total_due}} do seu acordo de pagamento vence em {{earliest_due_date}}. Pague em {{portal_link}}",
                table: .upcoming),
            .planInstallmentLate: .init(
                subject: "Acordo de pagamento: parcela de {{total_due}} não recebida",
                heading: "Parcela em atraso do seu acordo de pagamento",
                intro: ["Ainda não recebemos a parcela do seu acordo de pagamento com {{company.name}} que venceu em {{earliest_due_date}}:"],
                request: [
                    "Pedimos que a pague nos próximos dias para manter o acordo: uma parcela em falta pode encerrá-lo, e o saldo total voltaria a ser exigível. "
                        + "Se já pagou, obrigado."
                ],
                sms: "{{company.name}}: a parcela de {{total_due}} do seu acordo de pagamento, vencida em {{earliest_due_date}}, continua em aberto. "
                    + "Pague logo para manter o acordo: {{portal_link}}",
                table: .overdue),
        ])
}
