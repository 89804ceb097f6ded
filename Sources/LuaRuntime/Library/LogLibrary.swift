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
                        for (key, value) in fields { metadata[key] = .string(describe(value)) }
                    }
                    logger.log(level: level, "\(message)", metadata: metadata)
                    return 0
                }
            }
        )
    }

    static func describe(_ value: LuaValue) -> String {
        switch value {
        case .string(let s): return s
        case .bytes(let b): return "<\(b.count) bytes>"
        case .nil: return "nil"
        default: return (try? value.toJSON(namespace: "").serialized()) ?? "\(value)"
        }
    }
}
