import CobroCore
import CobroServer
import CobroStore
import CobroTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("REST API: attachments") struct AttachmentsAPITests {
    static let pdf: [UInt8] = Array("%PDF-1.4\n".utf8) + (0...255).map(UInt8.init) + Array("\n%%EOF\n".utf8)

    static func app(_ f: APIFixture, maxBytes: Int = 1 << 20) -> some ApplicationProtocol {
        Application(router: buildRouter(AppDependencies(db: f.db, clock: f.clock, attachments: AttachmentSettings(maxBytes: maxBytes))))
    }

    /// Uploads `bytes` and returns the status and JSON body.
    static func upload(_ client: some TestClientProtocol, _ path: String, _ token: String, name: String, type: String?, _ bytes: [UInt8]) async throws
        -> (HTTPResponse.Status, [String: Any])
    {
        var headers = auth(token)
        if let type { headers[.contentType] = type }
        let uri = "\(path)?file_name=\(name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes)) { r in
            (r.status, (try? JSONSerialization.jsonObject(with: Data(r.body.readableBytesView))) as? [String: Any] ?? [:])
        }
    }

    @Test("upload to an invoice, list, download byte for byte with safe headers, delete and restore", arguments: APITest.kinds)
    func lifecycle(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await Self.app(f).test(.router) { client in
                let (status, body) = try await Self.upload(client, "/api/v1/invoices/INV-1/attachments", f.tokenA, name: "Factura ñ 1.pdf", type: "application/pdf", Self.pdf)
                #expect(status == .created)
                #expect(body["file_name"] as? String == "Factura ñ 1.pdf" && body["owner"] as? String == "invoice" && body["customer_ref"] as? String == "K1")
                #expect(body["size_bytes"] as? Int == Self.pdf.count)
                let id = try #require(body["id"] as? Int)
                try await client.execute(uri: "/api/v1/invoices/INV-1/attachments", method: .get, headers: auth(f.tokenA)) { r in
                    let list = try json(r.body)["data"] as? [[String: Any]]
                    #expect(list?.compactMap { $0["id"] as? Int } == [id])
                }
                try await client.execute(uri: "/api/v1/attachments/\(id)/content", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.status == .ok)
                    #expect(Array(r.body.readableBytesView) == Self.pdf)
                    #expect(r.headers[.contentType] == "application/pdf")
                    #expect(r.headers[.contentDisposition] == "attachment; filename=\"Factura _ 1.pdf\"; filename*=UTF-8''Factura%20%C3%B1%201.pdf")
                    #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                }
                let (deleted, deletedBody) = try await send(client, .delete, "/api/v1/attachments/\(id)", f.tokenA)
                #expect(deleted == .ok && deletedBody["restorable_until"] as? String == "2024-07-31")
                try await client.execute(uri: "/api/v1/attachments/\(id)/content", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.status == .notFound)
                    #expect(String(buffer: r.body).contains("restore"))
                }
                #expect(try await send(client, .post, "/api/v1/attachments/\(id)/restore", f.tokenA).0 == .ok)
                #expect(try await send(client, .post, "/api/v1/attachments/\(id)/restore", f.tokenA).0 == .conflict)
                try await client.execute(uri: "/api/v1/attachments/\(id)/content", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.status == .ok && Array(r.body.readableBytesView) == Self.pdf)
                }
            }
        }
    }

    @Test("too large is 413, the wrong type or content 422 with the field, an unknown owner 404; nothing is stored", arguments: APITest.kinds)
    func badInput(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await Self.app(f, maxBytes: 200).test(.router) { client in
                let big = try await Self.upload(client, "/api/v1/customers/K1/attachments", f.tokenA, name: "big.pdf", type: "application/pdf", Self.pdf)
                #expect(big.0 == .contentTooLarge && fieldErrors(big.1) == ["content"])
                let small = Array("%PDF-1.4\n%%EOF\n".utf8)
                let exe = try await Self.upload(client, "/api/v1/customers/K1/attachments", f.tokenA, name: "tool.exe", type: "application/x-msdownload", small)
                #expect(exe.0 == .unprocessableContent && fieldErrors(exe.1) == ["file_name", "content_type"])
                let html = try await Self.upload(client, "/api/v1/customers/K1/attachments", f.tokenA, name: "x.pdf", type: "application/pdf", Array("<html>".utf8))
                #expect(html.0 == .unprocessableContent && fieldErrors(html.1) == ["content"])
                let noName = try await Self.upload(client, "/api/v1/customers/K1/attachments", f.tokenA, name: "", type: "application/pdf", small)
                #expect(noName.0 == .unprocessableContent && fieldErrors(noName.1) == ["file_name"])
                #expect(try await Self.upload(client, "/api/v1/invoices/NOPE/attachments", f.tokenA, name: "x.pdf", type: nil, small).0 == .notFound)
                #expect(try await Self.upload(client, "/api/v1/disputes/abc/attachments", f.tokenA, name: "x.pdf", type: nil, small).0 == .unprocessableContent)
            }
            let stored = try await f.db.read { c in try await c.first("SELECT COUNT(*) FROM attachment WHERE company_id = $1", [.int(f.a.id)])!.int(0) }
            #expect(stored == 0)
        }
    }

    @Test("another company's token cannot list, read, download, delete or restore an attachment", arguments: APITest.kinds)
    func tenantIsolation(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await Self.app(f).test(.router) { client in
                let (_, body) = try await Self.upload(client, "/api/v1/customers/K1/attachments", f.tokenA, name: "a.pdf", type: "application/pdf", Self.pdf)
                let id = try #require(body["id"] as? Int)
                for (method, uri) in [(HTTPRequest.Method.get, "/api/v1/attachments/\(id)"), (.get, "/api/v1/attachments/\(id)/content"),
                                      (.delete, "/api/v1/attachments/\(id)"), (.post, "/api/v1/attachments/\(id)/restore")] {
                    #expect(try await send(client, method, uri, f.tokenB).0 == .notFound, "\(method) \(uri)")
                }
                // B has its own K1 (same ref, other company): its list is empty.
                let (_, list) = try await send(client, .get, "/api/v1/customers/K1/attachments", f.tokenB)
                #expect((list["data"] as? [Any])?.isEmpty == true)
                #expect(try await send(client, .get, "/api/v1/attachments/\(id)", f.tokenA).0 == .ok)
            }
        }
    }
}
