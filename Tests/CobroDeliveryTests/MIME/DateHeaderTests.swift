import Foundation
import Testing

@testable import CobroDelivery

private func instant(_ iso: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = f.date(from: iso) { return d }
    guard let d = ISO8601DateFormatter().date(from: iso) else { fatalError("bad test instant \(iso)") }
    return d
}

@Suite("Delivery: Date header")
struct DeliveryDateHeaderTests {
    // Weekdays checked by hand: 1970-01-01 Thursday, 2000-01-01 Saturday (so 29 Feb 2000 is a Tuesday),
    // 2^31 s after the epoch is Tuesday 19 Jan 2038, 1 Jan 2025 is a Wednesday.
    @Test(arguments: [
        ("2024-07-01T12:00:00Z", "Mon, 01 Jul 2024 12:00:00 +0000"),
        ("1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 +0000"),
        ("1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 +0000"),
        ("2000-02-29T23:59:59Z", "Tue, 29 Feb 2000 23:59:59 +0000"),
        ("2038-01-19T03:14:08Z", "Tue, 19 Jan 2038 03:14:08 +0000"),
        ("2024-12-31T23:59:59.999Z", "Tue, 31 Dec 2024 23:59:59 +0000"),
        ("2024-07-01T14:00:00+02:00", "Mon, 01 Jul 2024 12:00:00 +0000"),
    ])
    func knownDates(iso: String, expected: String) {
        #expect(RFC5322Date.format(instant(iso)) == expected)
    }

    @Test func agreesWithFoundationOverTwoCenturies() {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.calendar = Calendar(identifier: .gregorian)
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var t: TimeInterval = -2_208_988_800  // 1900-01-01
        while t < 4_102_444_800 {  // 2100-01-01
            let d = Date(timeIntervalSince1970: t)
            #expect(RFC5322Date.format(d) == f.string(from: d))
            t += 7_654_321.5  // ~88.6 days, drifting through every weekday and time of day
        }
    }

    @Test func outOfRangeInstantsAreClampedToFourDigitYears() {
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: 1e15)) == "Fri, 31 Dec 9999 23:59:59 +0000")
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: -1e15)) == "Mon, 01 Jan 0001 00:00:00 +0000")
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: .infinity)) == "Fri, 31 Dec 9999 23:59:59 +0000")
    }

    @Test func messageCarriesIt() throws {
        let parsed = ParsedEntity(try message().rendered())
        #expect(parsed.value("Date") == "Mon, 01 Jul 2024 12:00:00 +0000")
    }
}
