/// 64-bit FNV-1a: a fixed, platform-independent hash used where Cobro needs a short stable fingerprint
/// (MIME boundaries, shortened Message-IDs). Not a security primitive.
enum StableHash {
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The hash as 16 lower-case hex digits.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let h = fnv1a64(bytes)
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((h >> UInt64(shift)) & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
