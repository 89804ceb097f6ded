import Foundation
import JSONValue

/// Reads the date formats Chorus Pro mixes: `2016-03-18`, `2016-10-25 17:42`,
/// `2018-02-16T15:10:25.536+01:00`, `2015-07-03T00:00:00+02:00`, `...Z`, and epoch milliseconds.
///
/// Dates without a zone are read in Europe/Paris, the zone of the platform.
public enum ChorusDate {
    static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!

    /// The instant `value` denotes, or nil when it is not a date Chorus Pro sends.
    public static func parse(_ value: JSONValue) -> Date? {
        switch value {
        case .string(let text): return parse(text)
        case .integer(let millis) where millis > 100_000_000_000:
            return Date(timeIntervalSince1970: Double(millis) / 1000)
        default: return nil
        }
    }

    /// The instant `text` denotes, or nil.
    public static func parse(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        for (format, zoned) in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.timeZone = zoned ? TimeZone(secondsFromGMT: 0) : paris
            formatter.dateFormat = format
            formatter.isLenient = false
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// Most specific first; `XXXXX` accepts `Z` and `+01:00`.
    static let formats: [(String, Bool)] = [
        ("yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", true),
        ("yyyy-MM-dd'T'HH:mm:ssXXXXX", true),
        ("yyyy-MM-dd'T'HH:mm:ss.SSS", false),
        ("yyyy-MM-dd'T'HH:mm:ss", false),
        ("yyyy-MM-dd HH:mm:ss", false),
        ("yyyy-MM-dd HH:mm", false),
        ("yyyy-MM-dd", false),
    ]
}
