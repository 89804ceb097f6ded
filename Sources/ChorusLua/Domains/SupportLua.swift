import LuaRuntime

/// Lua helpers shared by the domain tables: argument checks in Lua's stock wording, option tables
/// with "did you mean", paging over the different pager and list keys, and `chorus.errors`.
enum SupportLua {
    static let docs: [String: FunctionDoc] = [:]

    /// The Lua that defines them (`lua/support.lua`).
    static let source = LuaSource(name: "chorus/support.lua", bytes: PackageResources.support_lua)
}
