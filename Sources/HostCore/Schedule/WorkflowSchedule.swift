import Foundation

/// When a workflow runs, checked and ready to compute next runs: a cron expression in a time zone,
/// or a fixed interval.
public struct WorkflowSchedule: Sendable {
    public enum Rule: Sendable, Equatable {
        case cron(CronExpression)
        /// Seconds between the starts of two runs.
        case every(seconds: Int)
    }

    public let rule: Rule
    public let timeZone: TimeZone

    /// The shortest and longest intervals `every` accepts.
    public static let intervalRange = 60...(366 * 86400)

    /// Checks a declaration's timing and time zone.
    /// - Throws: `ScheduleError` naming the bad expression, interval or zone.
    public init(timing: WorkflowTiming, timeZone zoneName: String) throws(ScheduleError) {
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ScheduleError(
                "unknown time zone \"\(zoneName)\" (an IANA name such as Europe/Paris, America/Cayenne or UTC)")
        }
        timeZone = zone
        switch timing {
        case .cron(let text):
            rule = .cron(try CronExpression(text))
        case .every(let seconds):
            guard Self.intervalRange.contains(seconds) else {
                throw ScheduleError(
                    "invalid interval: \(Self.describe(seconds: seconds)) is outside 1m-366d")
            }
            rule = .every(seconds: seconds)
        }
    }

    public init(_ declaration: WorkflowDeclaration) throws(ScheduleError) {
        try self.init(timing: declaration.timing, timeZone: declaration.timeZone)
    }

    /// The first run due strictly after `instant`. Interval runs fall on multiples of the interval
    /// counted from 1970-01-01 00:00 UTC (`every 10m` at :00, :10, :20...), so every scheduler on a
    /// machine, restarted or not, computes the same slots.
    public func next(after instant: Date) -> Date? {
        switch rule {
        case .cron(let expression): return expression.next(after: instant, in: timeZone)
        case .every(let seconds):
            let t = instant.timeIntervalSince1970
            guard t.isFinite else { return nil }
            let size = Double(seconds)
            return Date(timeIntervalSince1970: ((t / size).rounded(.down) + 1) * size)
        }
    }

    /// The next `count` runs after `instant`.
    public func nextRuns(after instant: Date, count: Int) -> [Date] {
        var runs: [Date] = []
        var cursor = instant
        while runs.count < count, let next = next(after: cursor) {
            runs.append(next)
            cursor = next
        }
        return runs
    }

    /// How the rule reads in a listing: `cron */15 8-18 * * 1-5` or `every 10m`.
    public var summary: String {
        switch rule {
        case .cron(let expression): return "cron \(expression.source)"
        case .every(let seconds): return "every \(Self.describe(seconds: seconds))"
        }
    }

    /// Parses an interval such as `30s`, `10m`, `1h30m`, `2d`: one or more numbers, each followed
    /// by its unit (`s`, `m`, `h`, `d`). The result must lie within `intervalRange`.
    /// - Throws: `ScheduleError` saying what is wrong with `text`.
    public static func parseInterval(_ text: String) throws(ScheduleError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func fail(_ detail: String) -> ScheduleError { ScheduleError("invalid interval \"\(trimmed)\": \(detail)") }
        guard !trimmed.isEmpty else { throw fail("it is empty (write a number and a unit, such as 10m)") }
        guard trimmed.utf8.count <= 64 else { throw fail("too long") }
        var total = 0
        var digits = ""
        for character in trimmed {
            if character.isASCII && character.isNumber {
                digits.append(character)
                continue
            }
            let unit: Int
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            default: throw fail("unknown unit \"\(character)\" (the units: s, m, h, d)")
            }
            guard !digits.isEmpty else { throw fail("\"\(character)\" has no number before it") }
            guard let value = Int(digits), value <= 100_000_000 else { throw fail("\(digits) is too large") }
            total += value * unit
            digits = ""
        }
        guard digits.isEmpty else { throw fail("\(digits) has no unit (s, m, h or d)") }
        guard intervalRange.contains(total) else {
            throw fail("\(describe(seconds: total)) is outside 1m-366d")
        }
        return total
    }

    /// `90` → `1m30s`, `86400` → `1d`.
    public static func describe(seconds: Int) -> String {
        guard seconds > 0 else { return "\(seconds)s" }
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
