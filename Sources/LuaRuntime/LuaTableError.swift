/// A Swift error that scripts see as a table (with the prelude's error metatable, `<namespace>.Error`)
/// instead of an opaque userdata, so they can read its fields and compare its metatable.
public protocol LuaTableError: Error {
    /// The fields of the error table (e.g. `code`, `message`, `status`).
    var luaFields: [String: LuaValue] { get }
}
