import Testing

@testable import CobroCore

/// Reference §2.7 dataset as the oracle (evaluated on 2024-06-30, tolerance 3 days unless noted).
@Suite("Promises to pay") struct PromiseToPayTests {
    let usd = Currency(code: "USD")!
    func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }
    func promise(_ amount: Int64, _ date: String, tolerance: Int = 3) -> PromiseToPay {
        PromiseToPay(amount: Money(minor: amount * 100, usd), promiseDate: d(date), toleranceDays: tolerance, madeOn: d("2024-06-01"))
    }
    func pay(_ amount: Int64, _ day: String) -> PromiseEvaluation.Payment { .init(day: d(day), amountMinor: amount * 100) }

    var dataset: [(PromiseToPay, [PromiseEvaluation.Payment], PromiseStatus)] {
        [
            (promise(1_000, "2024-06-10"), [pay(1_000, "2024-06-09")], .kept),
            (promise(2_000, "2024-06-10"), [pay(2_000, "2024-06-12")], .kept),
            (promise(1_500, "2024-06-15"), [pay(500, "2024-06-15")], .partiallyKept),
            (promise(3_000, "2024-06-20"), [], .broken),
            (promise(800, "2024-07-05"), [], .open),
        ]
    }

    @Test("P1–P5: kept, kept within tolerance, partially kept, broken, open")
    func statuses() {
        for (p, payments, expected) in dataset {
            #expect(PromiseEvaluation.evaluate(p, payments: payments, evalDate: d("2024-06-30")).status == expected, "\(p.promiseDate.iso)")
        }
    }

    @Test("P2 with tolerance 0: broken, or kept when late payments count")
    func toleranceZero() {
        let p2 = promise(2_000, "2024-06-10", tolerance: 0)
        let paid = [pay(2_000, "2024-06-12")]
        #expect(PromiseEvaluation.evaluate(p2, payments: paid, evalDate: d("2024-06-30")).status == .broken)
        #expect(PromiseEvaluation.evaluate(p2, payments: paid, evalDate: d("2024-06-30"), countLatePayments: true).status == .kept)
    }

    @Test("kept rates: 50.00 % by count, 46.67 % by amount, 40.00 % strict, 58.33 % partial as fraction")
    func rates() {
        let results = dataset.map { (p, payments, _) in
            (promisedMinor: p.amount.minor, result: PromiseEvaluation.evaluate(p, payments: payments, evalDate: d("2024-06-30")))
        }
        let r = PromiseEvaluation.keptRates(results)
        #expect(r.resolved == 4)
        #expect(r.byCount == 5_000 && r.byAmount == 4_667 && r.strictByAmount == 4_000 && r.partialAsFraction == 5_833)
        #expect(PromiseEvaluation.keptRates([]).byCount == nil)
    }

    @Test("grace: a promise for 06-24 with 1 day is open on 06-25 and broken on 06-26")
    func grace() {
        let p = promise(500, "2024-06-24", tolerance: 1)
        #expect(PromiseEvaluation.evaluate(p, payments: [], evalDate: d("2024-06-25")).status == .open)
        #expect(PromiseEvaluation.evaluate(p, payments: [], evalDate: d("2024-06-26")).status == .broken)
    }

    @Test("a payment before the promise was made does not count; on the last window day it does")
    func windowBounds() {
        let p = promise(100, "2024-06-10")  // made 06-01, window to 06-13
        #expect(PromiseEvaluation.evaluate(p, payments: [pay(100, "2024-05-31")], evalDate: d("2024-06-30")).status == .broken)
        #expect(PromiseEvaluation.evaluate(p, payments: [pay(100, "2024-06-13")], evalDate: d("2024-06-30")).status == .kept)
        #expect(PromiseEvaluation.evaluate(p, payments: [pay(100, "2024-06-14")], evalDate: d("2024-06-30")).status == .broken)
        #expect(PromiseEvaluation.evaluate(p, payments: [pay(60, "2024-06-02"), pay(40, "2024-06-13")], evalDate: d("2024-06-30")).status == .kept)
    }

    @Test("validation names the field and what is valid")
    func validation() {
        let today = d("2024-06-30")
        let past = PromiseToPay(amount: Money(minor: 0, usd), promiseDate: d("2024-06-29"), toleranceDays: 40, madeOn: today)
        #expect(Set(past.validate(today: today, openMinor: nil).map(\.field)) == ["amount", "promise_date", "tolerance_days"])
        let tooMuch = PromiseToPay(amount: Money(minor: 200_00, usd), promiseDate: today, madeOn: today)
        let problems = tooMuch.validate(today: today, openMinor: 150_00)
        #expect(problems.count == 1 && problems[0].message.contains("150.00"))
        #expect(PromiseToPay(amount: Money(minor: 150_00, usd), promiseDate: today, madeOn: today).validate(today: today, openMinor: 150_00).isEmpty)
    }
}

@Suite("Credit control") struct CreditControlTests {
    @Test("hold when over the limit or the oldest item is too late; both reasons reported; at the limit is not over")
    func reasons() {
        #expect(CreditControl.holdReasons(limitMinor: 1_000_00, exposureMinor: 1_000_00, oldestDaysPastDue: 10, maxDaysPastDue: 60).isEmpty)
        #expect(CreditControl.holdReasons(limitMinor: 1_000_00, exposureMinor: 1_000_01, oldestDaysPastDue: nil, maxDaysPastDue: 60) == [.overLimit])
        #expect(CreditControl.holdReasons(limitMinor: nil, exposureMinor: 9_999_00, oldestDaysPastDue: 61, maxDaysPastDue: 60) == [.pastDue])
        #expect(CreditControl.holdReasons(limitMinor: nil, exposureMinor: 9_999_00, oldestDaysPastDue: 60, maxDaysPastDue: 60).isEmpty)
        #expect(CreditControl.holdReasons(limitMinor: 0, exposureMinor: 1, oldestDaysPastDue: 90, maxDaysPastDue: 30) == [.overLimit, .pastDue])
        #expect(CreditControl.holdReasons(limitMinor: nil, exposureMinor: 1, oldestDaysPastDue: 400, maxDaysPastDue: nil).isEmpty)
    }

    @Test("four eyes")
    func fourEyes() {
        #expect(CreditControl.decisionProblem(requestedBy: "token:ana", decidedBy: "token:ana") != nil)
        #expect(CreditControl.decisionProblem(requestedBy: "token:ana", decidedBy: "token:luis") == nil)
    }
}

@Suite("Promise kept rates at scale") struct PromiseKeptRateScaleTests {
    @Test("many partly kept promises with unrelated amounts: no overflow, the partial fraction averages them")
    func manyPartial() {
        // 50 promises of 100.01 … 5,000.49 (distinct primes-ish amounts), each one third paid (rounded down).
        let results = (0..<50).map { i -> (promisedMinor: Int64, result: PromiseEvaluation.Result) in
            let promised = Int64(10_001 + i * 9_973)
            return (promised, PromiseEvaluation.Result(status: .partiallyKept, paidInWindowMinor: promised / 3))
        }
        let r = PromiseEvaluation.keptRates(results)
        #expect(r.resolved == 50 && r.byCount == 0)
        // Each fraction is just under 1/3: the mean rounds to 33.33 %.
        #expect(r.partialAsFraction == 3_333)
    }
}
