import ChorusAPI
import Foundation
import LuaRuntime

/// `chorus.time.parse` and `chorus.time.date`: the platform's date rule (a date or time without a
/// zone is Europe/Paris time), from ChorusAPI's one reader, so Lua and Swift read every date alike.
/// The generic clocks (`now`, `monotonic`, `iso`) come with the core utilities.
enum TimeBindings {
    static func library() -> LuaLibrary {
        LuaLibrary(
            path: [ChorusModule.namespace, "time"],
            summary: "Clocks and dates (seconds since 1970; platform dates without a zone are Paris time).",
            functions: [
                HostFunction(
                    "date",
                    FunctionDoc(
                        "Formats a time (default: now) as the calendar date in Paris, the platform's zone, e.g. 2026-11-29 (dateFacture, dateDepot).",
                        parameters: [.init("t", "number?")], returns: [.init("text", "string")])
                ) { call in
                    let t = try call.optionalNumber(1) ?? Date().timeIntervalSince1970
                    guard t.isFinite, abs(t) < 253_402_300_800 else {
                        throw LuaArgumentError(1, "time out of range (years 1 to 9999)")
                    }
                    call.push(string: ChorusDate.day(Date(timeIntervalSince1970: t)))
                    return 1
                },
                HostFunction(
                    "parse",
                    FunctionDoc(
                        "Parses a platform date: YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], ISO-8601 with optional fraction and zone (Z, +01:00, +0100), or epoch milliseconds. A date or time without a zone is Paris time. Returns seconds since 1970.",
                        parameters: [.init("text", "string|integer")], returns: [.init("t", "number")],
                        raises: ["bad argument when the text is not a recognised date"])
                ) { call in
                    if call.type(1) == .number {
                        let millis = try call.number(1)
                        guard millis.isFinite, abs(millis) < 253_402_300_800_000 else {
                            throw LuaArgumentError(1, "epoch milliseconds out of range (years 1 to 9999)")
                        }
                        call.push(number: millis / 1000)
                        return 1
                    }
                    let text = try call.string(1)
                    guard let t = ChorusDate.seconds(text) else {
                        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                        throw LuaArgumentError(
                            1,
                            "unrecognised date '\(shown)'; expected YYYY-MM-DD or ISO 8601 such as 2024-01-31T10:00:00+01:00")
                    }
                    call.push(number: t)
                    return 1
                },
            ])
    }
}
