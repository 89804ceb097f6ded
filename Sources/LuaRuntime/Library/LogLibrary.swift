import Logging

/// `<namespace>.log`: leveled messages to the run's logger (stderr in the CLI), never to stdout.
enum LogLibrary {
    static func library(namespace: String, logger: Logger) -> LuaLibrary {
        let levels: [(String, Logger.Level)] = [("debug", .debug), ("info", .info), ("warn", .warning), ("error", .error)]
        return LuaLibrary(
            path: [namespace, "log"],
            summary: "Leveled logging to stderr (-v shows debug, -q hides info).",
            functions: levels.map { name, level in
                HostFunction(name, FunctionDoc(
                    "Logs a message at level \(name), with optional fields shown as key=value.",
                    parameters: [.init("message", "any"), .init("fields", "table?")])) { call in
                    let message: String
                    switch call.type(1) {
                    case .string, .number: message = try call.string(1)
                    case .none: throw call.typeError(1, expected: "string")
                    default: message = describe(try call.value(1))
                    }
                    var metadata: Logger.Metadata = [:]
                    if !call.isNoneOrNil(2) {
                        guard case .object(let fields) = try call.table(2) else {
                            throw LuaArgumentError(2, "fields must be a table of named values")
                        }
                        for (key, value) in fields { metadata[escape(key)] = .string(escape(describe(value))) }
                    }
                    logger.log(level: level, "\(escape(message))", metadata: metadata)
                    return 0
                }
            }
        )
    }

    static func escape(_ text: String) -> String { LogText.escape(text) }

    static func describe(_ value: LuaValue) -> String {
        switch value {
        case .string(let s): return s
        case .bytes(let b): return "<\(b.count) bytes>"
        case .nil: return "nil"
        default: return (try? value.toJSON(namespace: "").serialized()) ?? "\(value)"
        }
    }
}

/// Text made safe for a log line.
public enum LogText {
    /// `text` with control characters written as escapes (`\n`, `\t`, `\e`, `\x7f`, `\u{85}`...), so a
    /// script cannot forge log lines or recolour the terminal through its messages.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{1B}": out += "\\e"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{" + hex + "}"
            }
        }
        return out
    }

    /// C0, DEL, C1, and the Unicode line and paragraph separators and bidirectional overrides.
    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
