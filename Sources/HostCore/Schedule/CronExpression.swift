/// A standard 5-field cron expression (`minute hour day-of-month month day-of-week`), as Vixie cron
/// reads it: numbers, `*`, ranges `a-b`, steps `*/n` and `a-b/n` (and `a/n`, meaning `a-max/n`),
/// lists `a,b-c`, month names `jan`–`dec` and day names `sun`–`sat` (any case), day-of-week 0–7
/// with 0 and 7 both Sunday, and the macros `@yearly` `@annually` `@monthly` `@weekly` `@daily`
/// `@midnight` `@hourly`.
///
/// The day rule is Vixie's: when both day fields are restricted (neither starts with `*`), a day
/// matches when either matches (`0 9 1 * mon` runs on the 1st and on every Monday); when one of
/// them starts with `*`, the other alone decides. Next-run times are computed by `next(after:in:)`.
public struct CronExpression: Sendable, Equatable {
    /// The expression as written.
    public let source: String
    /// Bit `n` set when the field allows `n`.
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    /// Sunday is bit 0 (a written 7 is folded onto 0).
    let daysOfWeek: UInt64
    /// Whether the day-of-month field does not start with `*` (Vixie's DOM_STAR, inverted).
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool
    /// The hour field names hours (does not start with `*`): a job at fixed times of day. Across a
    /// DST change, fixed-time jobs in the skipped hour run once when it ends, and run only once in a
    /// repeated hour; other jobs follow the clock (see `next(after:in:)`).
    public let isFixedTime: Bool

    /// The macros and the fields each one stands for.
    public static let macros: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]

    /// Parses `text`.
    /// - Throws: `ScheduleError` with a message naming the expression, the field and what is wrong.
    public init(_ text: String) throws(ScheduleError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func fail(_ detail: String) -> ScheduleError { ScheduleError("invalid cron \"\(trimmed)\": \(detail)") }
        guard !trimmed.isEmpty else { throw ScheduleError("invalid cron \"\": the expression is empty") }
        // Bound the work on hostile input: no real expression comes near this.
        guard trimmed.utf8.count <= 512 else {
            throw ScheduleError("invalid cron expression: \(trimmed.utf8.count) bytes long (at most 512)")
        }
        var expanded = trimmed
        if trimmed.hasPrefix("@") {
            let name = trimmed.lowercased()
            if name == "@reboot" {
                throw fail("@reboot is not supported: the scheduler runs workflows by the clock only")
            }
            guard let macro = Self.macros.first(where: { $0.name == name }) else {
                let names = Self.macros.map(\.name).joined(separator: ", ")
                throw fail("unknown macro (the macros: \(names))")
            }
            expanded = macro.fields
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw fail(
                "\(fields.count) field\(fields.count == 1 ? "" : "s"), expected 5 "
                    + "(minute hour day-of-month month day-of-week) or a macro such as @hourly")
        }
        do {
            minutes = try CronField.minute.parse(fields[0])
            hours = try CronField.hour.parse(fields[1])
            daysOfMonth = try CronField.dayOfMonth.parse(fields[2])
            months = try CronField.month.parse(fields[3])
            var week = try CronField.dayOfWeek.parse(fields[4])
            if week & (1 << 7) != 0 { week = (week & ~(1 << 7)) | 1 }
            daysOfWeek = week
        } catch {
            throw fail(error.message)
        }
        source = trimmed
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
        isFixedTime = !fields[1].hasPrefix("*")
        // A day of month that none of the months has never comes (when the day of week is not an
        // alternative): say so now rather than schedule nothing forever.
        if !dayOfWeekRestricted {
            let monthBits = months
            let dayBits = daysOfMonth
            let longest: Int = (1...12).filter { monthBits & (UInt64(1) << UInt64($0)) != 0 }
                .map(Self.maximumDays).max() ?? 0
            let firstDay: Int = (1...31).first { dayBits & (UInt64(1) << UInt64($0)) != 0 } ?? 0
            if firstDay > longest {
                throw fail("never runs: none of its months has a day \(firstDay)")
            }
        }
    }

    /// The most days `month` can have (29 for February, which has them in leap years).
    static func maximumDays(_ month: Int) -> Int {
        switch month {
        case 2: return 29
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether the day `day` of `month`, a `weekday` (0 Sunday), is one the expression runs on.
    func matches(month: Int, day: Int, weekday: Int) -> Bool {
        guard months & (UInt64(1) << UInt64(month)) != 0 else { return false }
        let byMonthDay = daysOfMonth & (UInt64(1) << UInt64(day)) != 0
        let byWeekDay = daysOfWeek & (UInt64(1) << UInt64(weekday)) != 0
        if dayOfMonthRestricted && dayOfWeekRestricted { return byMonthDay || byWeekDay }
        return byMonthDay && byWeekDay
    }

    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool { lhs.source == rhs.source }
}

/// One field of a cron expression: its range and names.
struct CronField {
    let name: String
    let range: ClosedRange<Int>
    let names: [String]
    /// The first value `names` stand for.
    let firstNamed: Int

    static let minute = CronField(name: "minute", range: 0...59, names: [], firstNamed: 0)
    static let hour = CronField(name: "hour", range: 0...23, names: [], firstNamed: 0)
    static let dayOfMonth = CronField(name: "day-of-month", range: 1...31, names: [], firstNamed: 1)
    static let month = CronField(
        name: "month", range: 1...12,
        names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], firstNamed: 1)
    static let dayOfWeek = CronField(
        name: "day-of-week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], firstNamed: 0)

    /// The field's values as a bit set.
    func parse(_ text: String) throws(ScheduleError) -> UInt64 {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw ScheduleError("\(name) field \"\(text)\" has an empty list item") }
            bits |= try parseItem(String(item))
        }
        return bits
    }

    private func parseItem(_ item: String) throws(ScheduleError) -> UInt64 {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw ScheduleError("\(name) \"\(item)\" has more than one step") }
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else {
                throw ScheduleError("\(name) step \"\(parts[1])\" is not a number")
            }
            guard value >= 1 else { throw ScheduleError("\(name) step \(value) must be at least 1") }
            step = value
        }
        let base = String(parts[0])
        var low: Int
        var high: Int
        if base == "*" {
            (low, high) = (range.lowerBound, range.upperBound)
            if name == "day-of-week" { high = 6 }
        } else if let dash = base.firstIndex(of: "-") {
            low = try value(String(base[..<dash]))
            high = try value(String(base[base.index(after: dash)...]))
            guard low <= high else {
                throw ScheduleError("\(name) range \(base) is backwards (write the smaller end first)")
            }
        } else {
            low = try value(base)
            // `a/n` is `a-max/n`, as cronie reads it.
            high = parts.count == 2 ? max(low, name == "day-of-week" ? 6 : range.upperBound) : low
        }
        var bits: UInt64 = 0
        var current = low
        while current <= high {
            bits |= 1 << UInt64(current)
            current += step
        }
        return bits
    }

    private func value(_ text: String) throws(ScheduleError) -> Int {
        if text.isEmpty { throw ScheduleError("\(name) has an empty value") }
        if let index = names.firstIndex(of: text.lowercased()) { return firstNamed + index }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            if !names.isEmpty {
                let first = names.first!, last = names.last!
                throw ScheduleError("\(name) \"\(text)\" is neither a number nor a name (\(first)-\(last))")
            }
            throw ScheduleError("\(name) \"\(text)\" is not a number")
        }
        guard let number = Int(text), range.contains(number) else {
            throw ScheduleError("\(name) \(text) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}
