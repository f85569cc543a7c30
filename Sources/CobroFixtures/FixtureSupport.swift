/// Small deterministic building blocks for the ledger generator: a seeded PRNG, a byte-level CSV line
/// writer and a min-heap. Nothing here reads a clock or the system random source.

import CobroCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): 64-bit state, passes BigCrush, trivially seedable. Each customer
/// owns one, derived from the run seed and the customer's index, so the output depends only on the config.
extension SplitMix64 {
    /// A stream seed for (seed, index, stream) that does not correlate with neighbouring indices.
    static func derive(_ seed: UInt64, _ index: Int, _ stream: UInt64) -> UInt64 {
        var s = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = s.next()
        s.state ^= UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
        _ = s.next()
        return s.next()
    }

    /// Uniform in [0, 1).
    @inline(__always) mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    /// Uniform in (0, 1].
    @inline(__always) mutating func openUnit() -> Double { Double((next() >> 11) + 1) * 0x1.0p-53 }
    /// Uniform in [a, b).
    @inline(__always) mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    /// Uniform integer in 0..<n (n > 0), by multiply-high (no modulo bias worth mentioning, no loop).
    @inline(__always) mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }
    /// Uniform integer in the closed range.
    @inline(__always) mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.upperBound - r.lowerBound + 1) }
    @inline(__always) mutating func chance(_ p: Double) -> Bool { unit() < p }
    /// Standard normal (Box–Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = openUnit(), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    /// Index drawn with the given (non-negative, not all zero) weights.
    mutating func weightedIndex(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
    mutating func pick<T>(weighted items: [(T, Double)]) -> T {
        var total = 0.0
        for it in items { total += it.1 }
        var x = unit() * total
        for it in items {
            if x < it.1 { return it.0 }
            x -= it.1
        }
        return items[items.count - 1].0
    }
}

/// Accumulates whole CSV lines as UTF-8 bytes and hands them to a sink in ~64 KB chunks.
struct LineWriter {
    static let chunkSize = 64 * 1024 - 512
    var bytes: [UInt8] = []
    /// ISO dates (10 bytes each) for day numbers `dateBase ..< dateBase + dateCount`.
    let dateTable: [UInt8]
    let dateBase: Int
    let dateCount: Int

    init(dateBase: Int, dateCount: Int) {
        self.dateBase = dateBase
        self.dateCount = dateCount
        var t: [UInt8] = []
        t.reserveCapacity(dateCount * 10)
        for d in 0..<dateCount { t.append(contentsOf: LocalDate(dayNumber: dateBase + d).iso.utf8) }
        dateTable = t
        bytes.reserveCapacity(LineWriter.chunkSize + 4096)
    }

    /// Ends the current line and passes the buffer on when it is full.
    @inline(__always) mutating func endLine(_ sink: (String) throws -> Void) rethrows {
        bytes.append(10)
        if bytes.count >= LineWriter.chunkSize { try flush(sink) }
    }

    mutating func flush(_ sink: (String) throws -> Void) rethrows {
        guard !bytes.isEmpty else { return }
        let s = String(decoding: bytes, as: UTF8.self)
        bytes.removeAll(keepingCapacity: true)
        try sink(s)
    }

    @inline(__always) mutating func comma() { bytes.append(44) }

    /// A field known not to need quoting (refs, codes, numbers).
    @inline(__always) mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }
    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A free-text field, quoted per RFC 4180 when it holds `,` `"` CR or LF.
    mutating func field(_ s: String) {
        var s = s
        s.withUTF8 { u in
            var needs = false
            for c in u where c == 44 || c == 34 || c == 10 || c == 13 { needs = true; break }
            if !needs { bytes.append(contentsOf: u); return }
            bytes.append(34)
            for c in u {
                if c == 34 { bytes.append(34) }
                bytes.append(c)
            }
            bytes.append(34)
        }
    }

    @inline(__always) mutating func bool(_ b: Bool) { if b { raw("true") } else { raw("false") } }

    /// Decimal digits of `v` (≥ 0), left-padded with zeros to `width`.
    mutating func padded(_ v: Int, width: Int) {
        let start = bytes.count
        var m = v.magnitude
        var n = 0
        repeat {
            bytes.append(UInt8(truncatingIfNeeded: 48 + m % 10))
            m /= 10
            n += 1
        } while m > 0 || n < width
        if v < 0 { bytes.append(45) }
        bytes[start...].reverse()
    }

    /// `prefix` + number padded to 7 digits: `INV-0000123`, `PAY-0000001`.
    @inline(__always) mutating func ref(_ prefix: StaticString, _ n: Int, width: Int = 7) {
        raw(prefix)
        padded(n, width: width)
    }

    /// Minor units as a decimal with exactly `exponent` fraction digits; same text as `Money.format`.
    mutating func money(_ minor: Int64, exponent: Int) {
        if minor < 0 { bytes.append(45) }
        let start = bytes.count
        var m = minor.magnitude
        var i = 0
        repeat {
            if exponent > 0 && i == exponent { bytes.append(46) }
            bytes.append(UInt8(truncatingIfNeeded: 48 + m % 10))
            m /= 10
            i += 1
        } while m > 0 || i <= exponent
        bytes[start...].reverse()
    }

    @inline(__always) mutating func date(_ dayNumber: Int) {
        let i = dayNumber - dateBase
        if i >= 0 && i < dateCount {
            dateTable.withUnsafeBufferPointer { bytes.append(contentsOf: $0[(i * 10)..<(i * 10 + 10)]) }
        } else {
            raw(LocalDate(dayNumber: dayNumber).iso)
        }
    }
}

/// A binary min-heap of packed `(day << 32) | customer` keys: pops documents in date order, ties by customer.
struct KeyHeap {
    private(set) var keys: [UInt64] = []

    init(capacity: Int) { keys.reserveCapacity(capacity) }

    var isEmpty: Bool { keys.isEmpty }

    mutating func push(_ k: UInt64) {
        keys.append(k)
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) >> 1
            if keys[p] <= k { break }
            keys[i] = keys[p]
            i = p
        }
        keys[i] = k
    }

    mutating func pop() -> UInt64? {
        guard let last = keys.popLast() else { return nil }
        guard !keys.isEmpty else { return last }
        let top = keys[0]
        let n = keys.count
        var i = 0
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && keys[c + 1] < keys[c] { c += 1 }
            if keys[c] >= last { break }
            keys[i] = keys[c]
            i = c
        }
        keys[i] = last
        return top
    }
}

/// Lower-case ASCII letters and digits of `s`, accents folded (`Núñez` → `nunez`), for e-mail domains.
func asciiSlug(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.lowercased().unicodeScalars {
        switch ch {
        case "a"..."z", "0"..."9": out.unicodeScalars.append(ch)
        case "á", "à", "â", "ã", "ä", "å": out += "a"
        case "é", "è", "ê", "ë": out += "e"
        case "í", "ì", "î", "ï": out += "i"
        case "ó", "ò", "ô", "õ", "ö": out += "o"
        case "ú", "ù", "û", "ü": out += "u"
        case "ç": out += "c"
        case "ñ": out += "n"
        case "&": out += "and"
        default: break
        }
    }
    return out
}
