extension DefaultTemplates {
    /// English, neutral between British and American usage.
    static let english = DefaultCopy(
        language: .en,
        greeting: "{{#contact.name}}Dear {{contact.name}},{{/contact.name}}{{^contact.name}}Dear Accounts Payable team,{{/contact.name}}",
        columns: .init(
            invoice: "Invoice", issueDate: "Issue date", dueDate: "Due date", amount: "Amount",
            openAmount: "Open amount", daysOverdue: "Days overdue"),
        colon: ":",
        totalLabel: "Total due",
        payButton: "View and pay",
        linkLead: "You can view the details, download the invoices and pay online at:",
        disputeEmail: "If you have already paid, or if you disagree with any amount, please let us know through the portal or "
            + "by replying to this email and we will look into it.",
        disputeLetter: "If you have already paid, or if you disagree with any amount, please let us know through the portal or "
            + "by contacting us and we will look into it.",
        contact: "For any questions, please contact {{collector.name}}{{#collector.email}} ({{collector.email}}){{/collector.email}}"
            + "{{#collector.phone}} or call {{collector.phone}}{{/collector.phone}}.",
        signOff: "Kind regards,",
        footer: "Sent by {{company.name}} about customer account {{customer.ref}} ({{customer.name}}).",
        subjectLabel: "Subject:",
        steps: [
            .reminderBeforeDue: .init(
                subject: "Upcoming payment reminder: {{total_due}}",
                heading: "Upcoming payment reminder",
                intro: ["This is a friendly reminder of the upcoming due dates on your account with {{company.name}}:"],
                request: ["If payment is already scheduled, please disregard this reminder. Thank you for your business."],
                sms: "{{company.name}}: a friendly reminder that "
                    + "{{#single_invoice}}invoice {{#invoices}}{{ref}}{{/invoices}} for"
                    + " {{total_due}} is due on {{earliest_due_date}}{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} invoices totalling {{total_due}}"
                    + " are due soon, the first on {{earliest_due_date}}{{/single_invoice}}"
                    + ". View or pay at {{portal_link}}",
                table: .upcoming),
            .dueToday: .init(
                subject: "Payment due today: {{total_due}}",
                heading: "Payment due today",
                intro: ["This is a reminder that payment of the following items on your account with {{company.name}} is due today:"],
                request: ["If you have already paid, thank you, and please disregard this message."],
                sms: "{{company.name}}: a reminder that "
                    + "{{#single_invoice}}invoice {{#invoices}}{{ref}}{{/invoices}} for {{total_due}} is{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} invoices totalling {{total_due}} are{{/single_invoice}}"
                    + " due today. You can pay online at {{portal_link}}",
                table: .upcoming),
            .overdue7: .init(
                subject: "Overdue payment reminder: {{total_due}}",
                heading: "Overdue payment reminder",
                intro: [
                    "According to our records, we have not yet received payment for the following items, which are now past due. "
                        + "This may simply be an oversight, or your payment may have crossed with this message:"
                ],
                request: ["We would be grateful if you could arrange payment at your earliest convenience."],
                sms: "{{company.name}}: we have not yet received payment for "
                    + "{{#single_invoice}}invoice {{#invoices}}{{ref}}{{/invoices}} for"
                    + " {{total_due}}, due on {{earliest_due_date}}{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} invoices totalling {{total_due}}, overdue since {{earliest_due_date}}{{/single_invoice}}"
                    + ". If you have already paid, please ignore this message. Pay or view details at {{portal_link}}",
                table: .overdue),
            .overdue15: .init(
                subject: "Second reminder: overdue balance of {{total_due}}",
                heading: "Second payment reminder",
                intro: ["We are writing again because the following items on your account remain unpaid:"],
                request: [
                    "Please arrange payment as soon as possible. If there is a problem with the invoices or you need more time, "
                        + "let us know: we would rather find a solution together."
                ],
                sms: "{{company.name}}: "
                    + "{{#single_invoice}}invoice {{#invoices}}{{ref}}{{/invoices}} for {{total_due}} has{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} invoices totalling {{total_due}} have{{/single_invoice}}"
                    + " been overdue since {{earliest_due_date}}. Please pay as soon as possible at {{portal_link}}",
                table: .overdue),
            .overdue30: .init(
                subject: "Important: overdue balance of {{total_due}}",
                heading: "Overdue balance",
                intro: ["Despite our previous reminders, the following items on your account are still unpaid:"],
                request: [
                    "Please make payment within the next few days, or contact us to agree how to settle the balance, "
                        + "for example with a payment plan."
                ],
                sms: "{{company.name}}: your account has had an overdue balance of {{total_due}} since {{earliest_due_date}}. "
                    + "Please pay promptly or speak to {{collector.name}}. Pay at {{portal_link}}",
                table: .overdue),
            .finalNotice45: .init(
                subject: "Final reminder: overdue balance of {{total_due}}",
                heading: "Final payment reminder",
                intro: ["We have written to you several times about the following items, which remain unpaid:"],
                request: [
                    "This is our last automatic reminder. Please make payment immediately, or contact {{collector.name}} today "
                        + "to agree a solution such as a payment plan. We want to resolve this together with you."
                ],
                sms: "{{company.name}}: final reminder. The balance of {{total_due}} has been overdue since {{earliest_due_date}}. "
                    + "You can agree a payment plan with {{collector.name}} or pay today at {{portal_link}}",
                table: .overdue),
            .accountStatement: .init(
                subject: "Statement of account for {{customer.name}} as of {{today}}",
                heading: "Statement of account",
                intro: ["Please find below the statement of your account with {{company.name}} as of {{today}}, listing the items still open:"],
                request: ["Please review it and let us know about any differences."],
                sms: "{{company.name}}: your statement as of {{today}} shows an open balance of {{total_due}}. "
                    + "See the details at {{portal_link}}",
                table: .overdue),
            .planInstallmentDue: .init(
                subject: "Payment plan: installment of {{total_due}} due on {{earliest_due_date}}",
                heading: "Payment plan installment",
                intro: ["This is a reminder that the next installment of your payment plan with {{company.name}} is due on {{earliest_due_date}}:"],
                request: ["Paying it on time keeps your plan in good standing. If you have already paid, thank you."],
                sms: "{{company.name}}: your payment plan installment of {{total_due}} is due on {{earliest_due_date}}. You can pay at {{portal_link}}",
                table: .upcoming),
            .planInstallmentLate: .init(
                subject: "Payment plan: installment of {{total_due}} not received",
                heading: "Payment plan installment overdue",
                intro: ["We have not yet received the installment of your payment plan with {{company.name}} that was due on {{earliest_due_date}}:"],
                request: [
                    "Please pay it in the next few days to keep your plan: a missed installment can end the plan, and the whole balance would then be due again. "
                        + "If you have already paid, thank you."
                ],
                sms: "{{company.name}}: we have not received your payment plan installment of {{total_due}} due on {{earliest_due_date}}. "
                    + "Please pay soon to keep your plan: {{portal_link}}",
                table: .overdue),
        ])
}
