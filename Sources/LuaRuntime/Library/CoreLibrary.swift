import Foundation

/// The utilities every run has under the namespace table: values, tasks, JSON, base64, logging
/// and time. None of them reaches a remote service.
public enum CoreLibrary {
    /// All core libraries for a run with `options`.
    public static func libraries(options: LuaRunOptions) -> [LuaLibrary] {
        let ns = options.namespace
        return [
            base(options: options),
            JSONLibrary.library(namespace: ns),
            Base64Library.library(namespace: ns),
            LogLibrary.library(namespace: ns, logger: options.logger),
            TimeLibrary.library(namespace: ns),
        ]
    }

    static func base(options: LuaRunOptions) -> LuaLibrary {
        let ns = options.namespace
        let output = options.output
        let rawOutput = options.rawOutput
        let moduleRoot = options.moduleRoot
        return LuaLibrary(
            path: [ns],
            summary: "Values, tasks and helpers shared by every script.",
            functions: [
                HostFunction("array", FunctionDoc(
                    "Marks a table as a JSON array (so an empty one encodes as []); returns it.",
                    parameters: [.init("t", "table?", "the table to mark; a new one if absent")],
                    returns: [.init("t", "table")])) { call in
                    try markTable(&call, asArray: true)
                },
                HostFunction("object", FunctionDoc(
                    "Marks a table as a JSON object (so an empty one encodes as {}); returns it.",
                    parameters: [.init("t", "table?", "the table to mark; a new one if absent")],
                    returns: [.init("t", "table")])) { call in
                    try markTable(&call, asArray: false)
                },
                HostFunction("sleep", FunctionDoc(
                    "Waits for the given number of seconds while other tasks run.",
                    parameters: [.init("seconds", "number", "how long to wait (fractions allowed)")],
                    yields: true)) { call in
                    let seconds = try call.number(1)
                    guard seconds >= 0, seconds <= LuaRunOptions.maximumSeconds else {
                        throw LuaArgumentError(1, "seconds must be a number from 0 to \(Int(LuaRunOptions.maximumSeconds)) (about 31 years)")
                    }
                    return call.startOperation(limited: false) {
                        try await Task.sleep(for: .seconds(seconds))
                        return .nil
                    }
                },
                HostFunction("exit", FunctionDoc(
                    "Ends the run with an exit code (0 to 125) and an optional message for stderr: the `<close>` variables of every task run, the output is flushed, no traceback is printed. It cannot be caught by pcall.",
                    parameters: [.init("code", "integer?", "the exit code, 0 (success) by default"),
                                 .init("message", "string?", "printed on stderr")])) { call in
                    let code = try call.optionalInteger(1) ?? 0
                    guard (0...125).contains(code) else {
                        throw LuaArgumentError(1, "exit code must be an integer from 0 to 125, got \(code)")
                    }
                    let message = call.isNoneOrNil(2) ? nil : try call.string(2)
                    call.requestExit(code: Int32(code), message: message)
                    return 0
                },
                HostFunction("_spawn", FunctionDoc("Starts a task.")) { call in
                    try call.checkType(1, .function)
                    return try call.spawnTask(functionAt: 1)
                },
                HostFunction("_join", FunctionDoc("Waits for tasks.")) { call in
                    try call.startJoin(idsAt: 1, settle: call.bool(2))
                },
                HostFunction("_release", FunctionDoc("Forgets a task nothing can wait for any more.")) { call in
                    if let id = try call.optionalInteger(1), let task = TaskID(exactly: id) { call.releaseTask(task) }
                    return 0
                },
                HostFunction("_write", FunctionDoc("Writes to the output.")) { call in
                    switch call.type(1) == .string ? call.stringValueOfArgument(1) : .string(try call.string(1)) {
                    case .bytes(let raw) where rawOutput != nil: rawOutput?(raw)
                    case .bytes(let raw): output(String(decoding: raw, as: UTF8.self))
                    case .string(let text): output(text)
                    default: break
                    }
                    return 0
                },
                HostFunction("_find_module", FunctionDoc("Finds a module file.")) { call in
                    let name = try call.string(1)
                    guard let root = moduleRoot else {
                        call.push(string: "no module folder for this run")
                        return 1
                    }
                    switch ScriptFile.findModule(name, root: root) {
                    case .failure(let error):
                        call.push(string: error.searcherMessage)
                        return 1
                    case .success(let found):
                        guard call.pushChunk(found.source, chunkName: found.path) else {
                            throw LuaScriptError("error loading module '\(name)' from file '\(found.path)':\n\t\(call.describeTop())", addsPosition: false)
                        }
                        call.push(string: found.path)
                        return 2
                    }
                },
            ],
            lua: RuntimeLua.tasks(namespace: ns),
            luaDocs: TasksLua.docs(namespace: ns)
        )
    }

    private static func markTable(_ call: inout LuaCall, asArray: Bool) throws(LuaArgumentError) -> Int32 {
        // The argument's type read once: this is the hot path of a host call.
        switch call.type(1) {
        case .none, .nil:
            call.push(asArray ? .array([]) : .object([:]))
            return 1
        case .table: break
        default: try call.checkType(1, .table)
        }
        try call.mark(1, asArray: asArray)
        call.push(argument: 1)
        return 1
    }
}
