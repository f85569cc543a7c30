extension DefaultTemplates {
    /// Spanish, neutral between Spain and Latin America, addressing the reader as "usted".
    /// SMS texts avoid á, í, ó, ú and other characters outside GSM-7 by word choice, never by misspelling.
    static let spanish = DefaultCopy(
        language: .es,
        greeting: "{{#contact.name}}Estimado/a {{contact.name}}:{{/contact.name}}{{^contact.name}}Estimados señores:{{/contact.name}}",
        columns: .init(
            invoice: "Factura", issueDate: "Fecha de emisión", dueDate: "Vencimiento", amount: "Importe",
            openAmount: "Saldo pendiente", daysOverdue: "Días de atraso"),
        colon: ":",
        totalLabel: "Total pendiente",
        payButton: "Consultar y pagar",
        linkLead: "Puede consultar el detalle, descargar las facturas y pagar en línea en:",
        disputeEmail: "Si ya realizó el pago o no está de acuerdo con algún importe, indíquenoslo desde el mismo portal o "
            + "respondiendo a este correo y lo revisaremos.",
        disputeLetter: "Si ya realizó el pago o no está de acuerdo con algún importe, indíquenoslo desde el mismo portal o "
            + "póngase en contacto con nosotros y lo revisaremos.",
        contact: "Para cualquier consulta, puede dirigirse a {{collector.name}}{{#collector.email}} ({{collector.email}}){{/collector.email}}"
            + "{{#collector.phone}}, teléfono {{collector.phone}}{{/collector.phone}}.",
        signOff: "Atentamente,",
        footer: "Mensaje enviado por {{company.name}} en relación con la cuenta de cliente {{customer.ref}} ({{customer.name}}).",
        subjectLabel: "Asunto:",
        steps: [
            .reminderBeforeDue: .init(
                subject: "Recordatorio de próximo vencimiento: {{total_due}}",
                heading: "Recordatorio de próximo vencimiento",
                intro: ["Le recordamos amablemente los próximos vencimientos de su cuenta con {{company.name}}:"],
                request: ["Si ya tiene programado el pago, puede ignorar este recordatorio. Gracias por su confianza."],
                sms: "{{company.name}}: le recordamos que "
                    + "{{#single_invoice}}la factura {{#invoices}}{{ref}}{{/invoices}}"
                    + " por {{total_due}} vence el {{earliest_due_date}}{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} facturas por un total de"
                    + " {{total_due}} vencen a partir del {{earliest_due_date}}{{/single_invoice}}"
                    + ". Consulte o pague en {{portal_link}}",
                table: .upcoming),
            .dueToday: .init(
                subject: "Vence hoy: {{total_due}}",
                heading: "Vencimiento hoy",
                intro: ["Le recordamos que hoy vence el pago de los siguientes documentos de su cuenta con {{company.name}}:"],
                request: ["Si ya realizó el pago, muchas gracias; puede ignorar este mensaje."],
                sms: "{{company.name}}: le recordamos que hoy vence "
                    + "{{#single_invoice}}la factura {{#invoices}}{{ref}}{{/invoices}} por {{total_due}}{{/single_invoice}}"
                    + "{{^single_invoice}}el pago de {{invoice_count}} facturas por un total de {{total_due}}{{/single_invoice}}"
                    + ". Puede pagar en {{portal_link}}",
                table: .upcoming),
            .overdue7: .init(
                subject: "Aviso de pago pendiente: {{total_due}}",
                heading: "Aviso de pago pendiente",
                intro: [
                    "Según nuestros registros, aún no hemos recibido el pago de los siguientes documentos, ya vencidos. "
                        + "Puede tratarse de un simple descuido, o quizá su pago se ha cruzado con este mensaje:"
                ],
                request: ["Le agradeceremos que realice el pago a la mayor brevedad."],
                sms: "{{company.name}}: no hemos recibido el pago de "
                    + "{{#single_invoice}}la factura {{#invoices}}{{ref}}{{/invoices}} por"
                    + " {{total_due}}, vencida el {{earliest_due_date}}{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} facturas por un total de"
                    + " {{total_due}}, vencidas desde el {{earliest_due_date}}{{/single_invoice}}"
                    + ". Si ya lo hizo, ignore este mensaje. Pague o consulte en {{portal_link}}",
                table: .overdue),
            .overdue15: .init(
                subject: "Segundo aviso: saldo vencido de {{total_due}}",
                heading: "Segundo aviso de pago",
                intro: ["Le escribimos de nuevo porque los siguientes documentos de su cuenta siguen pendientes de pago:"],
                request: [
                    "Le rogamos que regularice el pago lo antes posible. Si hay algún problema con las facturas o necesita más plazo, "
                        + "díganoslo: preferimos buscar juntos una solución."
                ],
                sms: "{{company.name}}: "
                    + "{{#single_invoice}}la factura {{#invoices}}{{ref}}{{/invoices}} por {{total_due}} sigue pendiente{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} facturas por un total de {{total_due}} siguen pendientes{{/single_invoice}}"
                    + " desde el {{earliest_due_date}}. Le pedimos regularizar el pago lo antes posible en {{portal_link}}",
                table: .overdue),
            .overdue30: .init(
                subject: "Importante: saldo vencido de {{total_due}}",
                heading: "Saldo vencido",
                intro: ["Pese a nuestros recordatorios anteriores, los siguientes documentos de su cuenta siguen pendientes de pago:"],
                request: [
                    "Le pedimos que realice el pago en los próximos días o que se ponga en contacto con nosotros para acordar cómo "
                        + "regularizar la situación, por ejemplo mediante un plan de pagos."
                ],
                sms: "{{company.name}}: su cuenta tiene un saldo vencido de {{total_due}} desde el {{earliest_due_date}}. "
                    + "Le pedimos pagarlo cuanto antes o hablar con {{collector.name}}. Pague en {{portal_link}}",
                table: .overdue),
            .finalNotice45: .init(
                subject: "Último aviso: saldo vencido de {{total_due}}",
                heading: "Último aviso de pago",
                intro: ["Le hemos escrito en varias ocasiones sobre los siguientes documentos, que siguen pendientes de pago:"],
                request: [
                    "Este es nuestro último recordatorio automático. Le pedimos que realice el pago de inmediato o que se ponga en "
                        + "contacto con {{collector.name}} hoy mismo para acordar una solución, como un plan de pagos. "
                        + "Queremos resolver esta situación junto con usted."
                ],
                sms: "{{company.name}}: aviso final. El saldo de {{total_due}} sigue vencido desde el {{earliest_due_date}}. "
                    + "Puede acordar un plan de pagos con {{collector.name}} o pagar hoy en {{portal_link}}",
                table: .overdue),
            .accountStatement: .init(
                subject: "Estado de cuenta de {{customer.name}} al {{today}}",
                heading: "Estado de cuenta",
                intro: ["Le enviamos el estado de su cuenta con {{company.name}} al {{today}}, con los documentos pendientes de pago:"],
                request: ["Le agradecemos que revise el detalle y nos comunique cualquier diferencia."],
                sms: "{{company.name}}: su estado de cuenta al {{today}} muestra un saldo pendiente de {{total_due}}. "
                    + "Consulte el detalle en {{portal_link}}",
                table: .overdue),
            .planInstallmentDue: .init(
                subject: "Acuerdo de pago: cuota de {{total_due}} con vencimiento el {{earliest_due_date}}",
                heading: "Cuota de su acuerdo de pago",
                intro: ["Le recordamos que la próxima cuota de su acuerdo de pago con {{company.name}} vence el {{earliest_due_date}}:"],
                request: ["Pagarla a tiempo mantiene su acuerdo vigente. Si ya la pagó, muchas gracias."],
                sms: "{{company.name}}: la cuota de {{total_due}} de su acuerdo de pago vence el {{earliest_due_date}}. Puede pagar en {{portal_link}}",
                table: .upcoming),
            .planInstallmentLate: .init(
                subject: "Acuerdo de pago: no hemos recibido la cuota de {{total_due}}",
                heading: "Cuota vencida de su acuerdo de pago",
                intro: ["Aún no hemos recibido la cuota de su acuerdo de pago con {{company.name}} que vencía el {{earliest_due_date}}:"],
                request: [
                    "Le pedimos pagarla en los próximos días para mantener el acuerdo: una cuota impaga puede terminarlo, y el saldo completo volvería a ser exigible. "
                        + "Si ya la pagó, muchas gracias."
                ],
                sms: "{{company.name}}: no hemos recibido la cuota de {{total_due}} de su acuerdo de pago, vencida el {{earliest_due_date}}. "
                    + "Le pedimos pagarla pronto para mantener el acuerdo: {{portal_link}}",
                table: .overdue),
        ])
}
