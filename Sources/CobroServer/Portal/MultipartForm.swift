import Foundation

/// A `multipart/form-data` body (RFC 7578): text fields and files. Enough for the portal's dispute form (a few
/// fields and one optional file); the whole body is in memory, bounded by the caller's size limit.
struct MultipartForm {
    struct File {
        var field: String
        var fileName: String
        var contentType: String?
        var bytes: [UInt8]
    }
    var fields: [String: String] = [:]
    var files: [File] = []

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    init?(body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var starts: [Int] = []
        var i = 0
        while let at = Self.find(delimiter, in: body, from: i) {
            starts.append(at)
            i = at + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        for k in 0..<(starts.count - 1) {
            var s = starts[k] + delimiter.count
            if s + 1 < body.count, body[s] == 13, body[s + 1] == 10 { s += 2 }
            var e = starts[k + 1]
            if e >= 2, body[e - 2] == 13, body[e - 1] == 10 { e -= 2 }
            if s <= e { parts.append(body[s..<e]) }
        }
        for part in parts {
            guard let split = Self.find(Array("\r\n\r\n".utf8), in: Array(part), from: 0) else { continue }
            let bytes = Array(part)
            let head = String(decoding: bytes[..<split], as: UTF8.self)
            let content = Array(bytes[(split + 4)...])
            var name: String?, fileName: String?, type: String?
            for line in head.split(separator: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = Self.parameter("name", in: String(line))
                    fileName = Self.parameter("filename", in: String(line))
                } else if lower.hasPrefix("content-type:") {
                    type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { continue }
            if let fileName {
                if !fileName.isEmpty || !content.isEmpty { files.append(File(field: name, fileName: fileName, contentType: type, bytes: content)) }
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
    }

    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let kv = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == key { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count, from <= hay.count - needle.count else { return nil }
        var i = from
        let first = needle[0]
        while i <= hay.count - needle.count {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
