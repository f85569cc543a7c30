/// Communication effectiveness: how dunning messages were delivered, and how much of what they dunned was paid
/// soon after they were sent.
///
/// The report groups messages by (channel, step, template, language, currency) and gives, for each group and for
/// each currency overall:
///
/// - counts by outcome (sent, failed, pending, cancelled) and the delivery rate;
/// - the amount dunned by sent messages and the amount of it paid within 7 and within 14 days of sending, with
///   the share paid;
///
/// and, across all messages, the number of reminders it took per invoice that ended up paid.
///
/// ### The period
///
/// The function does **not** filter by date. The caller selects the messages of the period (by the day each message
/// was created) and passes `from` and `to` only so that they are echoed in the ``Report``. Payments are looked at
/// up to 14 days after each message's `sentOn`, which can lie after `to`: to get complete figures, pass the
/// payments up to `to` + 14 days. Figures for recent messages grow until 14 days have passed.
///
/// ### Rounding
///
/// Rates are integers. *Basis points* are 1/10 000 (10 000 = 100 %); *hundredths* are 1/100. Every rate is
/// rounded **half up**: `part × scale / whole`, with an exact remainder of one half rounded to the larger value
/// (`1/3` → 3333 bp, `2/3` → 6667 bp, `1/8` → 1250 bp, `1/16 000` → 1 bp, `1/20 001` → 0 bp). A rate whose
/// denominator is zero is `nil`, never 0.
///
/// ### Money
///
/// Amounts of different currencies are never added: every ``Figures`` value is of one currency, and ``Report/totals``
/// has one entry per currency. Amounts are in minor units (``Money``).
///
/// ### Complexity
///
/// O(M + I + P log P) time for M messages listing I items in all, and P payments on the invoices those items name:
/// each invoice's payments are sorted and summed into prefix sums once, then each window is two binary searches.
public enum CommunicationEffectiveness {
    /// The figures of a set of messages of one currency (a ``Row`` or a ``CurrencyTotal``).
    ///
    /// `messages == sent + failed + pending` always holds; ``cancelled`` are counted apart and in nothing else.
    public struct Figures: Sendable, Hashable {
        /// Messages in any status except `cancelled`.
        public var messages: Int
        /// Messages in status `cancelled`. Not part of ``messages``.
        public var cancelled: Int
        /// Messages in status `sent` (delivered).
        public var sent: Int
        /// Messages in status `failed` or `bounced`.
        public var failed: Int
        /// Messages in status `queued` or `sending`: not yet sent, not failed.
        public var pending: Int
        /// Sum of the item amounts (open amount of each listed invoice at compose time) of the **sent** messages.
        /// An invoice listed by two sent messages counts twice.
        public var dunned: Money
        /// For each sent message and each item it lists: what was applied to the item's invoice from the day the
        /// message was sent through 7 days later, inclusive (payments minus reversals, at least 0 and at most the
        /// item's amount); summed. See ``CommunicationEffectiveness/report(messages:payments:closedOn:from:to:)``.
        public var paidWithin7: Money
        /// Like ``paidWithin7`` with a window of the send day through 14 days later, inclusive.
        public var paidWithin14: Money
        /// Sent messages whose ``paidWithin7`` contribution is greater than zero.
        public var messagesWithPayment7: Int
        /// Sent messages whose ``paidWithin14`` contribution is greater than zero.
        public var messagesWithPayment14: Int

        /// All counts zero and all amounts zero in `currency`.
        public init(currency: Currency) {
            self.messages = 0
            self.cancelled = 0
            self.sent = 0
            self.failed = 0
            self.pending = 0
            self.dunned = .zero(currency)
            self.paidWithin7 = .zero(currency)
            self.paidWithin14 = .zero(currency)
            self.messagesWithPayment7 = 0
            self.messagesWithPayment14 = 0
        }

        /// The currency of every amount.
        public var currency: Currency { dunned.currency }

        /// `sent / (sent + failed)` in basis points, rounded half up; `nil` when `sent + failed == 0`.
        /// Pending and cancelled messages are not part of it.
        public var deliveryRate: Int? {
            CommunicationEffectiveness.ratio(Int64(sent), of: Int64(sent + failed), scale: 10_000)
        }

        /// `paidWithin7 / dunned` in basis points, rounded half up; `nil` when ``dunned`` is not positive.
        public var shareWithin7: Int? {
            CommunicationEffectiveness.ratio(paidWithin7.minor, of: dunned.minor, scale: 10_000)
        }

        /// `paidWithin14 / dunned` in basis points, rounded half up; `nil` when ``dunned`` is not positive.
        public var shareWithin14: Int? {
            CommunicationEffectiveness.ratio(paidWithin14.minor, of: dunned.minor, scale: 10_000)
        }

        /// Adds `other`'s counts and amounts to these. Both must be of the same currency (traps otherwise).
        public mutating func add(_ other: Figures) {
            messages += other.messages
            cancelled += other.cancelled
            sent += other.sent
            failed += other.failed
            pending += other.pending
            dunned = dunned + other.dunned
            paidWithin7 = paidWithin7 + other.paidWithin7
            paidWithin14 = paidWithin14 + other.paidWithin14
            messagesWithPayment7 += other.messagesWithPayment7
            messagesWithPayment14 += other.messagesWithPayment14
        }
    }

    /// The messages of one (channel, step, template, language, currency). Every ``Figures`` property can be read
    /// directly on the row (`row.sent`, `row.shareWithin7`).
    @dynamicMemberLookup
    public struct Row: Sendable, Hashable {
        public var channel: DunningChannel
        public var stepID: String
        public var template: String
        public var language: String
        public var currency: Currency
        public var figures: Figures

        public init(
            channel: DunningChannel, stepID: String, template: String, language: String, currency: Currency,
            figures: Figures
        ) {
            self.channel = channel
            self.stepID = stepID
            self.template = template
            self.language = language
            self.currency = currency
            self.figures = figures
        }

        public subscript<T>(dynamicMember keyPath: KeyPath<Figures, T>) -> T { figures[keyPath: keyPath] }
    }

    /// All the messages of one currency: the sum of the figures of that currency's rows. Every ``Figures``
    /// property can be read directly (`total.dunned`).
    @dynamicMemberLookup
    public struct CurrencyTotal: Sendable, Hashable {
        public var currency: Currency
        public var figures: Figures

        public init(currency: Currency, figures: Figures) {
            self.currency = currency
            self.figures = figures
        }

        public subscript<T>(dynamicMember keyPath: KeyPath<Figures, T>) -> T { figures[keyPath: keyPath] }
    }

    /// Reminders per paid invoice for the sent messages of one channel: the same definition as the overall figure
    /// (see ``Report/paidInvoices``), with only that channel's messages looked at.
    public struct ChannelReminders: Sendable, Hashable {
        public var channel: DunningChannel
        /// Paid invoices listed by at least one dated sent message of this channel.
        public var paidInvoices: Int
        /// This channel's dated sent messages that listed one of those invoices on or before the day it was paid;
        /// a message counts once per invoice.
        public var reminders: Int

        public init(channel: DunningChannel, paidInvoices: Int, reminders: Int) {
            self.channel = channel
            self.paidInvoices = paidInvoices
            self.reminders = reminders
        }

        /// `reminders / paidInvoices` in hundredths, rounded half up (250 = 2.50 reminders per paid invoice);
        /// `nil` when `paidInvoices == 0`.
        public var remindersPerPaidInvoiceHundredths: Int? {
            CommunicationEffectiveness.ratio(Int64(reminders), of: Int64(paidInvoices), scale: 100)
        }
    }

    /// The result of ``CommunicationEffectiveness/report(messages:payments:closedOn:from:to:)``.
    public struct Report: Sendable, Hashable {
        /// The period the caller selected the messages for, echoed; the report does not filter by it.
        public var from: LocalDate
        /// See ``from``.
        public var to: LocalDate
        /// One row per (channel, step, template, language, currency) that has at least one message (cancelled
        /// ones included), sorted by channel (``DunningChannel``'s order), then step ID, template, language,
        /// currency code.
        public var rows: [Row]
        /// One entry per currency that has a row, sorted by currency code.
        public var totals: [CurrencyTotal]
        /// Invoices that are listed by at least one *dated* sent message (status `sent` with a `sentOn`) and have a
        /// `closedOn` day, in any currency and any channel.
        public var paidInvoices: Int
        /// For each of those invoices, the dated sent messages that listed it with `sentOn <= closedOn`; summed.
        /// A message that lists the same invoice twice counts once for it. A message sent after the invoice was
        /// closed is not a reminder, but the invoice still counts in ``paidInvoices``.
        public var reminders: Int
        /// ``paidInvoices`` and ``reminders`` per channel, for the channels with at least one paid invoice, in
        /// ``DunningChannel``'s order. An invoice dunned on two channels counts in both.
        public var remindersByChannel: [ChannelReminders]

        public init(
            from: LocalDate, to: LocalDate, rows: [Row], totals: [CurrencyTotal], paidInvoices: Int, reminders: Int,
            remindersByChannel: [ChannelReminders]
        ) {
            self.from = from
            self.to = to
            self.rows = rows
            self.totals = totals
            self.paidInvoices = paidInvoices
            self.reminders = reminders
            self.remindersByChannel = remindersByChannel
        }

        /// `reminders / paidInvoices` in hundredths, rounded half up (150 = 1.50 reminders per paid invoice);
        /// `nil` when `paidInvoices == 0`.
        public var remindersPerPaidInvoiceHundredths: Int? {
            CommunicationEffectiveness.ratio(Int64(reminders), of: Int64(paidInvoices), scale: 100)
        }
    }

    /// Computes the communication-effectiveness report. Pure: no I/O, no clock.
    ///
    /// How each message counts:
    /// - `cancelled`: in ``Figures/cancelled`` only.
    /// - `queued`, `sending`: in ``Figures/messages`` and ``Figures/pending``.
    /// - `failed`, `bounced`: in ``Figures/messages`` and ``Figures/failed``.
    /// - `sent`: in ``Figures/messages``, ``Figures/sent`` and ``Figures/dunned``; and, when it has a `sentOn`
    ///   day S, in the paid-within figures and the reminders. A sent message without `sentOn` (which the store
    ///   never produces) cannot be placed in time: it is dunned but nothing is paid within its windows and it is
    ///   no reminder.
    ///
    /// Paid within N days (N = 7 or 14) of a sent message with day S, for each item (invoice, amount) it lists:
    /// `min(amount, max(0, Σ payments[invoice] with S <= day <= S + N))`, summed over the items. The send day
    /// and day S + N both count; a payment made before S does not. A reversal (negative amount) in the window
    /// reduces the sum. An item whose amount is not positive contributes 0.
    ///
    /// - parameters:
    ///     - messages: The messages of the period, any status. Not filtered here (see the type's discussion).
    ///     - payments: Invoice ID → every amount applied to that invoice, in any order, in the currency of the
    ///       messages that list it.
    ///     - closedOn: Invoice ID → the day the invoice became fully paid; absent while it is open.
    ///     - from: First day of the period the caller selected, echoed in the report.
    ///     - to: Last day of the period the caller selected, echoed in the report.
    /// - returns: The report; its rows and totals are empty and its rates `nil` when there are no messages.
    public static func report(
        messages: [EffectivenessMessage], payments: [Int64: [EffectivenessPayment]], closedOn: [Int64: LocalDate],
        from: LocalDate, to: LocalDate
    ) -> Report {
        var groupIndex: [GroupKey: Int] = [:]
        var keys: [GroupKey] = []
        var figures: [Figures] = []
        var windows = PaymentWindows(payments: payments)

        // Reminders: paid invoices and reminder counts overall and per channel.
        var lastMessage: [Int64: Int] = [:]  // invoice → last message index counted, to count a message once
        var paid: Set<Int64> = []
        var reminders = 0
        var paidByChannel: [DunningChannel: Set<Int64>] = [:]
        var remindersByChannel: [DunningChannel: Int] = [:]

        for (messageIndex, m) in messages.enumerated() {
            let key = GroupKey(
                channel: m.channel, stepID: m.stepID, template: m.template, language: m.language, currency: m.currency)
            let g: Int
            if let i = groupIndex[key] {
                g = i
            } else {
                g = figures.count
                groupIndex[key] = g
                keys.append(key)
                figures.append(Figures(currency: m.currency))
            }

            switch m.status {
            case .cancelled:
                figures[g].cancelled += 1
                continue
            case .queued, .sending:
                figures[g].messages += 1
                figures[g].pending += 1
                continue
            case .failed, .bounced:
                figures[g].messages += 1
                figures[g].failed += 1
                continue
            case .sent:
                figures[g].messages += 1
                figures[g].sent += 1
            }

            var dunned: Int64 = 0
            for item in m.items { dunned += item.amountMinor }
            figures[g].dunned.minor += dunned
            guard let sentOn = m.sentOn else { continue }

            var paid7: Int64 = 0
            var paid14: Int64 = 0
            for item in m.items {
                let cap = item.amountMinor
                if cap > 0, let sums = windows.sums(invoice: item.invoiceID, from: sentOn.dayNumber) {
                    paid7 += min(cap, max(0, sums.within7))
                    paid14 += min(cap, max(0, sums.within14))
                }
                guard let closed = closedOn[item.invoiceID],
                    lastMessage.updateValue(messageIndex, forKey: item.invoiceID) != messageIndex
                else { continue }
                paid.insert(item.invoiceID)
                paidByChannel[m.channel, default: []].insert(item.invoiceID)
                if sentOn <= closed {
                    reminders += 1
                    remindersByChannel[m.channel, default: 0] += 1
                }
            }
            figures[g].paidWithin7.minor += paid7
            figures[g].paidWithin14.minor += paid14
            if paid7 > 0 { figures[g].messagesWithPayment7 += 1 }
            if paid14 > 0 { figures[g].messagesWithPayment14 += 1 }
        }

        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        let rows = order.map { i in
            let k = keys[i]
            return Row(
                channel: k.channel, stepID: k.stepID, template: k.template, language: k.language, currency: k.currency,
                figures: figures[i])
        }

        var byCurrency: [Currency: Figures] = [:]
        for row in rows { byCurrency[row.currency, default: Figures(currency: row.currency)].add(row.figures) }
        let totals = byCurrency.keys.sorted().map { CurrencyTotal(currency: $0, figures: byCurrency[$0]!) }

        let channels = DunningChannel.allCases.sorted().compactMap { c -> ChannelReminders? in
            guard let invoices = paidByChannel[c] else { return nil }
            return ChannelReminders(channel: c, paidInvoices: invoices.count, reminders: remindersByChannel[c] ?? 0)
        }

        return Report(
            from: from, to: to, rows: rows, totals: totals, paidInvoices: paid.count, reminders: reminders,
            remindersByChannel: channels)
    }

    /// `part / whole` in units of `1 / scale`, rounded half up; `nil` when `whole` is not positive.
    /// `part` is expected to be ≥ 0 (it is, for every figure of this report).
    static func ratio(_ part: Int64, of whole: Int64, scale: Int64) -> Int? {
        guard whole > 0 else { return nil }
        let twice = 2 * Int128(part) * Int128(scale) + Int128(whole)
        return Int(clamping: twice / (2 * Int128(whole)))
    }

    /// What a row is grouped by; `<` is the rows' sort order.
    private struct GroupKey: Hashable, Comparable {
        var channel: DunningChannel
        var stepID: String
        var template: String
        var language: String
        var currency: Currency

        static func < (a: GroupKey, b: GroupKey) -> Bool {
            if a.channel != b.channel { return a.channel < b.channel }
            if a.stepID != b.stepID { return a.stepID < b.stepID }
            if a.template != b.template { return a.template < b.template }
            if a.language != b.language { return a.language < b.language }
            return a.currency.code < b.currency.code
        }
    }

    /// Sums of an invoice's payments over day windows, built once per invoice on first use.
    private struct PaymentWindows {
        /// One invoice's payment days in ascending order, and `prefix[i]` = sum of the first `i` amounts.
        struct Index {
            var days: [Int]
            var prefix: [Int64]

            init(_ payments: [EffectivenessPayment]) {
                let sorted = payments.sorted { $0.day < $1.day }
                days = sorted.map(\.day.dayNumber)
                prefix = [0]
                prefix.reserveCapacity(sorted.count + 1)
                var running: Int64 = 0
                for p in sorted {
                    running += p.amountMinor
                    prefix.append(running)
                }
            }

            /// The index of the first payment on or after `day` (`days.count` if none).
            func firstIndex(onOrAfter day: Int) -> Int {
                var lo = 0
                var hi = days.count
                while lo < hi {
                    let mid = lo + (hi - lo) / 2
                    if days[mid] < day { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
        }

        let payments: [Int64: [EffectivenessPayment]]
        var indexes: [Int64: Index] = [:]

        init(payments: [Int64: [EffectivenessPayment]]) { self.payments = payments }

        /// Net amounts applied to `invoice` on days `from...from+7` and `from...from+14`; `nil` when the invoice
        /// has no payments at all.
        mutating func sums(invoice: Int64, from day: Int) -> (within7: Int64, within14: Int64)? {
            let index: Index
            if let cached = indexes[invoice] {
                index = cached
            } else {
                guard let list = payments[invoice], !list.isEmpty else { return nil }
                index = Index(list)
                indexes[invoice] = index
            }
            let start = index.prefix[index.firstIndex(onOrAfter: day)]
            let end7 = index.prefix[index.firstIndex(onOrAfter: day + 8)]
            let end14 = index.prefix[index.firstIndex(onOrAfter: day + 15)]
            return (end7 - start, end14 - start)
        }
    }
}
