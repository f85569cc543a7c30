import Foundation
import Testing

@testable import CobroDelivery

@Suite("Delivery: base64")
struct DeliveryBase64Tests {
    // RFC 4648 §10 test vectors.
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(input: String, expected: String) {
        #expect(ascii(Base64.encode(Array(input.utf8))) == expected)
    }

    @Test(arguments: [0, 1, 2, 3, 56, 57, 58, 114, 1000, 70_000])
    func bodyLinesAre76AndRoundTrip(size: Int) throws {
        let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 256) }
        let body = ascii(Base64.body(data))
        let lines = body.isEmpty ? [] : crlfLines(body)
        // 57 bytes make exactly one full 76-character line.
        #expect(lines.count == (size + 56) / 57)
        for (i, line) in lines.enumerated() {
            if i < lines.count - 1 { #expect(line.count == 76) } else { #expect(line.count <= 76 && !line.isEmpty) }
        }
        let decoded = try #require(Data(base64Encoded: lines.joined()))
        #expect(Array(decoded) == data)
    }
}
