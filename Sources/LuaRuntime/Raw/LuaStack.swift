import CLua
import CLuaShims
import JSONValue

/// The type of a Lua value, as `lua_type` reports it.
public enum LuaType: Int32, Sendable {
    case none = -1, `nil` = 0, boolean, lightUserdata, number, string, table, function, userdata, thread

    /// The name Lua uses in messages (`table`, `nil`, `no value`...).
    public var name: String {
        switch self {
        case .none: return "no value"
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .lightUserdata: return "light userdata"
        case .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .function: return "function"
        case .userdata: return "userdata"
        case .thread: return "thread"
        }
    }
}

/// Non-raising access to one Lua thread's stack. Every call here is safe from Swift: raw access only,
/// allocations happen in host mode (where the memory cap does not apply), and anything that could
/// run a metamethod goes through a protected C helper.
struct LuaStack {
    let L: OpaquePointer

    @inline(__always) var top: Int32 { lua_gettop(L) }
    @inline(__always) func setTop(_ n: Int32) { lua_settop(L, n) }
    @inline(__always) func pop(_ n: Int32 = 1) { clh_pop(L, n) }
    @inline(__always) func absolute(_ i: Int32) -> Int32 { lua_absindex(L, i) }
    @inline(__always) func type(at i: Int32) -> LuaType { LuaType(rawValue: lua_type(L, i)) ?? .none }
    @inline(__always) func ensure(_ n: Int32) -> Bool { lua_checkstack(L, n) != 0 }
    @inline(__always) func pushValue(at i: Int32) { lua_pushvalue(L, i) }
    @inline(__always) func pushNil() { lua_pushnil(L) }
    @inline(__always) func pushBool(_ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }
    @inline(__always) func pushInteger(_ i: Int64) { lua_pushinteger(L, lua_Integer(i)) }
    @inline(__always) func pushNumber(_ d: Double) { lua_pushnumber(L, d) }
    @inline(__always) func pushNull() { lua_pushlightuserdata(L, clh_null_sentinel()) }
    @inline(__always) func isNull(at i: Int32) -> Bool {
        lua_type(L, i) == LUA_TLIGHTUSERDATA && lua_touserdata(L, i) == clh_null_sentinel()
    }
    @inline(__always) func newTable(arrayCount: Int32 = 0, recordCount: Int32 = 0) {
        lua_createtable(L, arrayCount, recordCount)
    }

    func pushString(_ s: String) {
        var s = s
        s.withUTF8 { pushRaw(UnsafeRawBufferPointer($0)) }
    }

    func pushBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { pushRaw($0) }
    }

    private func pushRaw(_ buffer: UnsafeRawBufferPointer) {
        if let base = buffer.baseAddress, buffer.count > 0 {
            _ = lua_pushlstring(L, base.assumingMemoryBound(to: CChar.self), buffer.count)
        } else {
            _ = lua_pushstring(L, "")
        }
    }

    /// The raw bytes of a string (numbers are converted in place, as `lua_tolstring` does).
    func bytes(at i: Int32) -> [UInt8]? {
        var length = 0
        guard let pointer = clh_tolstring(L, i, &length) else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// The raw bytes of a string read in place, without a copy (numbers are converted in place first).
    /// The pointer is valid only inside `body`: the string stays on the stack meanwhile, and Lua never
    /// moves a string.
    func withBytes<R, E: Error>(at i: Int32, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R? {
        var length = 0
        guard let pointer = clh_tolstring(L, i, &length) else { return nil }
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// A string as Swift text; invalid UTF-8 is repaired with U+FFFD.
    func string(at i: Int32) -> String? {
        var length = 0
        guard let pointer = clh_tolstring(L, i, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// A string as `.string` when valid UTF-8, `.bytes` otherwise.
    func stringValue(at i: Int32) -> LuaValue {
        var length = 0
        guard let pointer = clh_tolstring(L, i, &length) else { return .nil }
        let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
        if let text = String(validating: buffer, as: UTF8.self) { return .string(text) }
        return .bytes(Array(buffer))
    }

    @inline(__always) func isInteger(at i: Int32) -> Bool { clh_isinteger(L, i) != 0 }
    @inline(__always) func integer(at i: Int32) -> Int64? {
        var ok: Int32 = 0
        let v = lua_tointegerx(L, i, &ok)
        return ok != 0 ? Int64(v) : nil
    }
    @inline(__always) func number(at i: Int32) -> Double? {
        var ok: Int32 = 0
        let v = lua_tonumberx(L, i, &ok)
        return ok != 0 ? v : nil
    }
    @inline(__always) func bool(at i: Int32) -> Bool { lua_toboolean(L, i) != 0 }

    /// `t[key]` without metamethods; pushes the value and returns its type.
    @discardableResult
    func rawGet(table: Int32, key: String) -> LuaType {
        let t = absolute(table)
        pushString(key)
        return LuaType(rawValue: lua_rawget(L, t)) ?? .none
    }

    /// `t[key] = <top>` without metamethods; pops the value.
    func rawSet(table: Int32, key: String) {
        let t = absolute(table)
        pushString(key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, t)
    }

    @discardableResult
    func rawGet(table: Int32, index: Int64) -> LuaType {
        LuaType(rawValue: lua_rawgeti(L, table, lua_Integer(index))) ?? .none
    }

    func rawSet(table: Int32, index: Int64) { lua_rawseti(L, table, lua_Integer(index)) }

    func rawLength(at i: Int32) -> Int { Int(lua_rawlen(L, i)) }

    /// Pushes the registry value `ref`.
    func pushRef(_ ref: Int32) { lua_rawgeti(L, clh_registryindex(), lua_Integer(ref)) }

    /// Stores the top value (popping it) in registry slot `slot`; slots are managed by `LuaVM`.
    func storeRef(_ slot: Int32) { lua_rawseti(L, clh_registryindex(), lua_Integer(slot)) }

    /// The first registry slot past the predefined ones (main thread, globals).
    static var firstFreeRefSlot: Int32 { Int32(clh_ridx_globals()) + 1 }

    func pushGlobals() { clh_pushglobaltable(L) }

    func pushHostFunction(_ box: UnsafeMutableRawPointer) { clh_push_hostfunction(L, box) }

    /// `tostring(v)` with metamethods, protected. Falls back to the type name.
    func describe(at i: Int32) -> String {
        let index = absolute(i)
        switch type(at: index) {
        case .string, .number: return string(at: index) ?? ""
        case .nil: return "nil"
        case .boolean: return bool(at: index) ? "true" : "false"
        default: break
        }
        if isNull(at: index) { return "null" }
        let status = clh_tostring(L, index)
        if status == CLH_NOTHING_PUSHED { return "(error object is a \(type(at: index).name) value)" }
        defer { pop() }
        if status == LUA_OK, let text = string(at: -1) { return text }
        return "(error object is a \(type(at: index).name) value)"
    }

    /// The identity of a table, function, thread or userdata (for cycle detection).
    func identity(at i: Int32) -> UnsafeRawPointer? { lua_topointer(L, i) }

    /// Pushes the metatable of the value at `i`; false (and nothing pushed) if none.
    func pushMetatable(of i: Int32) -> Bool { lua_getmetatable(L, i) != 0 }
    func setMetatable(of i: Int32) { lua_setmetatable(L, i) }
    @inline(__always) func rawEqual(_ a: Int32, _ b: Int32) -> Bool { lua_rawequal(L, a, b) != 0 }
    @inline(__always) func next(table: Int32) -> Bool { lua_next(L, table) != 0 }
    @inline(__always) func insert(at i: Int32) { lua_rotate(L, i, 1) }
    @inline(__always) func remove(at i: Int32) {
        lua_rotate(L, i, -1)
        pop()
    }
    @inline(__always) func move(to other: LuaStack, count: Int32) { lua_xmove(L, other.L, count) }

    /// Loads bytecode the build made of the Lua shipped in the binary (never a script's: scripts only ever go through
    /// `load`, text only) and pushes the chunk under `chunkName`. The build compiled it with the chunk
    /// name "=?", stored right after the header and the upvalue count; the real name takes its place.
    /// Returns false, with nothing pushed, when the bytes are not such a chunk or this Lua refuses them
    /// (another version than the build's), so the caller compiles the text instead.
    static func loadPrecompiled(_ L: OpaquePointer, base64: String, chunkName: String) -> Bool {
        guard case .success(let compiled) = Base64.decode(Array(base64.utf8)),
            compiled.count > precompiledNameEnd,
            compiled[precompiledNameStart..<precompiledNameEnd].elementsEqual([0x83, UInt8(ascii: "="), UInt8(ascii: "?")])
        else { return false }
        var chunk = Array(compiled[..<precompiledNameStart])
        // The name as Lua dumps a string: its length + 1 in 7-bit groups, most significant first, the
        // last group marked with 0x80; then its bytes.
        let name = Array(chunkName.utf8)
        var size = name.count + 1
        var groups: [UInt8] = []
        repeat {
            groups.append(UInt8(size & 0x7F))
            size >>= 7
        } while size != 0
        groups[0] |= 0x80
        chunk += groups.reversed()
        chunk += name
        chunk += compiled[precompiledNameEnd...]
        let status = chunk.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                clh_load(L, chars.baseAddress!, chars.count, chunkName, "b")
            }
        }
        guard status == LUA_OK else {
            lua_settop(L, -2)
            return false
        }
        return true
    }

    /// Where the chunk name "=?" of a precompiled chunk sits: after Lua 5.4's 31-byte header and the
    /// main function's upvalue count.
    static let precompiledNameStart = 32
    static let precompiledNameEnd = 35

    /// Compiles text (never bytecode) and pushes the chunk, or the error message; returns the status.
    static func load(_ L: OpaquePointer, _ source: [UInt8], chunkName: String) -> Int32 {
        let bytes = source.isEmpty ? [UInt8(ascii: " ")] : source
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                clh_load(L, chars.baseAddress!, chars.count, chunkName, "t")
            }
        }
    }
}
