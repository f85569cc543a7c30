import CobroCore
import Testing

@Suite("Attachment rules: type, size and content checks") struct AttachmentRulesTests {
    static let pdf = Array("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]
    static let msg: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]
    static let eml = Array("Received: from mx.example\r\n by mx2.example\r\nFrom: Ana <ana@cliente.example>\r\nSubject: Factura 12\r\n\r\nNo recibimos la mercancía.\r\n".utf8)

    func kind(_ name: String, _ type: String?, _ bytes: [UInt8], max: Int = 1 << 20) -> AttachmentKind? {
        if case .accepted(let k) = AttachmentRules.check(fileName: name, declaredType: type, bytes: bytes, maxBytes: max) { return k }
        return nil
    }
    func problems(_ name: String, _ type: String?, _ bytes: [UInt8], max: Int = 1 << 20) -> [AttachmentRules.Problem] {
        if case .refused(let p) = AttachmentRules.check(fileName: name, declaredType: type, bytes: bytes, maxBytes: max) { return p }
        return []
    }

    @Test("each accepted kind is recognised by its content, with or without a declared type")
    func accepted() {
        #expect(kind("scan.pdf", "application/pdf", Self.pdf) == .pdf)
        #expect(kind("scan.PDF", nil, Self.pdf) == .pdf)
        #expect(kind("scan.pdf", "application/octet-stream", Self.pdf) == .pdf)
        #expect(kind("photo.png", "image/png", Self.png) == .png)
        #expect(kind("photo.jpeg", "image/jpg", Self.jpeg) == .jpeg, "the common alias image/jpg")
        #expect(kind("mail.msg", "application/vnd.ms-outlook", Self.msg) == .msg)
        #expect(kind("mail.eml", "message/rfc822; charset=utf-8", Self.eml) == .eml)
        #expect(kind("x.gif", nil, Array("GIF89a....".utf8)) == .gif)
        #expect(kind("x.webp", nil, Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(kind("x.tif", nil, [0x49, 0x49, 0x2A, 0x00, 8, 0]) == .tiff)
        // A PDF header after some junk bytes (as readers accept) is still a PDF.
        #expect(kind("late.pdf", nil, Array(repeating: 0x20, count: 100) + Self.pdf) == .pdf)
    }

    @Test("content that is not what the name and type claim is refused: an HTML page named .pdf, a PDF named .png")
    func disguised() {
        let html = Array("<html><script>alert(1)</script></html>".utf8)
        let p = problems("invoice.pdf", "application/pdf", html)
        #expect(p.map(\.field) == ["content"])
        #expect(p.first?.message.contains("%PDF-") == true)
        #expect(problems("photo.png", nil, Self.pdf).map(\.field) == ["content"])
        #expect(problems("mail.eml", nil, Array("just some text\nwithout headers".utf8)).map(\.field) == ["content"])
        #expect(problems("mail.eml", nil, Array("Subject: no sender\r\n\r\nbody".utf8)).map(\.field) == ["content"], "a mail has a From field")
    }

    @Test("wrong extension, unaccepted type and a type that disagrees with the name are each reported")
    func types() {
        #expect(problems("tool.exe", nil, Self.pdf).map(\.field) == ["file_name"])
        #expect(problems("noextension", nil, Self.pdf).map(\.field) == ["file_name"])
        #expect(problems("", nil, Self.pdf).map(\.field) == ["file_name"])
        let html = problems("page.pdf", "text/html", Self.pdf)
        #expect(html.map(\.field) == ["content_type"])
        #expect(html.first?.message.contains("application/pdf") == true, "the message lists what is accepted")
        #expect(problems("scan.pdf", "image/png", Self.pdf).map(\.field) == ["content_type"])
        #expect(problems("tool.exe", "application/x-msdownload", []).map(\.field) == ["content", "file_name", "content_type"])
    }

    @Test("the size limit: exactly the limit is accepted, one byte more is refused with both sizes in words")
    func size() {
        let limit = 10 << 20
        let atLimit = Self.pdf + Array(repeating: 0x20, count: limit - Self.pdf.count)
        #expect(kind("big.pdf", nil, atLimit, max: limit) == .pdf)
        let p = problems("big.pdf", nil, atLimit + [0x20], max: limit)
        #expect(p.count == 1 && p[0].tooLarge && p[0].field == "content")
        #expect(p[0].message == "the file is 10.1 MiB; the limit is 10.0 MiB")
        #expect(problems("empty.pdf", nil, []).map(\.message) == ["the file is empty"])
    }

    @Test("stored file names lose their folders and control characters")
    func fileNames() {
        #expect(AttachmentRules.cleanFileName("../../etc/passwd.pdf") == "passwd.pdf")
        #expect(AttachmentRules.cleanFileName("C:\\Users\\ana\\Factura 12.pdf") == "Factura 12.pdf")
        #expect(AttachmentRules.cleanFileName("a\u{0}b\r\n.pdf") == "ab.pdf")
        #expect(AttachmentRules.cleanFileName("a\u{81}\u{85}b.pdf") == "ab.pdf", "C1 controls too")
        #expect(AttachmentRules.cleanFileName("recibo-ñandú.pdf") == "recibo-ñandú.pdf")
        let long = AttachmentRules.cleanFileName(String(repeating: "x", count: 300) + ".pdf")
        #expect(long.count == 200 && long.hasSuffix("x.pdf"))
    }
}
