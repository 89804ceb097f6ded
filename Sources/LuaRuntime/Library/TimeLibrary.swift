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
                    let t = try call.optionalNumber(1) ?? Date().timeIntervalSince1970
                    call.push(string: format(t))
                    return 1
                },
            ]
        )
    }

    static func format(_ t: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: t))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
