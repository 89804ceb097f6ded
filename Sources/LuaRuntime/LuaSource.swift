/// Lua code shipped inside the binary: a `.lua` file of the package, embedded at build time
/// (SwiftPM `.embedInCode`), so nothing is read from disk at run time. Its chunk name is the
/// file's, so tracebacks and error positions point at it (`@<namespace>/tasks.lua:42`).
public struct LuaSource: Sendable {
    /// The chunk name given to Lua (`@` and the file's name under its namespace).
    public let chunkName: String
    /// The Lua text.
    public let bytes: [UInt8]
    /// The same code compiled by the build (base64 bytecode from the module's `PrecompiledLua`), which
    /// loads without parsing; nil, or bytecode this Lua refuses, and the text is compiled instead.
    public let bytecode: String?

    /// - Parameters:
    ///   - name: the file as tracebacks should show it, e.g. `<namespace>/tasks.lua`.
    ///   - bytes: its text (a `PackageResources` member).
    ///   - bytecode: its `PrecompiledLua.chunks` entry, made by the LuaChunks build plugin.
    public init(name: String, bytes: [UInt8], bytecode: String? = nil) {
        self.chunkName = "@" + name
        self.bytes = bytes
        self.bytecode = bytecode
    }
}

/// The Lua files of this module (`Sources/LuaRuntime/lua/`).
enum RuntimeLua {
    /// The yield protocol, coroutine wrappers, table-error metatable and sandbox (`prelude.lua`).
    static func prelude(namespace: String) -> LuaSource {
        LuaSource(
            name: "\(namespace)/prelude.lua", bytes: PackageResources.prelude_lua,
            bytecode: PrecompiledLua.chunks["prelude.lua"])
    }

    /// Tasks, `try`, `null` and `print` (`tasks.lua`).
    static func tasks(namespace: String) -> LuaSource {
        LuaSource(
            name: "\(namespace)/tasks.lua", bytes: PackageResources.tasks_lua, bytecode: PrecompiledLua.chunks["tasks.lua"])
    }
}
