extension DunningPolicy {
    /// The ladder Cobro ships with. Template keys equal the step ids; no minimum amount; promise/plan-covered items
    /// are left out at every step.
    ///
    /// | step | offset | channels |
    /// |---|---|---|
    /// | `reminder_before_due` | −5 | email |
    /// | `due_today` | 0 | email |
    /// | `overdue_7` | +7 | email, else letter |
    /// | `overdue_15` | +15 | email + sms |
    /// | `overdue_30` | +30 | email (else letter) + call task |
    /// | `final_notice_45` | +45 | letter + email; escalation: credit hold, mark for agency hand-over |
    public static let cobroDefault = DunningPolicy(
        id: "cobro_default", name: "Cobro default",
        steps: [
            DunningStep(id: "reminder_before_due", offsetDays: -5, channels: [.init(.email)]),
            DunningStep(id: "due_today", offsetDays: 0, channels: [.init(.email)]),
            DunningStep(id: "overdue_7", offsetDays: 7, channels: [.init(.email, fallback: [.letter])]),
            DunningStep(id: "overdue_15", offsetDays: 15, channels: [.init(.email), .init(.sms)]),
            DunningStep(id: "overdue_30", offsetDays: 30, channels: [.init(.email, fallback: [.letter]), .init(.call)]),
            DunningStep(
                id: "final_notice_45", offsetDays: 45, channels: [.init(.letter), .init(.email)],
                escalations: [.creditHold, .handOverToAgency]),
        ])

    /// No steps: customers on it get no reminders (and the dry run lists them as skipped).
    public static let noReminders = DunningPolicy(id: "no_reminders", name: "No reminders", steps: [])

    /// For strategic customers: an account statement instead of reminders, on the due date and then every 30 days
    /// up to +60, by email (else as a letter), with no escalation.
    public static let strategicStatement = DunningPolicy(
        id: "strategic_statement", name: "Strategic: account statement",
        steps: [
            DunningStep(
                id: "statement_due", offsetDays: 0, channels: [.init(.statement, fallback: [.letter])], templateKey: "account_statement"),
            DunningStep(
                id: "statement_30", offsetDays: 30, channels: [.init(.statement, fallback: [.letter])], templateKey: "account_statement"),
            DunningStep(
                id: "statement_60", offsetDays: 60, channels: [.init(.statement, fallback: [.letter])], templateKey: "account_statement"),
        ])

    /// The three built-in policies.
    public static let builtIn: [DunningPolicy] = [.cobroDefault, .noReminders, .strategicStatement]
}
