import Testing
import TerrariumBase

@Suite("Base: ISO 8601 and durations")
struct TimeTests {
    let t = VirtualTime(milliseconds: 1_773_667_800_000) // 2026-03-16T13:30:00Z

    @Test func formatsInAnOffset() {
        #expect(ISO8601.format(t, offsetMinutes: 0) == "2026-03-16T13:30:00Z")
        #expect(ISO8601.format(t, offsetMinutes: -300) == "2026-03-16T08:30:00-05:00")
        #expect(ISO8601.format(t, offsetMinutes: 330) == "2026-03-16T19:00:00+05:30")
        #expect(ISO8601.format(t, offsetMinutes: -600) == "2026-03-16T03:30:00-10:00")
        #expect(ISO8601.format(t, offsetMinutes: 720) == "2026-03-17T01:30:00+12:00")
        #expect(ISO8601.format(VirtualTime(milliseconds: t.milliseconds + 7), offsetMinutes: 0) == "2026-03-16T13:30:00.007Z")
        #expect(ISO8601.format(VirtualTime(milliseconds: t.milliseconds + 250), offsetMinutes: 60) == "2026-03-16T14:30:00.250+01:00")
    }

    @Test func formatsEdgesOfTheCalendar() {
        #expect(ISO8601.format(VirtualTime(milliseconds: 0), offsetMinutes: 0) == "1970-01-01T00:00:00Z")
        #expect(ISO8601.format(VirtualTime(milliseconds: -1), offsetMinutes: 0) == "1969-12-31T23:59:59.999Z")
        #expect(ISO8601.format(VirtualTime(milliseconds: 0), offsetMinutes: -1) == "1969-12-31T23:59:00-00:01")
        #expect(ISO8601.format(ISO8601.parse("2024-02-29T12:00:00Z")!.time, offsetMinutes: 0) == "2024-02-29T12:00:00Z")
        #expect(ISO8601.format(ISO8601.parse("2000-03-01T00:00:00Z")!.time, offsetMinutes: -1) == "2000-02-29T23:59:00-00:01")
        #expect(ISO8601.format(ISO8601.parse("9999-12-31T23:59:59Z")!.time, offsetMinutes: 0) == "9999-12-31T23:59:59Z")
    }

    /// Year 10000 needs five digits; writing four silently names another instant.
    @Test func formatsYearsPast9999WithAllTheirDigits() {
        let y10k = VirtualTime(milliseconds: ISO8601.daysFromCivil(year: 10000, month: 1, day: 1) * 86_400_000)
        #expect(ISO8601.format(y10k, offsetMinutes: 0) == "10000-01-01T00:00:00Z")
    }

    @Test func parsesWhatItFormats() throws {
        for offset in [0, -300, 330, -600, 840] {
            for ms in [t.milliseconds, t.milliseconds + 1, 0, -86_400_001, 951_782_400_000] {
                let text = ISO8601.format(VirtualTime(milliseconds: ms), offsetMinutes: offset)
                let parsed = try #require(ISO8601.parse(text), "\(text)")
                #expect(parsed.time.milliseconds == ms, "\(text)")
                #expect(parsed.offsetMinutes == offset, "\(text)")
            }
        }
    }

    @Test func parsesVariants() throws {
        func ms(_ s: String, _ d: Int = 0) -> Int64? { ISO8601.parse(s, defaultOffsetMinutes: d)?.time.milliseconds }
        #expect(ms("2026-03-16T13:30:00Z") == t.milliseconds)
        #expect(ms("2026-03-16t13:30:00z") == t.milliseconds)
        #expect(ms("2026-03-16 13:30:00Z") == t.milliseconds)
        #expect(ms("2026-03-16T13:30Z") == t.milliseconds)
        #expect(ms("2026-03-16T08:30:00-0500") == t.milliseconds)
        #expect(ms("  2026-03-16T08:30:00-05:00  ") == t.milliseconds)
        #expect(ms("2026-03-16T13:30:00.5Z") == t.milliseconds + 500)
        #expect(ms("2026-03-16T13:30:00.123456Z") == t.milliseconds + 123)
        #expect(ms("2026-03-16T13:30:60Z") == t.milliseconds + 59_000)
        // No offset: the default one.
        #expect(ms("2026-03-16T08:30:00", -300) == t.milliseconds)
        #expect(ms("2026-03-16", -300) == t.milliseconds - (8 * 60 + 30) * 60_000)
        #expect(ms("2026-03-16") == t.milliseconds - (13 * 60 + 30) * 60_000)
        #expect(ISO8601.parse("2026-03-16T08:30:00-05:00")?.offsetMinutes == -300)
        #expect(ISO8601.parse("2026-03-16", defaultOffsetMinutes: 60)?.offsetMinutes == 60)
    }

    @Test(arguments: ["", "2026", "2026-3-16", "2026-13-01", "2026-00-10", "2026-02-29", "2026-04-31", "2026-03-16T",
                      "2026-03-16T24:00", "2026-03-16T12:60", "2026-03-16T12:00:61", "2026-03-16T12:00:00.Z",
                      "2026-03-16T12:00:00+24:00", "2026-03-16T12:00:00+05:60", "2026-03-16T12:00:00 junk",
                      "2026-03-16X12:00", "yesterday", "２０２６-03-16"])
    func refusesMalformedTimes(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func leapYears() {
        #expect(ISO8601.parse("2024-02-29") != nil)
        #expect(ISO8601.parse("2000-02-29") != nil)
        #expect(ISO8601.parse("1900-02-29") == nil)
        #expect(ISO8601.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(ISO8601.daysFromCivil(year: 2000, month: 3, day: 1) == 11017)
        #expect(ISO8601.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
    }

    @Test func pad() {
        #expect(ISO8601.pad(7, 4) == "0007")
        #expect(ISO8601.pad(12345, 4) == "12345")
        #expect(ISO8601.pad(-5, 3) == "-005")
    }

    @Test(arguments: [("1500ms", 1500), ("30s", 30_000), ("2m", 120_000), ("1h", 3_600_000), ("1d", 86_400_000),
                      ("1h30m", 5_400_000), ("1m30s500ms", 90_500), (" 45s ", 45_000), ("0s", 0), ("10m5ms", 600_005)])
    func durations(text: String, ms: Int64) {
        #expect(VirtualTime.Duration(parsing: text)?.milliseconds == ms)
    }

    @Test(arguments: ["", "   ", "30", "s", "30x", "1.5s", "-5s", "30 s", "1h30", "99999999999999999999s", "m5"])
    func malformedDurations(text: String) {
        #expect(VirtualTime.Duration(parsing: text) == nil)
    }

    /// A number times its unit can overflow Int64; that must be a parse failure, not a trap.
    @Test func overflowingDurationsAreRefused() {
        #expect(VirtualTime.Duration(parsing: "9999999999999999d") == nil)
        #expect(VirtualTime.Duration(parsing: "9223372036854775807s") == nil)
    }

    @Test func virtualTimeArithmeticAndOrder() {
        let a = VirtualTime(milliseconds: 1000)
        #expect(a.advanced(by: .seconds(2)) == VirtualTime(milliseconds: 3000))
        #expect(a.advanced(by: .init(milliseconds: -500)) == VirtualTime(milliseconds: 500))
        #expect(a < a.advanced(by: .init(milliseconds: 1)))
        #expect(VirtualTime.Duration.seconds(3).milliseconds == 3000)
    }
}
