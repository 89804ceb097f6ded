/// The documentation of a function installed in Lua: the single source for help and
/// the LuaLS stubs.
public struct FunctionDoc: Sendable, Hashable {
    /// One parameter or return value: name, LuaLS type (`string`, `table?`, `integer`...) and a phrase.
    public struct Item: Sendable, Hashable {
        public let name: String
        public let type: String
        public let summary: String
        public init(_ name: String, _ type: String, _ summary: String = "") {
            self.name = name
            self.type = type
            self.summary = summary
        }
    }

    public let summary: String
    public let parameters: [Item]
    public let returns: [Item]
    /// True when the function waits for I/O or time (it yields its coroutine).
    public let yields: Bool
    /// The error codes or messages it can raise, in words.
    public let raises: [String]

    public init(_ summary: String, parameters: [Item] = [], returns: [Item] = [], yields: Bool = false, raises: [String] = []) {
        self.summary = summary
        self.parameters = parameters
        self.returns = returns
        self.yields = yields
        self.raises = raises
    }
}

/// A Swift function callable from Lua. The body reads its arguments and pushes its results through
/// `LuaCall`, returns how many results it pushed, and throws to raise a Lua error: it never raises
/// itself (the C trampoline does, after the Swift frames are gone).
public struct HostFunction: Sendable {
    public typealias Body = @Sendable (inout LuaCall) throws -> Int32

    /// The name inside its table (`encode` for `json.encode`).
    public let name: String
    public let doc: FunctionDoc
    public let body: Body

    public init(_ name: String, _ doc: FunctionDoc, _ body: @escaping Body) {
        self.name = name
        self.doc = doc
        self.body = body
    }
}

/// A table of host functions and Lua code installed under a dotted path (`<namespace>.json`).
public struct LuaLibrary: Sendable {
    /// The path of the table, e.g. `[namespace, "json"]`.
    public let path: [String]
    public let summary: String
    public let functions: [HostFunction]
    /// Lua code run after the functions are installed, with the library table and the prelude's
    /// helpers as `...`; it may add functions written in Lua (documented in `luaDocs`).
    public let lua: LuaSource?
    /// Documentation of the functions defined in `lua`.
    public let luaDocs: [String: FunctionDoc]

    public init(path: [String], summary: String, functions: [HostFunction], lua: LuaSource? = nil, luaDocs: [String: FunctionDoc] = [:]) {
        self.path = path
        self.summary = summary
        self.functions = functions
        self.lua = lua
        self.luaDocs = luaDocs
    }
}
