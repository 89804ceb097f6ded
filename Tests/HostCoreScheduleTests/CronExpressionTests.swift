import Foundation
import HostCore
import Testing

/// An instant written `2026-03-29T01:00:00Z`.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
    return date
}

func iso(_ date: Date?) -> String {
    guard let date else { return "nil" }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}

let paris = TimeZone(identifier: "Europe/Paris")!

@Suite struct CronExpressionTests {
    /// Expression, zone, instant, and the next runs strictly after it (UTC). The Europe/Paris
    /// changes of 2026: 29 March at 01:00Z (02:00 CET becomes 03:00 CEST, so 02:00–02:59 never
    /// shows) and 25 October at 01:00Z (03:00 CEST becomes 02:00 CET, so 02:00–02:59 shows twice).
    static let table: [(String, String, String, [String])] = [
        // Ordinary days.
        ("*/15 8-18 * * 1-5", "Europe/Paris", "2026-12-04T17:50:00Z", ["2026-12-07T07:00:00Z", "2026-12-07T07:15:00Z"]),
        ("*/15 8-18 * * 1-5", "Europe/Paris", "2026-12-04T17:40:00Z", ["2026-12-04T17:45:00Z", "2026-12-07T07:00:00Z"]),
        ("@hourly", "Europe/Paris", "2026-06-01T10:15:00Z", ["2026-06-01T11:00:00Z", "2026-06-01T12:00:00Z"]),
        ("@daily", "Europe/Paris", "2026-06-01T10:00:00Z", ["2026-06-01T22:00:00Z"]),
        ("@midnight", "Europe/Paris", "2026-12-01T10:00:00Z", ["2026-12-01T23:00:00Z"]),
        ("@weekly", "Europe/Paris", "2026-12-01T12:00:00Z", ["2026-12-05T23:00:00Z", "2026-12-12T23:00:00Z"]),
        ("0 0 * * 7", "Europe/Paris", "2026-12-01T12:00:00Z", ["2026-12-05T23:00:00Z"]),
        ("@monthly", "Europe/Paris", "2026-12-01T12:00:00Z", ["2026-12-31T23:00:00Z", "2027-01-31T23:00:00Z"]),
        ("@yearly", "Europe/Paris", "2026-12-01T12:00:00Z", ["2026-12-31T23:00:00Z", "2027-12-31T23:00:00Z"]),
        ("@annually", "Europe/Paris", "2026-12-01T12:00:00Z", ["2026-12-31T23:00:00Z"]),
        ("0 12 * * *", "UTC", "2026-06-01T12:00:00Z", ["2026-06-02T12:00:00Z"]),
        ("10-40/15 * * * *", "UTC", "2026-06-01T10:41:00Z", ["2026-06-01T11:10:00Z", "2026-06-01T11:25:00Z", "2026-06-01T11:40:00Z"]),
        ("5/20 * * * *", "UTC", "2026-06-01T10:46:00Z", ["2026-06-01T11:05:00Z", "2026-06-01T11:25:00Z"]),
        ("0 12 * JAN,jul Sun", "Europe/Paris", "2026-12-01T00:00:00Z", ["2027-01-03T11:00:00Z", "2027-01-10T11:00:00Z"]),
        ("0 0 29 2 *", "Europe/Paris", "2026-12-01T00:00:00Z", ["2028-02-28T23:00:00Z"]),
        ("0 8 * * mon-fri", "Europe/Paris", "2026-12-05T00:00:00Z", ["2026-12-07T07:00:00Z"]),
        ("0 8 * * 5-7", "Europe/Paris", "2026-12-01T00:00:00Z", ["2026-12-04T07:00:00Z", "2026-12-05T07:00:00Z", "2026-12-06T07:00:00Z"]),
        // Vixie's day rule: both day fields restricted, either one matches...
        ("0 9 13 * fri", "Europe/Paris", "2026-11-01T00:00:00Z", ["2026-11-06T08:00:00Z", "2026-11-13T08:00:00Z", "2026-11-20T08:00:00Z"]),
        ("0 9 3 * fri", "Europe/Paris", "2026-11-01T00:00:00Z", ["2026-11-03T08:00:00Z", "2026-11-06T08:00:00Z"]),
        // ...but a day field starting with `*` (even `*/2`) leaves the other alone to decide: odd Fridays.
        ("0 9 */2 * fri", "Europe/Paris", "2026-11-01T00:00:00Z", ["2026-11-13T08:00:00Z", "2026-11-27T08:00:00Z"]),
        // 29 March 2026, Europe/Paris: the skipped hour.
        ("*/15 * * * *", "Europe/Paris", "2026-03-29T00:30:00Z", ["2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z"]),
        ("30 * * * *", "Europe/Paris", "2026-03-29T00:30:00Z", ["2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z"]),
        // A fixed-time job in the skipped hour runs once, when the hour ends (03:00 CEST)...
        ("30 2 * * *", "Europe/Paris", "2026-03-28T23:00:00Z", ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"]),
        // ...even when several of its times fall in it.
        ("0,30 2 * * *", "Europe/Paris", "2026-03-28T23:00:00Z", ["2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z", "2026-03-30T00:30:00Z"]),
        ("0 3 * * *", "Europe/Paris", "2026-03-28T23:00:00Z", ["2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z"]),
        ("0 1 * * *", "Europe/Paris", "2026-03-28T23:00:00Z", ["2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z"]),
        // 25 October 2026, Europe/Paris: the repeated hour. A fixed-time job runs at the first pass only...
        ("30 2 * * *", "Europe/Paris", "2026-10-24T23:00:00Z", ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]),
        ("15 2 * * *", "Europe/Paris", "2026-10-25T00:20:00Z", ["2026-10-26T01:15:00Z"]),
        ("*/20 2 * * *", "Europe/Paris", "2026-10-24T23:00:00Z", ["2026-10-25T00:00:00Z", "2026-10-25T00:20:00Z", "2026-10-25T00:40:00Z", "2026-10-26T01:00:00Z"]),
        // ...while a job that follows the clock runs in both passes, as real time passes.
        ("*/30 * * * *", "Europe/Paris", "2026-10-25T00:00:00Z", ["2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z", "2026-10-25T02:00:00Z"]),
        ("0 * * * *", "Europe/Paris", "2026-10-24T23:30:00Z", ["2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"]),
        ("0 3 * * *", "Europe/Paris", "2026-10-24T23:00:00Z", ["2026-10-25T02:00:00Z", "2026-10-26T02:00:00Z"]),
        // Another zone's change: New York skips 02:00–02:59 on 8 March 2026 (07:00Z).
        ("30 2 * * *", "America/New_York", "2026-03-08T05:00:00Z", ["2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"]),
    ]

    @Test(arguments: table.indices)
    func nextRuns(_ index: Int) throws {
        let (expression, zoneName, after, expected) = Self.table[index]
        let cron = try CronExpression(expression)
        let zone = try #require(TimeZone(identifier: zoneName))
        let runs = cron.nextRuns(after: utc(after), in: zone, count: expected.count)
        #expect(runs.map(iso) == expected, "\(expression) in \(zoneName) after \(after)")
    }

    @Test func aSkippedHourIsNotRunTwice() throws {
        // Every run of the day of the spring change, for a fixed-time job and a clock-following one.
        let day = (utc("2026-03-28T23:00:00Z"), utc("2026-03-29T22:00:00Z"))
        func runs(_ expression: String) throws -> [String] {
            try CronExpression(expression).nextRuns(after: day.0, in: paris, count: 200).filter { $0 < day.1 }.map(iso)
        }
        #expect(try runs("30 2 * * *") == ["2026-03-29T01:00:00Z"])
        #expect(try runs("0,15,30,45 2 * * *") == ["2026-03-29T01:00:00Z"])
        let hourly = try runs("30 * * * *")
        #expect(hourly.count == 23 && Set(hourly).count == 23)
    }

    @Test func aRepeatedHourRunsOnce() throws {
        let day = (utc("2026-10-24T22:00:00Z"), utc("2026-10-25T23:00:00Z"))
        let runs = try CronExpression("30 2 * * *").nextRuns(after: day.0, in: paris, count: 5).filter { $0 < day.1 }
        #expect(runs.map(iso) == ["2026-10-25T00:30:00Z"])
        // From inside the repeated hour's second pass, the next run is the next day's.
        #expect(iso(try CronExpression("30 2 * * *").next(after: utc("2026-10-25T01:10:00Z"), in: paris)) == "2026-10-26T01:30:00Z")
    }

    static let errors: [(String, String)] = [
        ("", #"invalid cron "": the expression is empty"#),
        ("   ", #"invalid cron "": the expression is empty"#),
        ("* * * *", #"invalid cron "* * * *": 4 fields, expected 5 (minute hour day-of-month month day-of-week) or a macro such as @hourly"#),
        ("* * * * * *", #"invalid cron "* * * * * *": 6 fields, expected 5 (minute hour day-of-month month day-of-week) or a macro such as @hourly"#),
        ("@hourl", #"invalid cron "@hourl": unknown macro (the macros: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)"#),
        ("@reboot", #"invalid cron "@reboot": @reboot is not supported: the scheduler runs workflows by the clock only"#),
        ("60 * * * *", #"invalid cron "60 * * * *": minute 60 is out of range 0-59"#),
        ("0 24 * * *", #"invalid cron "0 24 * * *": hour 24 is out of range 0-23"#),
        ("0 0 0 * *", #"invalid cron "0 0 0 * *": day-of-month 0 is out of range 1-31"#),
        ("0 0 32 * *", #"invalid cron "0 0 32 * *": day-of-month 32 is out of range 1-31"#),
        ("0 0 * 13 *", #"invalid cron "0 0 * 13 *": month 13 is out of range 1-12"#),
        ("0 0 * * 8", #"invalid cron "0 0 * * 8": day-of-week 8 is out of range 0-7"#),
        ("99999999999999999999 * * * *", #"invalid cron "99999999999999999999 * * * *": minute 99999999999999999999 is out of range 0-59"#),
        ("0 0 * jna *", #"invalid cron "0 0 * jna *": month "jna" is neither a number nor a name (jan-dec)"#),
        ("0 0 * * fry", #"invalid cron "0 0 * * fry": day-of-week "fry" is neither a number nor a name (sun-sat)"#),
        ("0 mon * * *", #"invalid cron "0 mon * * *": hour "mon" is not a number"#),
        ("0 0 L * *", #"invalid cron "0 0 L * *": day-of-month "L" is not a number"#),
        ("0 0 * * fri-mon", #"invalid cron "0 0 * * fri-mon": day-of-week range fri-mon is backwards (write the smaller end first)"#),
        ("30-10 * * * *", #"invalid cron "30-10 * * * *": minute range 30-10 is backwards (write the smaller end first)"#),
        ("*/0 * * * *", #"invalid cron "*/0 * * * *": minute step 0 must be at least 1"#),
        ("*/x * * * *", #"invalid cron "*/x * * * *": minute step "x" is not a number"#),
        ("*/5/2 * * * *", #"invalid cron "*/5/2 * * * *": minute "*/5/2" has more than one step"#),
        ("1,,2 * * * *", #"invalid cron "1,,2 * * * *": minute field "1,,2" has an empty list item"#),
        ("-5 * * * *", #"invalid cron "-5 * * * *": minute has an empty value"#),
        ("0 0 30 2 *", #"invalid cron "0 0 30 2 *": never runs: none of its months has a day 30"#),
        ("0 0 31 4,6,9,11 *", #"invalid cron "0 0 31 4,6,9,11 *": never runs: none of its months has a day 31"#),
    ]

    @Test(arguments: errors.indices)
    func badExpressionsAreRefusedWithTheirReason(_ index: Int) {
        let (expression, message) = Self.errors[index]
        #expect(throws: ScheduleError(message)) { try CronExpression(expression) }
    }

    @Test func hostileLengthIsRefusedBeforeParsing() {
        let long = String(repeating: "1,", count: 300) + "1 * * * *"
        #expect(throws: ScheduleError("invalid cron expression: 609 bytes long (at most 512)")) { try CronExpression(long) }
    }

    /// 31 February with a day of week is not impossible: the day of week is an alternative.
    @Test func anImpossibleDayWithADayOfWeekStillRunsOnThatDay() throws {
        let cron = try CronExpression("0 0 30 2 mon")
        #expect(iso(cron.next(after: utc("2026-12-01T00:00:00Z"), in: paris)) == "2027-01-31T23:00:00Z")
    }
}
