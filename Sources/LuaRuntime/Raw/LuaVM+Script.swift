import CLua
import CLuaShims

extension LuaVM {
    /// Sets the global `arg` as the standalone `lua` does: `arg[0]` is the script, `arg[1..n]`
    /// its arguments, and `arg[-n..-1]` the `command` that ran it (e.g. the program and its subcommand).
    func setScriptArguments(script: String, arguments: [String], command: [String]) throws(LuaError) {
        let stack = main
        stack.newTable(arrayCount: Int32(clamping: arguments.count), recordCount: Int32(clamping: command.count + 1))
        for (i, word) in command.enumerated() {
            stack.pushString(word)
            stack.rawSet(table: -2, index: Int64(i - command.count))
        }
        stack.pushString(script)
        stack.rawSet(table: -2, index: 0)
        for (i, argument) in arguments.enumerated() {
            stack.pushString(argument)
            stack.rawSet(table: -2, index: Int64(i + 1))
        }
        stack.pushGlobals()
        stack.insert(at: -2)
        stack.rawSet(table: -2, key: "arg")
        stack.pop()
    }
}

extension LuaCall {
    /// Compiles Lua source as a module chunk and pushes the function; on a syntax error pushes the
    /// message instead and returns false.
    func pushChunk(_ source: [UInt8], chunkName: String) -> Bool {
        let status = LuaStack.load(stack.L, source, chunkName: "@" + chunkName)
        return status == LUA_OK
    }
}

extension LuaCall {
    /// `tostring` of the value on top of the stack (for error messages).
    func describeTop() -> String { stack.describe(at: -1) }
}
