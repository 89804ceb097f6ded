import Foundation

/// `<namespace>.time`: wall and monotonic clocks and UTC ISO-8601 formatting. Hosts add the
/// parsing and calendar rules of their domain to the same table.
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
                    call.push(string: format(t))
                    return 1
                },
            ]
        )
    }

    /// Seconds of 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years ISO-8601 writes with four digits.
    static let earliest: Double = -62_135_596_800
    static let latest: Double = 253_402_300_800

    /// Argument `i` as a time to format (now when absent); NaN, infinities and years outside
    /// 1...9999 are refused instead of printing a date that means nothing (4713 BC for NaN).
    static func checkedTime(_ call: LuaCall, _ i: Int32) throws(LuaArgumentError) -> Double {
        guard let t = try call.optionalNumber(i) else { return Date().timeIntervalSince1970 }
        guard t >= earliest && t < latest else {
            throw LuaArgumentError(i, "time must be seconds since 1970 between \(Int(earliest)) and \(Int(latest) - 1) (years 1 to 9999), got \(t.isNaN ? "nan" : String(t))")
        }
        return t
    }

    static func format(_ t: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: t))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
