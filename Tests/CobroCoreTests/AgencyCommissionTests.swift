import CobroCore
import Testing

@Suite("Agency commission: rates and rounding") struct AgencyCommissionTests {
    @Test("rates are percentages with at most two decimals, 0–100")
    func rates() throws {
        #expect(try AgencyCommission.parseRate("25").get() == 2500)
        #expect(try AgencyCommission.parseRate("12.5").get() == 1250)
        #expect(try AgencyCommission.parseRate("12.50 %").get() == 1250)
        #expect(try AgencyCommission.parseRate("0").get() == 0)
        #expect(try AgencyCommission.parseRate("100").get() == 10_000)
        #expect(try AgencyCommission.parseRate("0.07").get() == 7)
        for bad in ["", "abc", "-5", "12.345", "100.01", "1e2", "12.", ".5", "+3"] {
            #expect((try? AgencyCommission.parseRate(bad).get()) == nil, "\(bad) is refused")
        }
        #expect(AgencyCommission.rateText(1250) == "12.50 %")
        #expect(AgencyCommission.rateText(7) == "0.07 %")
    }

    @Test("commission is rounded half up to the minor unit (worked by hand)")
    func commission() {
        // 25 % of 1,234.57 = 308.6425 → 308.64
        #expect(AgencyCommission.commission(onMinor: 123_457, basisPoints: 2500) == 30_864)
        // 12.5 % of 0.04 = 0.005 → 0.01 (half up); of 0.03 = 0.00375 → 0.00
        #expect(AgencyCommission.commission(onMinor: 4, basisPoints: 1250) == 1)
        #expect(AgencyCommission.commission(onMinor: 3, basisPoints: 1250) == 0)
        // 33.33 % of 100.00 = 33.33
        #expect(AgencyCommission.commission(onMinor: 10_000, basisPoints: 3333) == 3_333)
        #expect(AgencyCommission.commission(onMinor: 10_000, basisPoints: 0) == 0)
        #expect(AgencyCommission.commission(onMinor: 10_000, basisPoints: 10_000) == 10_000)
        // No overflow on huge amounts: 10 % of 9e17 minor units.
        #expect(AgencyCommission.commission(onMinor: 900_000_000_000_000_000, basisPoints: 1000) == 90_000_000_000_000_000)
    }
}
