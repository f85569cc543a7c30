extension DefaultTemplates {
    /// French with "vous"; a no-break space (U+00A0) before ":" in emails and letters, as French typography
    /// wants. SMS texts use a plain space and only GSM-7 letters (é è à ù), chosen so that no word needs ç, ê or â.
    static let french = DefaultCopy(
        language: .fr,
        greeting: "{{#contact.name}}Bonjour {{contact.name}},{{/contact.name}}{{^contact.name}}Madame, Monsieur,{{/contact.name}}",
        columns: .init(
            invoice: "Facture", issueDate: "Date d'émission", dueDate: "Échéance", amount: "Montant",
            openAmount: "Reste à payer", daysOverdue: "Jours de retard"),
        colon: "\u{00A0}:",
        totalLabel: "Total restant dû",
        payButton: "Consulter et payer",
        linkLead: "Vous pouvez consulter le détail, télécharger les factures et payer en ligne à l'adresse suivante\u{00A0}:",
        disputeEmail: "Si vous avez déjà effectué le paiement ou si vous contestez un montant, merci de nous le signaler depuis le "
            + "portail ou en répondant à cet e-mail\u{00A0}: nous procéderons à la vérification.",
        disputeLetter: "Si vous avez déjà effectué le paiement ou si vous contestez un montant, merci de nous le signaler depuis le "
            + "portail ou en nous contactant\u{00A0}: nous procéderons à la vérification.",
        contact: "Pour toute question, vous pouvez contacter {{collector.name}}{{#collector.email}} ({{collector.email}}){{/collector.email}}"
            + "{{#collector.phone}} ou appeler le {{collector.phone}}{{/collector.phone}}.",
        signOff: "Cordialement,",
        footer: "Message envoyé par {{company.name}} concernant le compte client {{customer.ref}} ({{customer.name}}).",
        subjectLabel: "Objet\u{00A0}:",
        steps: [
            .reminderBeforeDue: .init(
                subject: "Rappel d'échéance\u{00A0}: {{total_due}}",
                heading: "Rappel d'échéance",
                intro: ["Nous vous rappelons les prochaines échéances de votre compte chez {{company.name}}\u{00A0}:"],
                request: ["Si le paiement est déjà programmé, vous pouvez ignorer ce rappel. Merci de votre confiance."],
                sms: "{{company.name}} : rappel, "
                    + "{{#single_invoice}}la facture {{#invoices}}{{ref}}{{/invoices}} de"
                    + " {{total_due}} arrive à échéance le {{earliest_due_date}}{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} factures d'un total de {{total_due}}"
                    + " arrivent à échéance à partir du {{earliest_due_date}}{{/single_invoice}}"
                    + ". Consulter ou payer : {{portal_link}}",
                table: .upcoming),
            .dueToday: .init(
                subject: "Échéance aujourd'hui\u{00A0}: {{total_due}}",
                heading: "Échéance aujourd'hui",
                intro: [
                    "Nous vous rappelons que le paiement des documents suivants de votre compte chez {{company.name}} "
                        + "arrive à échéance aujourd'hui\u{00A0}:"
                ],
                request: ["Si vous avez déjà effectué le paiement, nous vous en remercions et vous pouvez ignorer ce message."],
                sms: "{{company.name}} : pour rappel, "
                    + "{{#single_invoice}}la facture {{#invoices}}{{ref}}{{/invoices}} de {{total_due}} arrive{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} factures d'un total de {{total_due}} arrivent{{/single_invoice}}"
                    + " à échéance aujourd'hui. Paiement en ligne : {{portal_link}}",
                table: .upcoming),
            .overdue7: .init(
                subject: "Paiement en attente\u{00A0}: {{total_due}}",
                heading: "Paiement en attente",
                intro: [
                    "Sauf erreur de notre part, nous n'avons pas encore reçu le paiement des documents suivants, arrivés à échéance. "
                        + "Il s'agit peut-être d'un simple oubli, ou votre paiement a pu croiser ce message\u{00A0}:"
                ],
                request: ["Nous vous remercions de bien vouloir procéder au règlement dans les meilleurs délais."],
                sms: "{{company.name}} : sauf erreur de notre part, le paiement de "
                    + "{{#single_invoice}}la facture {{#invoices}}{{ref}}{{/invoices}} de"
                    + " {{total_due}}, échue le {{earliest_due_date}},{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} factures d'un total de"
                    + " {{total_due}}, échues depuis le {{earliest_due_date}},{{/single_invoice}}"
                    + " n'a pas encore été enregistré. Si c'est déjà fait, merci d'ignorer ce message. Régler ou consulter : {{portal_link}}",
                table: .overdue),
            .overdue15: .init(
                subject: "Deuxième relance\u{00A0}: solde échu de {{total_due}}",
                heading: "Deuxième relance",
                intro: ["Nous revenons vers vous car les documents suivants de votre compte restent impayés\u{00A0}:"],
                request: [
                    "Nous vous prions de régulariser ce paiement dans les plus brefs délais. Si les factures posent un problème ou si "
                        + "vous avez besoin d'un délai, dites-le-nous\u{00A0}: nous préférons trouver une solution ensemble."
                ],
                sms: "{{company.name}} : "
                    + "{{#single_invoice}}la facture {{#invoices}}{{ref}}{{/invoices}} de {{total_due}} reste impayée{{/single_invoice}}"
                    + "{{^single_invoice}}{{invoice_count}} factures d'un total de {{total_due}} restent impayées{{/single_invoice}}"
                    + " depuis le {{earliest_due_date}}. Merci de procéder au règlement au plus vite sur {{portal_link}}",
                table: .overdue),
            .overdue30: .init(
                subject: "Important\u{00A0}: solde échu de {{total_due}}",
                heading: "Solde échu",
                intro: ["Malgré nos précédents rappels, les documents suivants de votre compte restent impayés\u{00A0}:"],
                request: [
                    "Nous vous demandons d'effectuer le paiement dans les prochains jours ou de nous contacter pour convenir des "
                        + "modalités de règlement, par exemple un échéancier."
                ],
                sms: "{{company.name}} : votre compte présente un solde échu de {{total_due}} depuis le {{earliest_due_date}}. "
                    + "Merci de le régler rapidement ou de contacter {{collector.name}}. Paiement : {{portal_link}}",
                table: .overdue),
            .finalNotice45: .init(
                subject: "Dernier rappel\u{00A0}: solde échu de {{total_due}}",
                heading: "Dernier rappel",
                intro: ["Nous vous avons écrit à plusieurs reprises au sujet des documents suivants, qui restent impayés\u{00A0}:"],
                request: [
                    "Ceci est notre dernier rappel automatique. Nous vous demandons d'effectuer le paiement sans délai ou de contacter "
                        + "{{collector.name}} dès aujourd'hui pour convenir d'une solution, comme un échéancier. "
                        + "Nous souhaitons régler cette situation avec vous."
                ],
                sms: "{{company.name}} : dernier rappel. Le solde de {{total_due}} est échu depuis le {{earliest_due_date}}. "
                    + "Vous pouvez convenir d'un échéancier avec {{collector.name}} ou régler dès aujourd'hui sur {{portal_link}}",
                table: .overdue),
            .accountStatement: .init(
                subject: "Relevé de compte de {{customer.name}} au {{today}}",
                heading: "Relevé de compte",
                intro: [
                    "Veuillez trouver ci-dessous le relevé de votre compte chez {{company.name}} au {{today}}, "
                        + "avec les documents restant à payer\u{00A0}:"
                ],
                request: ["Merci de bien vouloir le vérifier et de nous signaler toute différence."],
                sms: "{{company.name}} : votre relevé de compte au {{today}} indique un solde à régler de {{total_due}}. "
                    + "Détail : {{portal_link}}",
                table: .overdue),
            .planInstallmentDue: .init(
                subject: "Plan de paiement : échéance de {{total_due}} le {{earliest_due_date}}",
                heading: "Échéance de votre plan de paiement",
                intro: ["Nous vous rappelons que la prochaine échéance de votre plan de paiement avec {{company.name}} est fixée au {{earliest_due_date}} :"],
                request: ["La régler à temps maintient votre plan. Si vous l’avez déjà réglée, merci."],
                sms: "{{company.name}} : l'échéance de {{total_due}} de votre plan de paiement est due le {{earliest_due_date}}. Paiement : {{portal_link}}",
                table: .upcoming),
            .planInstallmentLate: .init(
                subject: "Plan de paiement : échéance de {{total_due}} impayée",
                heading: "Échéance impayée de votre plan de paiement",
                intro: ["Nous n’avons pas encore reçu l’échéance de votre plan de paiement avec {{company.name}} prévue le {{earliest_due_date}} :"],
                request: [
                    "Merci de la régler dans les prochains jours pour conserver votre plan : une échéance impayée peut y mettre fin, et la totalité du solde "
                        + "redeviendrait exigible. Si vous l’avez déjà réglée, merci."
                ],
                sms: "{{company.name}} : nous attendons toujours l'échéance de {{total_due}} de votre plan de paiement, due le {{earliest_due_date}}. "
                    + "Merci de la régler vite pour conserver votre plan : {{portal_link}}",
                table: .overdue),
        ])
}
