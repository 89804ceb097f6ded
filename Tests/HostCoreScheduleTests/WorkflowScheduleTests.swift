import Foundation
import HostCore
import Testing

@Suite struct WorkflowScheduleTests {
    @Test func intervalsParse() throws {
        #expect(try WorkflowSchedule.parseInterval("10m") == 600)
        #expect(try WorkflowSchedule.parseInterval(" 1h30m ") == 5400)
        #expect(try WorkflowSchedule.parseInterval("90s") == 90)
        #expect(try WorkflowSchedule.parseInterval("2d") == 172_800)
        #expect(try WorkflowSchedule.parseInterval("366d") == 366 * 86400)
    }

    static let badIntervals: [(String, String)] = [
        ("", #"invalid interval "": it is empty (write a number and a unit, such as 10m)"#),
        ("10", #"invalid interval "10": 10 has no unit (s, m, h or d)"#),
        ("10x", #"invalid interval "10x": unknown unit "x" (the units: s, m, h, d)"#),
        ("10 m", #"invalid interval "10 m": unknown unit " " (the units: s, m, h, d)"#),
        ("m", #"invalid interval "m": "m" has no number before it"#),
        ("30s", #"invalid interval "30s": 30s is outside 1m-366d"#),
        ("0m", #"invalid interval "0m": 0s is outside 1m-366d"#),
        ("367d", #"invalid interval "367d": 367d is outside 1m-366d"#),
        ("999999999999d", #"invalid interval "999999999999d": 999999999999 is too large"#),
    ]

    @Test(arguments: badIntervals.indices)
    func badIntervalsAreRefused(_ index: Int) {
        let (text, message) = Self.badIntervals[index]
        #expect(throws: ScheduleError(message)) { try WorkflowSchedule.parseInterval(text) }
    }

    @Test func declarationsAreChecked() throws {
        #expect(throws: ScheduleError(#"unknown time zone "Europe/Pari" (an IANA name such as Europe/Paris, America/Cayenne or UTC)"#)) {
            try WorkflowSchedule(timing: .cron("@daily"), timeZone: "Europe/Pari")
        }
        #expect(throws: ScheduleError("invalid interval: 5s is outside 1m-366d")) {
            try WorkflowSchedule(timing: .every(seconds: 5), timeZone: "UTC")
        }
        let every = try WorkflowSchedule(WorkflowDeclaration(plugin: "p", name: "w", timing: .every(seconds: 5400)))
        #expect(every.summary == "every 1h30m")
        // Slots are multiples of the interval since 1970-01-01 00:00 UTC (5400 s: 10:30, 12:00...).
        #expect(every.nextRuns(after: utc("2026-06-01T10:00:00Z"), count: 2).map(iso) == ["2026-06-01T10:30:00Z", "2026-06-01T12:00:00Z"])
        let tenMinutes = try WorkflowSchedule(timing: .every(seconds: 600), timeZone: "UTC")
        #expect(tenMinutes.nextRuns(after: utc("2026-06-01T10:03:00Z"), count: 2).map(iso) == ["2026-06-01T10:10:00Z", "2026-06-01T10:20:00Z"])
        #expect(iso(tenMinutes.next(after: utc("2026-06-01T10:10:00Z"))) == "2026-06-01T10:20:00Z")
        let cron = try WorkflowSchedule(WorkflowDeclaration(plugin: "p", name: "w", timing: .cron("@hourly")))
        #expect(cron.summary == "cron @hourly")
        #expect(cron.timeZone.identifier == "Europe/Paris")
    }
}
