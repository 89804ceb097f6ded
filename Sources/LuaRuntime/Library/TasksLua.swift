/// The documentation of the core functions written in Lua (`lua/tasks.lua`): tasks (`spawn`, `all`)
/// and `try`. Kept here, beside the library that installs them; the stubs test checks that each
/// documented function exists.
enum TasksLua {
    static func docs(namespace: String) -> [String: FunctionDoc] {
        [
        "spawn": FunctionDoc(
            "Starts f(...) as a concurrent task and returns its handle; handle:wait() returns f's results or raises its error. A task nobody waits for that fails makes the run fail.",
            parameters: [.init("f", "function"), .init("...", "any", "arguments for f")],
            returns: [.init("task", "\(namespace).Task")]),
        "all": FunctionDoc(
            "Runs the functions concurrently and returns their first results in order. The first error is raised and the other functions are cancelled, unless settle = true: then it returns results, errors (a table of errors by index). limit = n runs at most n at once.",
            parameters: [.init("fns", "function[]"), .init("options", "{settle: boolean?, limit: integer?}?")],
            returns: [.init("results", "any[]"), .init("errors", "table?", "with settle = true: errors by index")],
            yields: true),
        "try": FunctionDoc(
            "Calls f(...); returns its results, or nil and the error if it raised. Time, memory and cancellation limits are not caught.",
            parameters: [.init("f", "function"), .init("...", "any")],
            returns: [.init("result", "any", "f's first result, or nil when f raised"),
                      .init("...", "any", "f's other results; or, when f raised, the error: a string for a misuse, a table (the host's error type) for a remote failure")]),
        ]
    }
}
