import Foundation
import JSONValue

/// The one reader and writer of the dates Chorus Pro mixes, used by the client, the simulator and
/// `chorus.time` in Lua alike: `2016-03-18`, `2016-10-25 17:42`, `2018-02-16T15:10:25.536+01:00`,
/// `2015-07-03T00:00:00Z`, `2015-07-03T00:00:00+0200`, and epoch milliseconds.
///
/// The rule: a date or time **without a zone is Europe/Paris time**, the zone of the platform
/// (daylight saving included), so `2016-10-25 17:42` is 15:42 UTC.
public enum ChorusDate {
    /// The platform's zone.
    public static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!

    private static let parisCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        return calendar
    }()

    /// The instant `value` denotes (a date text, or epoch milliseconds as an integer), or nil.
    public static func parse(_ value: JSONValue) -> Date? {
        switch value {
        case .string(let text): return parse(text)
        case .integer(let millis) where millis > 100_000_000_000 && millis < 100_000_000_000_000:
            return Date(timeIntervalSince1970: Double(millis) / 1000)
        default: return nil
        }
    }

    /// The instant `text` denotes, or nil when it is not one of the platform's date forms.
    public static func parse(_ text: String) -> Date? {
        seconds(text).map { Date(timeIntervalSince1970: $0) }
    }

    /// Seconds since 1970 for `text`, or nil. Leading and trailing spaces are ignored.
    public static func seconds(_ text: String) -> Double? {
        let s = Array(text.utf8)
        var start = 0
        var end = s.count
        while start < end && s[start] == 0x20 { start += 1 }
        while end > start && s[end - 1] == 0x20 { end -= 1 }
        guard end - start <= 64 else { return nil }
        let t = Array(s[start..<end])
        // Epoch milliseconds written as text (11 to 14 digits: 1973 to 5138).
        if (11...14).contains(t.count), t.allSatisfy(isDigit), let ms = Double(String(decoding: t, as: UTF8.self)) {
            return ms / 1000
        }
        return DateText(t).seconds()
    }

    /// `2018-02-16T15:10:25.536+01:00`: the timestamp form the platform's reports print (Paris time).
    public static func timestamp(_ date: Date) -> String {
        let c = parisCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let offset = paris.secondsFromGMT(for: date)
        let millis = min(999, Int((Double(c.nanosecond ?? 0) / 1e6).rounded()))
        let sign = offset < 0 ? "-" : "+"
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d%@%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!,
            c.second!, millis, sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// `2018-02-16`: the calendar day of `date` in Paris (the form of `dateFacture`, `dateDepot`).
    public static func day(_ date: Date) -> String {
        let c = parisCalendar.dateComponents([.year, .month, .day], from: date)
        // What `String(format: "%04d-%02d-%02d")` writes, without its cost (the simulator dates each deposit).
        return padded(c.year!, 4) + "-" + padded(c.month!, 2) + "-" + padded(c.day!, 2)
    }

    /// `value` as `%0<width>d` writes it: zeros on the left up to `width` characters, after the sign.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, width - sign.count - digits.count)) + digits
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The instant of a Paris wall-clock time (the earlier one when the clock goes back).
    static func parisInstant(_ parts: DateComponents) -> Double? {
        guard let date = parisCalendar.date(from: parts),
            parisCalendar.component(.day, from: date) == parts.day
        else { return nil }
        return date.timeIntervalSince1970
    }
}

/// A cursor over the bytes of `YYYY-MM-DD[(T| )HH:MM[:SS[(.|,)fraction]]][Z|±HH[:]MM]`.
private struct DateText {
    let s: [UInt8]
    init(_ s: [UInt8]) { self.s = s }

    func number(_ range: Range<Int>) -> Int? {
        guard range.upperBound <= s.count else { return nil }
        var v = 0
        for b in s[range] {
            guard ChorusDate.isDigit(b) else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    func seconds() -> Double? {
        guard s.count >= 10, let year = number(0..<4), s[4] == 0x2D, let month = number(5..<7), s[7] == 0x2D,
            let day = number(8..<10), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offset: Int?
        var i = 10
        if i < s.count {
            guard s[i] == 0x54 || s[i] == 0x20, let h = number(11..<13), s.count > 13, s[13] == 0x3A,
                let m = number(14..<16)
            else { return nil }
            hour = h
            minute = m
            i = 16
            if i < s.count && s[i] == 0x3A {
                guard let sec = number(17..<19) else { return nil }
                second = sec
                i = 19
            }
            if i < s.count && (s[i] == 0x2E || s[i] == 0x2C) {
                var j = i + 1
                while j < s.count && ChorusDate.isDigit(s[j]) { j += 1 }
                guard j > i + 1, let value = Double("0." + String(decoding: s[(i + 1)..<j], as: UTF8.self))
                else { return nil }
                fraction = value
                i = j
            }
            if i < s.count {
                if s[i] == 0x5A {
                    offset = 0
                    i += 1
                } else if s[i] == 0x2B || s[i] == 0x2D {
                    let sign = s[i] == 0x2B ? 1 : -1
                    guard let oh = number(i + 1..<i + 3), oh < 24 else { return nil }
                    var j = i + 3
                    if j < s.count && s[j] == 0x3A { j += 1 }
                    guard let om = number(j..<j + 2), om < 60 else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                    i = j + 2
                }
            }
            guard i == s.count, hour < 24, minute < 60, second < 60 else { return nil }
        }
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let offset else {
            return ChorusDate.parisInstant(parts).map { $0 + fraction }
        }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let date = utc.date(from: parts), utc.component(.day, from: date) == day else { return nil }
        return date.timeIntervalSince1970 + fraction - Double(offset)
    }
}
