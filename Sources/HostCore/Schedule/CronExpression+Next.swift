import Foundation

/// Next-run times. The expression is read in wall-clock time of a zone; each matching wall-clock
/// minute becomes zero, one or two instants:
/// - an ordinary minute: its one instant;
/// - a minute in an hour that a DST change skips (29 March 2026, 02:00–02:59 in Europe/Paris): a
///   fixed-time job (its hour field names hours: `30 2 * * *`, `*/20 2 * * *`) runs once, at the
///   instant the skipped hour ends (03:00), however many of its times fell in it; a job whose hour
///   field starts with `*` has nothing to run there, as the clock never shows it;
/// - a minute in an hour that a DST change repeats (25 October 2026, 02:00–02:59): a fixed-time job
///   runs at the first pass only; other jobs (`*/15 * * * *`) follow the clock through both passes,
///   since real time passes.
/// This is Vixie cron's DST rule, except that Vixie also counts a `*` minute field as following the
/// clock: here a job that names its hours runs in a repeated hour once. It never runs a job twice at
/// the same instant.
extension CronExpression {
    /// The first run strictly after `instant`, in `zone`; nil when none comes within 5 years.
    public func next(after instant: Date, in zone: TimeZone) -> Date? {
        let after = instant.timeIntervalSince1970
        guard after.isFinite, abs(after) < 1e11 else { return nil }
        let start = Int(after.rounded(.down))
        // Wall-clock order and instant order differ only around an offset change (a repeated hour
        // puts later instants at earlier wall times), so the search starts a few hours early and
        // keeps going a few hours past the first candidate.
        let margin = 4 * 3600
        let startWall = (start + zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start)))) - margin
        let limit = startWall + 5 * 366 * 86400
        var best: Int?
        var stopWall = limit
        forEachMatchingWallMinute(from: startWall, through: limit) { wall in
            if wall > stopWall { return false }
            for candidate in Self.instants(ofWall: wall, in: zone, fixedTime: isFixedTime)
            where Double(candidate) > after && candidate < (best ?? Int.max) {
                if best == nil { stopWall = wall + 2 * margin }
                best = candidate
            }
            return true
        }
        return best.map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// The next `count` runs after `instant`.
    public func nextRuns(after instant: Date, in zone: TimeZone, count: Int) -> [Date] {
        var runs: [Date] = []
        var cursor = instant
        while runs.count < count, let next = next(after: cursor, in: zone) {
            runs.append(next)
            cursor = next
        }
        return runs
    }

    /// Calls `body` with each wall-clock minute (seconds since 1970 as if the wall clock were UTC)
    /// in `from...through` that the expression matches, in order, until `body` returns false.
    func forEachMatchingWallMinute(from: Int, through: Int, _ body: (Int) -> Bool) {
        var day = Self.floorDiv(from, 86400)
        let lastDay = Self.floorDiv(through, 86400)
        while day <= lastDay {
            let (_, month, dayOfMonth) = Self.civil(fromDays: day)
            let weekday = ((day % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
            if matches(month: month, day: dayOfMonth, weekday: weekday) {
                for hour in 0..<24 where hours & (1 << UInt64(hour)) != 0 {
                    for minute in 0..<60 where minutes & (1 << UInt64(minute)) != 0 {
                        let wall = day * 86400 + hour * 3600 + minute * 60
                        if wall < from { continue }
                        if wall > through { return }
                        if !body(wall) { return }
                    }
                }
            }
            day += 1
        }
    }

    /// The instants a wall-clock time denotes in `zone`, earliest first (see the extension's comment).
    static func instants(ofWall wall: Int, in zone: TimeZone, fixedTime: Bool) -> [Int] {
        func offset(_ instant: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))) }
        // The offsets in force around that time: one, or two when it changes nearby.
        let offsets = Set([offset(wall - 86400), offset(wall), offset(wall + 86400)])
        let valid = offsets.map { wall - $0 }.filter { offset($0) == wall - $0 }.sorted()
        if !valid.isEmpty { return fixedTime ? [valid[0]] : valid }
        guard fixedTime, let low = offsets.max(), let high = offsets.min() else { return [] }
        // Skipped: the first instant whose wall-clock time is past `wall`, found by bisection.
        var lower = wall - low
        var upper = wall - high
        while upper - lower > 1 {
            let middle = lower + (upper - lower) / 2
            if middle + offset(middle) >= wall { upper = middle } else { lower = middle }
        }
        return [upper]
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Year, month and day of `days` since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
