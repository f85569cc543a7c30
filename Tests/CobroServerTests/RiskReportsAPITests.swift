import CobroCore
import CobroServer
import CobroStore
import CobroTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Roll rates and the provision matrix over the worked example (all USD), by hand:
///
/// Open at 2024-05-31 → where it is at 2024-06-30 (buckets current, 1–30, 31–60, 61–90, 91+):
/// - current: INV-2 4,000 (due 06-30, still current), INV-3 1,200 (due 06-19 → 1–30), INV-4 2,500 (due 05-31 → 1–30
///   at 30 days), INV-10 7,800 (paid 06-01): 15,500, of which 4,000 current, 3,700 to 1–30, 7,800 paid →
///   roll 3,700 / 15,500 = 23.87 %, containment 76.13 %, chained 23.8710 %.
/// - 1–30: INV-5 3,000 (due 05-25, 6 days) → 31–60 (36 days): 100 %. 31–60: INV-6 2,000 → 61–90: 100 %.
/// - 61–90: INV-7 1,500 (61 days) → 91+ (91 days): 100 %. 91+: INV-8 1,000 stays; nothing written off: 0 %.
@Suite("Roll rates and provision (API)") struct RiskReportsAPITests {
    @Test("roll rates from May to June 2024 match the hand-worked migration", arguments: APITest.kinds)
    func rollRates(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .get, "/api/v1/reports/roll-rates?from=2024-05&to=2024-06", f.tokenA)
            #expect(status == .ok)
            #expect(body["buckets"] as? [String] == ["current", "d1_30", "d31_60", "d61_90", "d91_plus"])
            let usd = try #require((body["overall"] as? [[String: Any]])?.first)
            #expect(usd["currency"] as? String == "USD")
            let rows = try #require(usd["rows"] as? [[String: Any]])
            #expect(rows.compactMap { $0["balance"] as? Double } == [15_500, 3_000, 2_000, 1_500, 1_000])
            #expect(rows.compactMap { $0["items"] as? Int } == [4, 1, 1, 1, 1])
            #expect(rows[0]["paid"] as? Double == 7_800)
            let to = try #require(rows[0]["to"] as? [String: Double])
            #expect(to == ["current": 4_000, "d1_30": 3_700, "d31_60": 0, "d61_90": 0, "d91_plus": 0])
            #expect(rows.compactMap { $0["roll_rate_pct"] as? Double } == [23.87, 100, 100, 100, 0])
            #expect(rows.compactMap { $0["containment_pct"] as? Double } == [76.13, 0, 0, 0, 100])
            #expect(rows.compactMap { $0["chained_loss_pct"] as? Double } == [23.871, 100, 100, 100, 100])
            #expect((body["months"] as? [[String: Any]])?.count == 1)

            let (csvStatus, csv) = try await sendText(app, .get, "/api/v1/reports/roll-rates?from=2024-05&to=2024-06&format=csv", f.tokenA)
            #expect(csvStatus == .ok)
            let lines = csv.split(separator: "\n")
            #expect(lines.first == "scope,from_month,to_month,currency,bucket,balance,items,to_current,to_d1_30,to_d31_60,to_d61_90,to_d91_plus,paid,written_off,roll_rate_pct,containment_pct,chained_loss_pct")
            #expect(lines.dropFirst().first == "overall,2024-05,2024-06,USD,current,15500.00,4,4000.00,3700.00,0.00,0.00,0.00,7800.00,0.00,23.87,76.13,23.8710")
            #expect(lines.count == 11)  // header, 5 overall, 5 for the one month

            for (query, field) in [("from=2024-06&to=2024-05", "from"), ("from=2024-13", "from"), ("from=2020-01&to=2024-06", "from"), ("to=June", "to")] {
                (status, body) = try await send(app, .get, "/api/v1/reports/roll-rates?\(query)", f.tokenA)
                #expect(status == .unprocessableContent && fieldErrors(body) == [field], "\(query)")
            }
        }
    }

    /// Open on 2024-06-30: current 9,000 (INV-2 4,000, INV-1 5,000 issued 06-20); 1–30 3,700; 31–60 3,000; 61–90 2,000;
    /// 91+ 2,500 (20,200). At the CECL rates of reference §2.12 M3 (0.3, 8, 26, 58, 82 %): 27 + 296 + 780 + 1,160 +
    /// 2,050 = 4,313.00, 4,313 / 20,200 = 21.35 % of the balance.
    @Test("the provision matrix applies given loss rates per bucket, or derives them from roll rates", arguments: APITest.kinds)
    func provision(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .get, "/api/v1/reports/provision?as_of=2024-06-30&loss_rates=0.3,8,26,58,82", f.tokenA)
            #expect(status == .ok && body["method"] as? String == "given")
            let usd = try #require((body["currencies"] as? [[String: Any]])?.first)
            #expect(usd["balance"] as? Double == 20_200 && usd["allowance"] as? Double == 4_313 && usd["coverage_pct"] as? Double == 21.35)
            let lines = try #require(usd["lines"] as? [[String: Any]])
            #expect(lines.compactMap { $0["balance"] as? Double } == [9_000, 3_700, 3_000, 2_000, 2_500])
            #expect(lines.compactMap { $0["allowance"] as? Double } == [27, 296, 780, 1_160, 2_050])

            // Without rates: chained roll rates of the 12 months up to June 2024; the last bucket counts as lost.
            (status, body) = try await send(app, .get, "/api/v1/reports/provision?as_of=2024-06-30", f.tokenA)
            #expect(status == .ok && body["method"] as? String == "roll_rate" && body["rates_from"] as? String == "2023-06" && body["rates_to"] as? String == "2024-06")
            let derived = try #require(((body["currencies"] as? [[String: Any]])?.first?["lines"] as? [[String: Any]])?.compactMap { $0["loss_rate_pct"] as? Double })
            #expect(derived.count == 5 && derived.last == 100 && derived[0] > 0 && derived[0] < derived[1])

            for (query, field) in [("loss_rates=1,2", "loss_rates"), ("loss_rates=1,2,x,4,5", "loss_rates"), ("loss_rates=1,2,3,4,150", "loss_rates"), ("as_of=2024-02-30", "as_of")] {
                (status, body) = try await send(app, .get, "/api/v1/reports/provision?\(query)", f.tokenA)
                #expect(status == .unprocessableContent && fieldErrors(body) == [field], "\(query)")
            }
        }
    }

    // Settled in the worked example: INV-9 (K1, industrial) due 05-10, paid 05-08 → −2 days; INV-10 (K2, retail) due
    // 06-04, paid 06-01 → −3. K2 then pays 1,000.00 on 07-01, applied to INV-8 (due 02-14): 138 days late.
    @Test("payment trends give each segment's monthly settled count, share late and average days late", arguments: APITest.kinds)
    func paymentTrends(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "PAY-T", "customer_ref": "K2", "date": "2024-07-01", "currency": "USD", "amount": "1000.00"}"#)
            #expect(status == .created)
            var body: [String: Any]
            (status, body) = try await send(app, .get, "/api/v1/reports/payment-trends?from=2024-05&to=2024-07", f.tokenA)
            #expect(status == .ok && body["by"] as? String == "segment")
            let series = try #require(body["series"] as? [[String: Any]])
            #expect(series.compactMap { $0["group"] as? String } == ["industrial", "retail"])
            func points(_ i: Int, _ key: String) -> [Double?] { (series[i]["points"] as? [[String: Any]] ?? []).map { $0[key] as? Double } }
            #expect(points(0, "average_days_late") == [-2, nil, nil] && points(0, "late_pct") == [0, nil, nil])
            #expect(points(1, "average_days_late") == [nil, -3, 138] && points(1, "late_pct") == [nil, 0, 100])
            #expect((series[1]["points"] as? [[String: Any]])?.compactMap { $0["settled"] as? Int } == [0, 1, 1])

            (status, body) = try await send(app, .get, "/api/v1/reports/payment-trends?from=2024-05&to=2024-07&by=company", f.tokenA)
            let all = try #require((body["series"] as? [[String: Any]])?.first?["points"] as? [[String: Any]])
            #expect(all.map { $0["average_days_late"] as? Double } == [-2, -3, 138])
            let (_, csv) = try await sendText(app, .get, "/api/v1/reports/payment-trends?from=2024-07&to=2024-07&by=customer&format=csv", f.tokenA)
            #expect(csv == "group,month,settled,late,late_pct,average_days_late\nK2,2024-07,1,1,100.00,138.00\n")

            for (query, field) in [("by=region", "by"), ("from=2024-07&to=2024-05", "from"), ("from=24-05", "from")] {
                (status, body) = try await send(app, .get, "/api/v1/reports/payment-trends?\(query)", f.tokenA)
                #expect(status == .unprocessableContent && fieldErrors(body) == [field], "\(query)")
            }
        }
    }

    @Test("a customer's risk and the cash forecast are 404 until a model has been trained, with what to do", arguments: APITest.kinds)
    func riskBeforeTraining(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .get, "/api/v1/customers/K1/risk", f.tokenA)
            #expect(status == .notFound && (body["detail"] as? String)?.contains("cobro model train") == true)
            (status, body) = try await send(app, .get, "/api/v1/reports/cash-forecast", f.tokenA)
            #expect(status == .notFound && (body["detail"] as? String)?.contains("cobro model train") == true)
            (status, body) = try await send(app, .get, "/api/v1/reports/forecast-accuracy", f.tokenA)
            #expect(status == .notFound && (body["detail"] as? String)?.contains("cobro model train") == true)
            (status, body) = try await send(app, .get, "/api/v1/reports/forecast-accuracy?made_on=2024-13-01", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["made_on"])
            (status, body) = try await send(app, .get, "/api/v1/reports/cash-forecast?weeks=60", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["weeks"])
            (status, body) = try await send(app, .get, "/api/v1/customers/NOPE/risk", f.tokenA)
            #expect(status == .notFound && (body["detail"] as? String)?.contains("does not exist") == true)
        }
    }

    @Test("a customer's risk gives its score and its reasons as English sentences, strongest first", arguments: APITest.kinds)
    func riskWithReasons(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.storeRisk(f, customerRef: "K1", score: 81, reasons: APITest.twoReasons)
            let (status, body) = try await send(APITest.app(f), .get, "/api/v1/customers/K1/risk", f.tokenA)
            #expect(status == .ok && body["score"] as? Int == 81)
            #expect(body["reasons"] as? [String] == ["paid 23 days late on average", "a short history of invoices"])
        }
    }
}
