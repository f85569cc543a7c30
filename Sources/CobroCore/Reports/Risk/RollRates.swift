/// One open item followed from one month-end to the next (reference §2.11, balance-tracked).
public struct RollTransition: Sendable, Hashable {
    public var currency: Currency
    /// Aging bucket (due basis) at the first month-end.
    public var from: Int
    /// Open then (> 0).
    public var balance: Int64
    /// Aging bucket at the second month-end (ignored when nothing is open then).
    public var to: Int
    /// Open at the second month-end (≥ 0; more than ``balance`` when an allocation was un-applied meanwhile).
    public var remaining: Int64
    /// Write-off credit applied to the item between the two month-ends.
    public var writtenOff: Int64

    public init(currency: Currency, from: Int, balance: Int64, to: Int, remaining: Int64, writtenOff: Int64 = 0) {
        self.currency = currency
        self.from = from
        self.balance = balance
        self.to = to
        self.remaining = remaining
        self.writtenOff = writtenOff
    }
}

/// Where the balance of each aging bucket went from one month-end to the next, for one currency.
public struct RollMatrix: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var bucket: Int
        /// Balance in the bucket at the start, and the number of items carrying it.
        public var balance: Int64
        public var items: Int
        /// Of ``balance``: what is still open at the end, by the bucket it is in then.
        public var toBucket: [Int64]
        /// Settled meanwhile by payments and ordinary credit notes.
        public var paid: Int64
        /// Settled meanwhile by write-offs.
        public var writtenOff: Int64

        /// *Migración*: the part that moved to a worse bucket — for the last bucket, the part written off.
        public var migrated: Int64 {
            bucket == toBucket.count - 1 ? writtenOff : toBucket[(bucket + 1)...].reduce(0, +)
        }
        /// ``migrated`` / ``balance`` in basis points, half up (`nil` for an empty bucket).
        public var rollRateBasisPoints: Int? { RollRates.basisPoints(migrated, balance) }
        /// *Contención* = 1 − roll rate: what did not move on (paid, cured or held in place).
        public var containmentBasisPoints: Int? { rollRateBasisPoints.map { 10_000 - $0 } }
    }

    public var currency: Currency
    /// One row per aging bucket, in bucket order.
    public var rows: [Row]

    /// Chained loss rate from each bucket (parts per million, half up): the product of the roll rates from that bucket
    /// up to the last one, i.e. the share expected to reach the last bucket, which counts as lost (reference §2.11:
    /// 0.05 × 0.20 × 0.40 × 0.70 = 0.28 % from current). The last bucket's own rate is 100 %. `nil` when a bucket on
    /// the way is empty (no observation).
    public var chainedLossPartsPerMillion: [Int?] {
        rows.indices.map { k in
            var rate = 1.0
            for r in rows[k..<(rows.count - 1)] {
                guard r.balance > 0 else { return nil }
                rate *= Double(r.migrated) / Double(r.balance)
            }
            return Int((rate * 1_000_000).rounded(.toNearestOrAwayFromZero))
        }
    }
}

/// Roll rates and the migration matrix between aging buckets (reference §2.11).
public enum RollRates {
    /// The matrix of `transitions` per currency (in currency-code order), `bucketCount` buckets each. A transition's
    /// balance goes to the bucket it is in at the end (at most its starting balance), the rest to written off (up to
    /// the write-off credit applied meanwhile) and paid.
    public static func matrices(_ transitions: [RollTransition], bucketCount: Int) -> [RollMatrix] {
        var byCurrency: [Currency: [RollMatrix.Row]] = [:]
        for t in transitions where t.balance > 0 && (0..<bucketCount).contains(t.from) {
            var rows = byCurrency[t.currency] ?? (0..<bucketCount).map {
                RollMatrix.Row(bucket: $0, balance: 0, items: 0, toBucket: Array(repeating: 0, count: bucketCount), paid: 0, writtenOff: 0)
            }
            let stays = min(t.balance, max(0, t.remaining))
            let settled = t.balance - stays
            let writtenOff = min(settled, max(0, t.writtenOff))
            rows[t.from].balance += t.balance
            rows[t.from].items += 1
            if stays > 0 { rows[t.from].toBucket[min(max(t.to, 0), bucketCount - 1)] += stays }
            rows[t.from].writtenOff += writtenOff
            rows[t.from].paid += settled - writtenOff
            byCurrency[t.currency] = rows
        }
        return byCurrency.keys.sorted { $0.code < $1.code }.map { RollMatrix(currency: $0, rows: byCurrency[$0]!) }
    }

    /// `part / whole` in basis points, half up; `nil` when `whole` is 0.
    public static func basisPoints(_ part: Int64, _ whole: Int64) -> Int? {
        guard whole > 0 else { return nil }
        return Int((Int128(part) * 20_000 + Int128(whole)) / (Int128(whole) * 2))
    }
}
