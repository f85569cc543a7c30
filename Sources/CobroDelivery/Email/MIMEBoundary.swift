/// Multipart boundaries that are the same for the same message and never occur in the parts they separate.
///
/// The base is `=_cobro_<kind>_<FNV-1a of the Message-ID>`. `=_` cannot appear in quoted-printable or base64
/// output, but part headers (file names, nested boundaries) are free text, so the parts are searched anyway and
/// `.1`, `.2`, … is appended until the boundary is absent from all of them.
enum MIMEBoundary {
    static func choose(kind: String, seed: String, avoiding parts: [[UInt8]]) -> String {
        let base = "=_cobro_\(kind)_\(StableHash.hex(seed.utf8))"
        var candidate = base
        var attempt = 0
        while parts.contains(where: { occurs(Array(candidate.utf8), in: $0) }) {
            attempt += 1
            candidate = "\(base).\(attempt)"
        }
        return candidate
    }

    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
