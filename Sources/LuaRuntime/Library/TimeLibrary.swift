import Foundation

/// `chorus.time`: wall and monotonic clocks, ISO-8601 formatting, and parsing of the date forms
/// Chorus Pro uses (`2024-01-31`, `2024-01-31T10:00:00.000+01:00`, epoch milliseconds).
enum TimeLibrary {
    static func library(namespace: String) -> LuaLibrary {
        LuaLibrary(
            path: [namespace, "time"],
            summary: "Clocks and dates (seconds since 1970, UTC ISO-8601 text).",
            functions: [
                HostFunction("now", FunctionDoc("Seconds since 1970-01-01 UTC, with fractions.", returns: [.init("t", "number")])) { call in
                    call.push(number: Date().timeIntervalSince1970)
                    return 1
                },
                HostFunction("monotonic", FunctionDoc(
                    "Seconds from an arbitrary start that never jumps; subtract two readings to time work.",
                    returns: [.init("t", "number")])) { call in
                    call.push(number: Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
                    return 1
                },
                HostFunction("iso", FunctionDoc(
                    "Formats a time (default: now) as UTC ISO-8601, e.g. 2026-11-29T11:10:35Z.",
                    parameters: [.init("t", "number?")], returns: [.init("text", "string")])) { call in
                    let t = try checkedTime(call, 1)
                    call.push(string: format(t, dateOnly: false))
                    return 1
                },
                HostFunction("date", FunctionDoc(
                    "Formats a time (default: now) as a UTC calendar date, e.g. 2026-11-29 (the form Chorus Pro expects).",
                    parameters: [.init("t", "number?")], returns: [.init("text", "string")])) { call in
                    let t = try checkedTime(call, 1)
                    call.push(string: format(t, dateOnly: true))
                    return 1
                },
                HostFunction("parse", FunctionDoc(
                    "Parses a date: YYYY-MM-DD, ISO-8601 with optional fraction and offset (Z, +01:00, +0100), or epoch milliseconds. Returns seconds since 1970.",
                    parameters: [.init("text", "string|integer")], returns: [.init("t", "number")],
                    raises: ["bad argument when the text is not a recognised date"])) { call in
                    if call.type(1) == .number {
                        call.push(number: try call.number(1) / 1000)
                        return 1
                    }
                    let text = try call.string(1)
                    guard let t = parse(text) else {
                        throw LuaArgumentError(1, "unrecognised date '\(text)'; expected YYYY-MM-DD or ISO 8601 such as 2024-01-31T10:00:00+01:00")
                    }
                    call.push(number: t)
                    return 1
                },
            ]
        )
    }

    /// Seconds of 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years ISO-8601 writes with four digits.
    static let earliest: Double = -62_135_596_800
    static let latest: Double = 253_402_300_800

    /// Argument `i` as a time to format (now when absent); NaN, infinities and years outside
    /// 1...9999 are refused instead of printing a date that means nothing.
    static func checkedTime(_ call: LuaCall, _ i: Int32) throws(LuaArgumentError) -> Double {
        guard let t = try call.optionalNumber(i) else { return Date().timeIntervalSince1970 }
        guard t >= earliest && t < latest else {
            throw LuaArgumentError(i, "time must be seconds since 1970 between \(Int(earliest)) and \(Int(latest) - 1) (years 1 to 9999), got \(t.isNaN ? "nan" : String(t))")
        }
        return t
    }

    static func format(_ t: Double, dateOnly: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: t))
        let date = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        if dateOnly { return date }
        return date + String(format: "T%02d:%02d:%02dZ", c.hour!, c.minute!, c.second!)
    }

    /// Seconds since 1970 for the date forms seen in Chorus Pro payloads, or nil.
    static func parse(_ text: String) -> Double? {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        if !s.isEmpty, s.allSatisfy({ $0 >= 48 && $0 <= 57 }), s.count >= 11, let ms = Double(String(decoding: s, as: UTF8.self)) {
            return ms / 1000
        }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= s.count else { return nil }
            var v = 0
            for b in s[range] {
                guard b >= 48 && b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard s.count >= 10, let year = number(0..<4), s[4] == 45, let month = number(5..<7), s[7] == 45, let day = number(8..<10),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset = 0
        var i = 10
        if i < s.count {
            guard s[i] == 84 || s[i] == 32, let h = number(11..<13), s.count > 13, s[13] == 58, let m = number(14..<16) else { return nil }
            hour = h
            minute = m
            i = 16
            if i < s.count && s[i] == 58 {
                guard let sec = number(17..<19) else { return nil }
                second = sec
                i = 19
            }
            if i < s.count && (s[i] == 46 || s[i] == 44) {
                var j = i + 1
                var digits = ""
                while j < s.count && s[j] >= 48 && s[j] <= 57 { digits.append(Character(Unicode.Scalar(s[j]))); j += 1 }
                guard !digits.isEmpty else { return nil }
                fraction = Double("0." + digits) ?? 0
                i = j
            }
            if i < s.count {
                if s[i] == 90 { i += 1 }
                else if s[i] == 43 || s[i] == 45 {
                    let sign = s[i] == 43 ? 1 : -1
                    guard let oh = number(i + 1..<i + 3) else { return nil }
                    var j = i + 3
                    if j < s.count && s[j] == 58 { j += 1 }
                    guard let om = number(j..<j + 2) else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                    i = j + 2
                }
            }
            guard i == s.count, hour < 24, minute < 60, second < 61 else { return nil }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date.timeIntervalSince1970 + fraction - Double(offset)
    }
}
