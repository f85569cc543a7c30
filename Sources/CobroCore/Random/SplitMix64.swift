/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator that gives the same sequence on every
/// platform, for everything that must be reproducible from a seed (fixtures, property tests, model training).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inline(__always) public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in `range` (modulo bias is negligible for test and fixture ranges).
    public mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        if width == 0 { return Int64(bitPattern: next()) }  // the full Int64 range
        return range.lowerBound &+ Int64(bitPattern: next() % width)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int(int(Int64(range.lowerBound)...Int64(range.upperBound))) }

    /// True with probability `percent` / 100.
    public mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    /// One of `values` (not empty).
    public mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
}
