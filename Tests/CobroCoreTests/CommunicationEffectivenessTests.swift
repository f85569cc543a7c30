import CobroCore
import Testing

// Communication effectiveness report: hand-built scenarios, every expected number worked out by hand in the comments.
// Amounts are minor units: EUR/USD 1,000.00 = 100_000; JPY has no minor unit.

private let EUR = Currency(code: "EUR")!
private let USD = Currency(code: "USD")!
private let JPY = Currency(code: "JPY")!

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

/// A message; by default an email of step "s1", template "t1", English, EUR, sent on 2026-03-01.
private func message(
    _ channel: DunningChannel = .email, step: String = "s1", template: String = "t1", language: String = "en",
    currency: Currency = EUR, status: EffectivenessMessage.Status = .sent, sentOn: String? = "2026-03-01",
    items: [(Int64, Int64)] = []
) -> EffectivenessMessage {
    EffectivenessMessage(
        channel: channel, stepID: step, template: template, language: language, currency: currency, status: status,
        sentOn: status == .sent ? sentOn.map(day) : nil,
        items: items.map { EffectivenessMessage.Item(invoiceID: $0.0, amountMinor: $0.1) })
}

private func pay(_ iso: String, _ minor: Int64) -> EffectivenessPayment {
    EffectivenessPayment(day: day(iso), amountMinor: minor)
}

private func report(
    _ messages: [EffectivenessMessage], payments: [Int64: [EffectivenessPayment]] = [:],
    closedOn: [Int64: String] = [:]
) -> CommunicationEffectiveness.Report {
    CommunicationEffectiveness.report(
        messages: messages, payments: payments, closedOn: closedOn.mapValues(day), from: day("2026-03-01"),
        to: day("2026-03-31"))
}

private func eur(_ minor: Int64) -> Money { Money(minor: minor, EUR) }

@Suite("Reports: communication effectiveness")
struct CommunicationEffectivenessTests {
    // MARK: Worked example

    @Test func workedExampleFromTheIssue() throws {
        // Sent 2026-03-01 listing A (1) 1,000.00 EUR and B (2) 500.00 EUR. A gets 400.00 on 03-05 (day 4) and
        // 600.00 on 03-12 (day 11); B gets nothing.
        // dunned = 1,500.00; within 7 (03-01…03-08) = 400.00; within 14 (03-01…03-15) = 1,000.00.
        // share7 = 400/1500 = 0.266 67 → 2667 bp; share14 = 1000/1500 = 0.666 67 → 6667 bp.
        let r = report(
            [message(items: [(1, 100_000), (2, 50_000)])],
            payments: [1: [pay("2026-03-05", 40_000), pay("2026-03-12", 60_000)]])
        let row = try #require(r.rows.first)
        #expect(r.rows.count == 1)
        #expect(row.dunned == eur(150_000))
        #expect(row.paidWithin7 == eur(40_000))
        #expect(row.paidWithin14 == eur(100_000))
        #expect(row.shareWithin7 == 2667)
        #expect(row.shareWithin14 == 6667)
        #expect(row.messagesWithPayment7 == 1)
        #expect(row.messagesWithPayment14 == 1)
        #expect(row.sent == 1)
        #expect(row.deliveryRate == 10_000)
    }

    // MARK: Grouping and counting

    @Test func rowsAreGroupedAndSortedByChannelStepTemplateLanguageCurrency() {
        // Channel order is DunningChannel's (email < sms < letter < call < statement), not alphabetical;
        // the rest are plain string order ("s10" < "s2"), the currency by code.
        let messages = [
            message(.statement),
            message(.sms),
            message(.email, step: "s2"),
            message(.call),
            message(.email, step: "s1", template: "t2"),
            message(.email, step: "s1", template: "t1", language: "fr"),
            message(.email, step: "s1", template: "t1", language: "en", currency: USD),
            message(.email, step: "s1", template: "t1", language: "en"),
            message(.letter),
            message(.email, step: "s10"),
            message(.email, step: "s1", template: "t1", language: "en"),  // same group as two above
        ]
        let r = report(messages)
        let keys = r.rows.map { "\($0.channel)/\($0.stepID)/\($0.template)/\($0.language)/\($0.currency)" }
        #expect(keys == [
            "email/s1/t1/en/EUR",
            "email/s1/t1/en/USD",
            "email/s1/t1/fr/EUR",
            "email/s1/t2/en/EUR",
            "email/s10/t1/en/EUR",
            "email/s2/t1/en/EUR",
            "sms/s1/t1/en/EUR",
            "letter/s1/t1/en/EUR",
            "call/s1/t1/en/EUR",
            "statement/s1/t1/en/EUR",
        ])
        #expect(r.rows.map(\.messages) == [2, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    }

    @Test func statusesCountedAndCancelledKeptApart() throws {
        // One group: 3 sent, 1 failed, 1 bounced, 1 queued, 1 sending, 2 cancelled, each listing 100.00.
        // messages = 3 + 2 + 2 = 7 (cancelled excluded); failed = failed + bounced = 2; pending = 2.
        // deliveryRate = 3 / (3 + 2) = 0.6 → 6000 bp. dunned = sent only = 3 × 100.00 = 300.00.
        var ms: [EffectivenessMessage] = []
        for status: EffectivenessMessage.Status in [.sent, .sent, .sent, .failed, .bounced, .queued, .sending, .cancelled, .cancelled] {
            ms.append(message(status: status, items: [(1, 10_000)]))
        }
        let row = try #require(report(ms).rows.first)
        #expect(row.messages == 7)
        #expect(row.cancelled == 2)
        #expect(row.sent == 3)
        #expect(row.failed == 2)
        #expect(row.pending == 2)
        #expect(row.deliveryRate == 6000)
        #expect(row.dunned == eur(30_000))
    }

    @Test func deliveryRateWithBouncesRoundsHalfUpAndIsNilWithoutOutcome() {
        // A: 2 sent, 1 bounced → 2/3 = 6666.67 → 6667 bp.
        // B: 1 sent, 2 bounced → 1/3 = 3333.33 → 3333 bp.
        // C: 0 sent, 1 bounced → 0 bp (a rate, not nil).
        // D: only queued and cancelled → sent + failed = 0 → nil.
        let r = report([
            message(template: "A"), message(template: "A"), message(template: "A", status: .bounced),
            message(template: "B"), message(template: "B", status: .bounced), message(template: "B", status: .bounced),
            message(template: "C", status: .bounced),
            message(template: "D", status: .queued), message(template: "D", status: .cancelled),
        ])
        #expect(r.rows.map(\.template) == ["A", "B", "C", "D"])
        #expect(r.rows.map(\.deliveryRate) == [6667, 3333, 0, nil])
    }

    // MARK: Payment windows

    /// A payment of 25.00 on day `offset` relative to a send on 2026-03-10 (item 100.00): (within 7, within 14).
    @Test(arguments: [
        (-1, Int64(0), Int64(0)),  // the day before sending: never
        (0, 2_500, 2_500),  // the send day itself counts
        (7, 2_500, 2_500),  // day 7 is the last day of the 7-day window
        (8, 0, 2_500),  // day 8: outside 7, inside 14
        (14, 0, 2_500),  // day 14 is the last day of the 14-day window
        (15, 0, 0),  // day 15: outside both
    ])
    func windowBoundaries(offset: Int, within7: Int64, within14: Int64) throws {
        let sent = day("2026-03-10")
        let r = report(
            [message(sentOn: "2026-03-10", items: [(7, 10_000)])],
            payments: [7: [EffectivenessPayment(day: sent.adding(days: offset), amountMinor: 2_500)]])
        let row = try #require(r.rows.first)
        #expect(row.paidWithin7 == eur(within7))
        #expect(row.paidWithin14 == eur(within14))
        #expect(row.messagesWithPayment7 == (within7 > 0 ? 1 : 0))
        #expect(row.messagesWithPayment14 == (within14 > 0 ? 1 : 0))
    }

    @Test func paymentBeforeSendDoesNotCountEvenWhenItClosedTheInvoice() throws {
        // Invoice 1 (300.00) paid in full on 02-27, before the 03-01 send; invoice 2 (200.00) gets 50.00 on 03-03.
        // within 7 = within 14 = 50.00 (only invoice 2); share = 50/500 = 1000 bp.
        let r = report(
            [message(items: [(1, 30_000), (2, 20_000)])],
            payments: [1: [pay("2026-02-27", 30_000)], 2: [pay("2026-03-03", 5_000)]])
        let row = try #require(r.rows.first)
        #expect(row.paidWithin7 == eur(5_000))
        #expect(row.paidWithin14 == eur(5_000))
        #expect(row.shareWithin7 == 1000)
    }

    @Test func overpaymentIsCappedAtTheItemAmountPerItem() throws {
        // Invoice 1 listed at 500.00 receives 300.00 (03-02) + 400.00 (03-04) = 700.00 → capped at 500.00.
        // Invoice 2 listed at 200.00 receives 50.00 (03-05). The 200.00 excess on invoice 1 does not spill over.
        // within 7 = 500.00 + 50.00 = 550.00; dunned = 700.00; share7 = 550/700 = 0.785 71 → 7857 bp.
        let r = report(
            [message(items: [(1, 50_000), (2, 20_000)])],
            payments: [1: [pay("2026-03-04", 40_000), pay("2026-03-02", 30_000)], 2: [pay("2026-03-05", 5_000)]])
        let row = try #require(r.rows.first)
        #expect(row.paidWithin7 == eur(55_000))
        #expect(row.paidWithin14 == eur(55_000))
        #expect(row.dunned == eur(70_000))
        #expect(row.shareWithin7 == 7857)
    }

    @Test func reversalsReduceTheSumWhichNeverGoesBelowZero() throws {
        // Payments deliberately given out of day order.
        // Invoice 1 (100.00): +100.00 on 03-02, −100.00 (reversal) on 03-05, +40.00 on 03-10.
        //   within 7 (…03-08): 100 − 100 = 0; within 14 (…03-15): 0 + 40 = 40.00.
        // Invoice 2 (100.00): −50.00 on 03-03 (reversal of a payment made before the send), +30.00 on 03-04.
        //   within 7 and 14: −50 + 30 = −20 → floored at 0 (it must not cancel invoice 1's 40.00).
        // Totals: within 7 = 0 (no message with payment), within 14 = 40.00.
        let r = report(
            [message(items: [(1, 10_000), (2, 10_000)])],
            payments: [
                1: [pay("2026-03-10", 4_000), pay("2026-03-05", -10_000), pay("2026-03-02", 10_000)],
                2: [pay("2026-03-04", 3_000), pay("2026-03-03", -5_000)],
            ])
        let row = try #require(r.rows.first)
        #expect(row.paidWithin7 == eur(0))
        #expect(row.messagesWithPayment7 == 0)
        #expect(row.shareWithin7 == 0)
        #expect(row.paidWithin14 == eur(4_000))
        #expect(row.messagesWithPayment14 == 1)
        #expect(row.shareWithin14 == 2000)  // 40 / 200 = 0.2
    }

    @Test func eachSentMessageIsMeasuredFromItsOwnSendDay() throws {
        // Invoice 1 (100.00) is listed by two sent messages (03-01 and 03-10) and one failed message.
        // It gets 60.00 on 03-09.
        //   Message of 03-01: 03-09 is day 8 → within 7 = 0, within 14 = 60.00.
        //   Message of 03-10: 03-09 is before the send → 0 and 0.
        //   Failed message: not measured at all.
        // dunned = 2 × 100.00 (the invoice counts once per sent message); within 14 = 60.00 → 3000 bp;
        // messagesWithPayment14 = 1 of the 2 sent messages.
        let r = report(
            [
                message(sentOn: "2026-03-01", items: [(1, 10_000)]),
                message(sentOn: "2026-03-10", items: [(1, 10_000)]),
                message(status: .failed, items: [(1, 10_000)]),
            ],
            payments: [1: [pay("2026-03-09", 6_000)]])
        let row = try #require(r.rows.first)
        #expect(row.dunned == eur(20_000))
        #expect(row.paidWithin7 == eur(0))
        #expect(row.paidWithin14 == eur(6_000))
        #expect(row.messagesWithPayment14 == 1)
        #expect(row.shareWithin14 == 3000)
    }

    @Test func sharesRoundHalfUp() {
        // Each template is its own row, one message of one invoice, paid within 7 days.
        // "tie":   1 / 20 000 = 0.000 05 → 0.5 bp → 1 (half up; half-even or truncation would give 0).
        // "below": 1 / 20 001 → 0.499 98 bp → 0.
        // "odd":   5 / 20 000 → 2.5 bp → 3 (half-even would give 2).
        let r = report(
            [
                message(template: "below", items: [(2, 20_001)]),
                message(template: "odd", items: [(3, 20_000)]),
                message(template: "tie", items: [(1, 20_000)]),
            ],
            payments: [1: [pay("2026-03-02", 1)], 2: [pay("2026-03-02", 1)], 3: [pay("2026-03-02", 5)]])
        #expect(r.rows.map(\.template) == ["below", "odd", "tie"])
        #expect(r.rows.map(\.shareWithin7) == [0, 3, 1])
        #expect(r.rows.map(\.shareWithin14) == [0, 3, 1])
    }

    // MARK: Reminders per paid invoice

    @Test func remindersCountOnlyMessagesSentOnOrBeforeTheDayTheInvoiceClosed() {
        // Invoice 1, closed 03-08, is listed by:
        //   email sent 03-01 (reminder), email sent 03-08 (same day as closing: reminder),
        //   letter sent 03-20 (after closing: not a reminder), a failed email and a cancelled email (not sent).
        //   → 2 reminders.
        // Invoice 3, closed 03-05, listed by an sms sent 03-02 → 1 reminder.
        // Invoice 2 is listed by the 03-01 email but never closed → not a paid invoice.
        // Invoice 4 is closed but listed only by a queued message → not a paid invoice.
        // Overall: 2 paid invoices, 3 reminders → 1.50 → 150 hundredths.
        // Per channel: email 1 invoice, 2 reminders → 200; sms 1, 1 → 100; letter 1, 0 → 0.
        let r = report(
            [
                message(.email, sentOn: "2026-03-01", items: [(1, 10_000), (2, 10_000)]),
                message(.email, sentOn: "2026-03-08", items: [(1, 10_000)]),
                message(.letter, sentOn: "2026-03-20", items: [(1, 10_000)]),
                message(.email, status: .failed, items: [(1, 10_000)]),
                message(.email, status: .cancelled, items: [(1, 10_000)]),
                message(.sms, sentOn: "2026-03-02", items: [(3, 5_000)]),
                message(.email, status: .queued, items: [(4, 5_000)]),
            ],
            closedOn: [1: "2026-03-08", 3: "2026-03-05", 4: "2026-03-03"])
        #expect(r.paidInvoices == 2)
        #expect(r.reminders == 3)
        #expect(r.remindersPerPaidInvoiceHundredths == 150)
        #expect(r.remindersByChannel.map(\.channel) == [.email, .sms, .letter])
        #expect(r.remindersByChannel.map(\.paidInvoices) == [1, 1, 1])
        #expect(r.remindersByChannel.map(\.reminders) == [2, 1, 0])
        #expect(r.remindersByChannel.map(\.remindersPerPaidInvoiceHundredths) == [200, 100, 0])
    }

    @Test func anInvoiceListedTwiceInOneMessageIsOneReminderButTwoItems() throws {
        // One sent message lists invoice 1 twice (100.00 each) and invoice 2 (100.00) once; invoices 1, 2 and 5
        // are closed on 03-04; invoice 5 is listed by a second message.
        // Reminders: invoice 1 → 1 (same message), invoice 2 → 1, invoice 5 → 1; 3 invoices.
        // Then invoice 6 (closed) listed by a message sent after closing → 0 reminders but a paid invoice:
        // 3 reminders / 4 invoices = 0.75 → 75 hundredths.
        // Items are counted as given: dunned = 100 + 100 + 100 + 100 + 100 = 500.00.
        let r = report(
            [
                message(sentOn: "2026-03-01", items: [(1, 10_000), (1, 10_000), (2, 10_000)]),
                message(sentOn: "2026-03-02", items: [(5, 10_000)]),
                message(sentOn: "2026-03-09", items: [(6, 10_000)]),
            ],
            closedOn: [1: "2026-03-04", 2: "2026-03-04", 5: "2026-03-04", 6: "2026-03-04"])
        #expect(r.paidInvoices == 4)
        #expect(r.reminders == 3)
        #expect(r.remindersPerPaidInvoiceHundredths == 75)
        #expect(try #require(r.rows.first).dunned == eur(50_000))
    }

    @Test func remindersPerPaidInvoiceRoundsHalfUp() {
        // Invoices 1…8, closed 03-31, each listed by one message sent 03-01; invoice 1 also by one sent 03-02.
        // 9 reminders / 8 invoices = 1.125 → 112.5 hundredths → 113 (half up; half-even would give 112).
        var ms = (1...8).map { message(items: [(Int64($0), 100)]) }
        ms.append(message(sentOn: "2026-03-02", items: [(1, 100)]))
        let closed = Dictionary(uniqueKeysWithValues: (1...8).map { (Int64($0), "2026-03-31") })
        let r = report(ms, closedOn: closed)
        #expect(r.paidInvoices == 8)
        #expect(r.reminders == 9)
        #expect(r.remindersPerPaidInvoiceHundredths == 113)
    }

    // MARK: Currencies, empty input, period

    @Test func mixedCurrenciesAreNeverSummedTogether() throws {
        // Same channel/step/template/language, three currencies → three rows, three totals sorted by code.
        // EUR: email 100.00 + sms 200.00 (two rows) → total 300.00 EUR, paid within 7 = 50.00 (invoice 1).
        // JPY: 500 yen, nothing paid. USD: 100.00, fully paid (invoice 3).
        let r = report(
            [
                message(.email, currency: USD, items: [(3, 10_000)]),
                message(.email, currency: EUR, items: [(1, 10_000)]),
                message(.sms, currency: EUR, items: [(2, 20_000)]),
                message(.email, currency: JPY, items: [(4, 500)]),
            ],
            payments: [1: [pay("2026-03-02", 5_000)], 3: [pay("2026-03-02", 10_000)]])
        #expect(r.rows.map(\.currency) == [EUR, JPY, USD, EUR])
        #expect(r.totals.map(\.currency) == [EUR, JPY, USD])
        let eurTotal = try #require(r.totals.first { $0.currency == EUR })
        #expect(eurTotal.dunned == eur(30_000))
        #expect(eurTotal.paidWithin7 == eur(5_000))
        #expect(eurTotal.sent == 2)
        #expect(eurTotal.shareWithin7 == 1667)  // 50 / 300 = 0.166 67
        let jpyTotal = try #require(r.totals.first { $0.currency == JPY })
        #expect(jpyTotal.dunned == Money(minor: 500, JPY))
        #expect(jpyTotal.paidWithin7 == Money(minor: 0, JPY))
        let usdTotal = try #require(r.totals.first { $0.currency == USD })
        #expect(usdTotal.dunned == Money(minor: 10_000, USD))
        #expect(usdTotal.shareWithin14 == 10_000)
    }

    @Test func emptyInputGivesEmptyRowsAndNilRates() {
        let r = report([])
        #expect(r.rows.isEmpty)
        #expect(r.totals.isEmpty)
        #expect(r.paidInvoices == 0)
        #expect(r.reminders == 0)
        #expect(r.remindersPerPaidInvoiceHundredths == nil)
        #expect(r.remindersByChannel.isEmpty)
        let zero = CommunicationEffectiveness.Figures(currency: EUR)
        #expect(zero.deliveryRate == nil)
        #expect(zero.shareWithin7 == nil)
        #expect(zero.shareWithin14 == nil)
    }

    @Test func sharesAreNilWhenNothingWasDunned() throws {
        // A sent message with no items: delivered (10000 bp) but nothing dunned → shares nil, not 0.
        // A failed message with an item: nothing dunned either (only sent messages dun).
        let r = report([message(template: "a"), message(template: "b", status: .failed, items: [(1, 10_000)])])
        #expect(r.rows.map(\.deliveryRate) == [10_000, 0])
        #expect(r.rows.map(\.dunned) == [eur(0), eur(0)])
        #expect(r.rows.map(\.shareWithin7) == [nil, nil])
        #expect(r.rows.map(\.shareWithin14) == [nil, nil])
    }

    @Test func sentMessageWithoutSendDayIsDunnedButMeasuresNothing() throws {
        // Status sent but no sentOn: counted as sent and dunned (100.00), but the 30.00 paid on 03-02 cannot be
        // placed relative to it and it is no reminder, though invoice 1 closed.
        let undated = EffectivenessMessage(
            channel: .email, stepID: "s1", template: "t1", language: "en", currency: EUR, status: .sent, sentOn: nil,
            items: [.init(invoiceID: 1, amountMinor: 10_000)])
        let r = report([undated], payments: [1: [pay("2026-03-02", 3_000)]], closedOn: [1: "2026-03-02"])
        let row = try #require(r.rows.first)
        #expect(row.sent == 1)
        #expect(row.dunned == eur(10_000))
        #expect(row.paidWithin14 == eur(0))
        #expect(row.shareWithin14 == 0)
        #expect(r.paidInvoices == 0)
        #expect(r.remindersPerPaidInvoiceHundredths == nil)
    }

    @Test func thePeriodIsEchoedAndNotUsedToFilter() throws {
        // Sent 2026-02-10, before `from` (2026-03-01); paid 20.00 on 2026-02-15 (day 5). The caller chose the
        // messages, so the message and its payment count.
        let r = report(
            [message(sentOn: "2026-02-10", items: [(1, 10_000)])], payments: [1: [pay("2026-02-15", 2_000)]])
        #expect(r.from == day("2026-03-01"))
        #expect(r.to == day("2026-03-31"))
        let row = try #require(r.rows.first)
        #expect(row.sent == 1)
        #expect(row.paidWithin7 == eur(2_000))
    }
}
