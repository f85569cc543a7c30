import CobroCore

/// The balances (customer + currency) that a bulk load opens: no open item and no unapplied credit before it. Their
/// credit notes are applied in memory as ``LedgerWriter/applyCredit(_:customerID:currency:day:named:itemsUpTo:)``
/// applies them — CobroCore's ``CashApplication`` over the documents above the line, oldest due first, effective
/// from the later of the two dates — and the result is written once, in id order, instead of a few random reads
/// and writes per credit note.
///
/// A fresh balance has no reversed allocations and no payments, so neither the reversal floor nor early-payment
/// discounts of the SQL path can apply to it.
struct FreshBalances {
    struct Item {
        let id: Int64
        let issueDay: Int32
        let dueDay: Int32
        var open: Int64
        /// The previous item of the same balance (-1 for the first): a list per balance without an array per balance.
        let previous: Int32
        let isCredit: Bool
    }

    /// What ``write`` stores for an item an allocation touched.
    struct Touched {
        var first: Int32
        var last: Int32
    }

    struct Allocation {
        let invoice: Int32
        let credit: Int32
        let amount: Int64
        let day: Int32
        /// The invoice was settled by this allocation (`invoice.paid`).
        let settles: Bool
    }

    private(set) var items: [Item] = []
    private var last: [Importer.CreditKey: Int32] = [:]
    /// Balances holding unapplied credit (a credit note larger than what was open above it).
    private var withCredit = Set<Importer.CreditKey>()
    private(set) var touched: [Int32: Touched] = [:]
    private(set) var allocations: [Allocation] = []

    /// Adds a document the load inserted with `id`, applying credit as the row-by-row import would at its line.
    mutating func add(_ key: Importer.CreditKey, id: Int64, issueDay: Int, dueDay: Int, amount: Int64, isCredit: Bool) {
        let index = Int32(items.count)
        items.append(Item(id: id, issueDay: Int32(issueDay), dueDay: Int32(dueDay), open: amount, previous: last[key] ?? -1, isCredit: isCredit))
        last[key] = index
        if isCredit {
            apply(credit: index, of: key, upTo: index)
            if items[Int(index)].open > 0 { withCredit.insert(key) }
        } else if withCredit.contains(key) {
            // LedgerWriter.applyAvailableCredit: the balance's credit notes, oldest first, until one applies nothing.
            for credit in indices(of: key).filter({ items[Int($0)].isCredit && items[Int($0)].open > 0 })
                .sorted(by: { (items[Int($0)].issueDay, $0) < (items[Int($1)].issueDay, $1) })
            {
                if apply(credit: credit, of: key, upTo: index) == 0 { break }
            }
            if !indices(of: key).contains(where: { items[Int($0)].isCredit && items[Int($0)].open > 0 }) { withCredit.remove(key) }
        }
    }

    /// The balance's items, newest first.
    private func indices(of key: Importer.CreditKey) -> [Int32] {
        var out: [Int32] = []
        var i = last[key] ?? -1
        while i >= 0 {
            out.append(i)
            i = items[Int(i)].previous
        }
        return out
    }

    @discardableResult
    private mutating func apply(credit: Int32, of key: Importer.CreditKey, upTo bound: Int32) -> Int64 {
        let available = items[Int(credit)].open
        guard available > 0 else { return 0 }
        let open = indices(of: key).filter { $0 <= bound && !items[Int($0)].isCredit && items[Int($0)].open > 0 }
        var indexOf: [Int64: Int32] = [:]
        let plan = CashApplication.plan(amount: available, items: open.map { i in
            let item = items[Int(i)]
            indexOf[item.id] = i
            return OpenItem(id: item.id, issueDate: LocalDate(dayNumber: Int(item.issueDay)), dueDate: LocalDate(dayNumber: Int(item.dueDay)), openMinor: item.open)
        })
        var total: Int64 = 0
        for p in plan {
            let i = indexOf[p.itemID]!
            let day = max(items[Int(credit)].issueDay, items[Int(i)].issueDay)  // CashApplication.effectiveDate
            items[Int(i)].open -= p.amountMinor
            items[Int(credit)].open -= p.amountMinor
            for t in [i, credit] {
                var days = touched[t] ?? Touched(first: day, last: day)
                days.first = min(days.first, day)
                days.last = max(days.last, day)
                touched[t] = days
            }
            allocations.append(Allocation(invoice: i, credit: credit, amount: p.amountMinor, day: day, settles: items[Int(i)].open == 0))
            total += p.amountMinor
        }
        return total
    }
}
