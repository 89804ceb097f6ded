import CLua
import CLuaShims
import Logging

/// One `lua_State` with the sandbox, the utilities and the task bookkeeping. Not `Sendable`: it is
/// created and used by a single owner (`ScriptRunner`), and no Lua pointer leaves it.
public final class LuaVM {
    let L: OpaquePointer
    var main: LuaStack { LuaStack(L: L) }
    public let options: LuaRunOptions
    /// A constant: read on every host call that marks or converts a table, without an access check.
    let conversion: ConversionContext
    /// Registry slots of internal tables.
    private(set) var pendingMarker: Int32 = 0
    private var hostErrorMetatable: Int32 = 0
    /// The metatable of errors raised as tables (`<namespace>.Error`), made by the prelude.
    private(set) var tableErrorMetatable: Int32 = 0
    private var preludeHelpers: Int32 = 0
    private var boxes: [HostFunctionBox] = []
    /// Shipped chunks loaded from the build's bytecode, and those whose text was compiled (no bytecode,
    /// or bytecode this Lua refused): the tests check the build's chunks all land in the first.
    private(set) var chunksLoaded: (fromBytecode: [String], fromText: [String]) = ([], [])
    /// The task being resumed, so `spawn` knows its parent.
    var currentTaskID: TaskID?
    /// The exit code and message a script asked for (`<namespace>.exit`), once it did.
    var exitRequest: (code: Int32, message: String?)?
    /// Set while the state closes: finalizers still run, but the bookkeeping is being torn down.
    var isClosing = false
    private var freeRefs: [Int32] = []
    private var nextRef = LuaStack.firstFreeRefSlot
    /// Task and operation bookkeeping, driven by `ScriptRunner`.
    let scheduler = Scheduler()
    /// Documentation of everything installed, by dotted name (for stubs and help).
    public private(set) var documentation: [String: FunctionDoc] = [:]
    public private(set) var librarySummaries: [String: String] = [:]

    /// A fresh state with the allowed standard library, the sandbox, the prelude and `libraries`.
    public init(options: LuaRunOptions, libraries: [LuaLibrary]) throws(LuaError) {
        clh_set_dispatcher(hostDispatch)
        clh_set_logger(luaLogCallback)
        guard let state = clh_newstate(options.memoryLimit.map { max(0, $0) } ?? 0, nil) else {
            throw LuaError.memory(limitBytes: options.memoryLimit ?? 0, traceback: "")
        }
        L = state
        self.options = options
        // The marker metatables take the first two registry slots, before anything else is stored.
        let arrayMarker = LuaStack.firstFreeRefSlot
        for (slot, name) in [(arrayMarker, "array"), (arrayMarker + 1, "object")] {
            let stack = LuaStack(L: state)
            stack.newTable()
            stack.pushString("\(options.namespace).\(name)")
            stack.rawSet(table: -2, key: "__name")
            stack.storeRef(slot)
        }
        nextRef = arrayMarker + 2
        conversion = ConversionContext(arrayMarker: arrayMarker, objectMarker: arrayMarker + 1, namespace: options.namespace)
        options.liveObjects?.states.add(1, ordering: .relaxed)
        options.liveObjects?.statesCreated.add(1, ordering: .relaxed)
        clh_set_owner(L, Unmanaged.passUnretained(self).toOpaque())
        try setUp(libraries: libraries)
        if let timeout = options.timeout { clh_set_timeout(L, timeout) }
    }

    deinit {
        isClosing = true
        clh_close(L)
        options.liveObjects?.states.subtract(1, ordering: .relaxed)
    }

    // MARK: Registry references

    /// Stores the top of `stack` in the registry (popping it).
    func ref(from stack: LuaStack) -> Int32 {
        let slot = freeRefs.popLast() ?? { defer { nextRef += 1 }; return nextRef }()
        stack.storeRef(slot)
        return slot
    }

    func unref(_ slot: Int32) {
        main.pushNil()
        main.storeRef(slot)
        freeRefs.append(slot)
    }

    // MARK: Set-up

    private func setUp(libraries: [LuaLibrary]) throws(LuaError) {
        let stack = main
        guard clh_open_libs(L) == LUA_OK else { throw setupFailure("opening the standard library") }
        stack.newTable()
        pendingMarker = ref(from: stack)
        hostErrorMetatable = makeHostErrorMetatable()

        // The namespace table, then the prelude (which still sees `debug`), then the libraries.
        stack.newTable()
        stack.pushGlobals()
        stack.pushValue(at: -2)
        stack.rawSet(table: -2, key: options.namespace)
        stack.pop()
        let namespaceIndex = stack.top
        stack.pushRef(pendingMarker)
        stack.pushValue(at: namespaceIndex)
        stack.pushRef(conversion.arrayMarker)
        stack.pushRef(conversion.objectMarker)
        stack.pushNull()
        stack.pushString(options.namespace)
        let prelude = RuntimeLua.prelude(namespace: options.namespace)
        try runChunk(prelude, argumentCount: 6, resultCount: 1)
        preludeHelpers = ref(from: stack)
        markInternal(prelude)
        stack.pushRef(preludeHelpers)
        stack.rawGet(table: -1, key: "error_mt")
        tableErrorMetatable = ref(from: stack)
        stack.pop(2)  // helpers, namespace table
        for library in libraries { try install(library) }
        try applySandbox()
    }

    private func setupFailure(_ step: String) -> LuaError {
        let message = main.describe(at: -1)
        main.pop()
        return .runtime(message: "internal error while \(step): \(message)", traceback: "", value: nil)
    }

    /// Runs shipped Lua synchronously; the arguments are the top `argumentCount` values.
    func runChunk(_ source: LuaSource, argumentCount: Int32, resultCount: Int32) throws(LuaError) {
        let name = source.chunkName
        let precompiled = source.bytecode.map { LuaStack.loadPrecompiled(L, base64: $0, chunkName: name) } ?? false
        if precompiled { chunksLoaded.fromBytecode.append(name) } else { chunksLoaded.fromText.append(name) }
        guard precompiled || LuaStack.load(L, source.bytes, chunkName: name) == LUA_OK else {
            throw setupFailure("loading \(name)")
        }
        main.insert(at: -(argumentCount + 1))
        guard clh_pcall(L, argumentCount, resultCount, 0) == LUA_OK else { throw setupFailure("running \(name)") }
    }

    /// Records `source` as shipped code, so its frames are never taken for the script's line.
    private func markInternal(_ source: LuaSource) {
        let stack = main
        stack.pushRef(preludeHelpers)
        stack.rawGet(table: -1, key: "internal_sources")
        stack.pushBool(true)
        stack.rawSet(table: -2, key: source.chunkName)
        stack.pop(2)
    }

    /// Installs a library: its host functions (async ones behind a Lua wrapper that yields) and its
    /// Lua part, in the table at its path (created as needed).
    public func install(_ library: LuaLibrary) throws(LuaError) {
        let stack = main
        pushTable(path: library.path)
        let table = stack.top
        let prefix = library.path.joined(separator: ".")
        if !library.summary.isEmpty { librarySummaries[prefix] = library.summary }
        stack.newTable()
        let starters = stack.top
        for function in library.functions {
            let isInternal = function.name.hasPrefix("_")
            let box = HostFunctionBox(function: function, vm: self, isAsyncStarter: function.doc.yields)
            boxes.append(box)
            stack.pushHostFunction(Unmanaged.passUnretained(box).toOpaque())
            stack.rawSet(table: function.doc.yields ? starters : table, key: function.name)
            if !isInternal { documentation[prefix.isEmpty ? function.name : prefix + "." + function.name] = function.doc }
        }
        for (name, doc) in library.luaDocs { documentation[prefix + "." + name] = doc }
        // prelude helper: install_async(table, starters)
        stack.pushRef(preludeHelpers)
        stack.rawGet(table: -1, key: "install_async")
        stack.remove(at: -2)
        stack.pushValue(at: table)
        stack.pushValue(at: starters)
        stack.pushString(prefix.isEmpty ? "" : prefix + ".")
        guard clh_pcall(L, 3, 0, 0) == LUA_OK else { throw setupFailure("installing \(prefix)") }
        stack.pop()  // starters
        if let lua = library.lua {
            markInternal(lua)
            stack.pushRef(preludeHelpers)
            try runChunk(lua, argumentCount: 2, resultCount: 0)
        } else {
            stack.pop()
        }
    }

    /// Pushes the table at `path` from the globals, creating missing levels.
    private func pushTable(path: [String]) {
        let stack = main
        stack.pushGlobals()
        for key in path {
            if stack.rawGet(table: -1, key: key) != .table {
                stack.pop()
                stack.newTable()
                stack.pushValue(at: -1)
                stack.rawSet(table: -3, key: key)
            }
            stack.remove(at: -2)
        }
    }

    private func applySandbox() throws(LuaError) {
        main.pushRef(preludeHelpers)
        main.rawGet(table: -1, key: "sandbox")
        main.remove(at: -2)
        main.pushBool(options.strictGlobals)
        if let root = options.moduleRoot { main.pushString(root) } else { main.pushNil() }
        guard clh_pcall(L, 2, 0, 0) == LUA_OK else { throw setupFailure("applying the sandbox") }
    }

    // MARK: Host errors

    private func makeHostErrorMetatable() -> Int32 {
        let stack = main
        stack.newTable()
        stack.pushString("\(options.namespace).HostError")
        stack.rawSet(table: -2, key: "__name")
        let gc = HostFunction("__gc", FunctionDoc("Releases the Swift error.")) { call in
            call.vm.releaseHostError(at: 1, on: call.stack)
            return 0
        }
        let tostring = HostFunction("__tostring", FunctionDoc("Describes the Swift error.")) { call in
            call.push(string: call.vm.hostError(at: 1, on: call.stack).map { String(describing: $0) } ?? "(released error)")
            return 1
        }
        for function in [gc, tostring] {
            let box = HostFunctionBox(function: function, vm: self, isAsyncStarter: false)
            boxes.append(box)
            stack.pushHostFunction(Unmanaged.passUnretained(box).toOpaque())
            stack.rawSet(table: -2, key: function.name)
        }
        return ref(from: stack)
    }

    /// Pushes a Swift error as a userdata that keeps the original error for the host.
    func pushHostError(_ error: any Error, on stack: LuaStack) {
        if let tableError = error as? LuaTableError {
            stack.push(.object(tableError.luaFields), conversion)
            stack.pushRef(tableErrorMetatable)
            stack.setMetatable(of: -2)
            return
        }
        let raw = lua_newuserdatauv(stack.L, MemoryLayout<UnsafeMutableRawPointer?>.size, 0)!
        let holder = HostErrorBox(error, counter: options.liveObjects)
        raw.storeBytes(of: Unmanaged.passRetained(holder).toOpaque(), as: UnsafeMutableRawPointer?.self)
        stack.pushRef(hostErrorMetatable)
        stack.setMetatable(of: -2)
    }

    /// The Swift error held by the userdata at `index`, if it is one of ours.
    func hostError(at index: Int32, on stack: LuaStack) -> (any Error)? {
        guard let pointer = hostErrorSlot(at: index, on: stack), let raw = pointer.load(as: UnsafeMutableRawPointer?.self)
        else { return nil }
        return Unmanaged<HostErrorBox>.fromOpaque(raw).takeUnretainedValue().error
    }

    private func hostErrorSlot(at index: Int32, on stack: LuaStack) -> UnsafeMutableRawPointer? {
        guard stack.type(at: index) == .userdata, stack.pushMetatable(of: index) else { return nil }
        stack.pushRef(hostErrorMetatable)
        let ours = stack.rawEqual(-1, -2)
        stack.pop(2)
        return ours ? lua_touserdata(stack.L, index) : nil
    }

    private func releaseHostError(at index: Int32, on stack: LuaStack) {
        guard let pointer = hostErrorSlot(at: index, on: stack), let raw = pointer.load(as: UnsafeMutableRawPointer?.self)
        else { return }
        pointer.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        Unmanaged<HostErrorBox>.fromOpaque(raw).release()
    }

    // MARK: Limits

    /// Requests cancellation; safe from any thread. Lua code stops at its next instruction check.
    public var canceller: Canceller { Canceller(control: clh_ctl(L)) }

    /// Memory Lua holds now, in bytes.
    public var memoryUsed: Int { clh_memory_used(L) }

    var killReason: Int32 { clh_kill_reason(L) }
    var killReasonIsSet: Bool { killReason != CLH_KILL_NONE }
    func kill(_ reason: Int32) { clh_set_kill(L, reason) }
}

/// A thread-safe handle that cancels a running VM (used by signal handlers and the driver).
public struct Canceller: @unchecked Sendable {
    let control: OpaquePointer
    /// Makes the VM's next instruction check raise a sticky "run cancelled" error.
    public func cancel() { clh_request_cancel(control) }
}

final class HostErrorBox {
    let error: any Error
    let counter: LiveObjects?
    init(_ error: any Error, counter: LiveObjects?) {
        self.error = error
        self.counter = counter
        counter?.hostErrorBoxes.add(1, ordering: .relaxed)
    }
    deinit { counter?.hostErrorBoxes.subtract(1, ordering: .relaxed) }
}

/// Warnings and panics from C, routed to the VM's logger.
private let luaLogCallback: clh_log_fn = { owner, level, message in
    let text = String(cString: message)
    guard let owner else { return }
    let vm = Unmanaged<LuaVM>.fromOpaque(owner).takeUnretainedValue()
    vm.options.logger.log(level: level >= 4 ? .critical : .warning, "lua: \(text)")
}
