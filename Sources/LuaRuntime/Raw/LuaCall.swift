import CLua
import CLuaShims
import JSONValue
import NameSuggestions

/// The arguments and results of one call from Lua into a Swift host function.
/// Accessors mirror `luaL_check*` and throw `LuaArgumentError` with Lua's stock wording.
public struct LuaCall {
    let stack: LuaStack
    unowned(unsafe) let vm: LuaVM
    /// How many arguments the function received.
    public let argumentCount: Int32

    init(stack: LuaStack, vm: LuaVM) {
        self.stack = stack
        self.vm = vm
        self.argumentCount = stack.top
    }

    // MARK: Reading arguments

    /// The type of argument `i` (`.none` past the last argument).
    public func type(_ i: Int32) -> LuaType { i > argumentCount ? .none : stack.type(at: i) }

    /// True when argument `i` is absent or nil.
    public func isNoneOrNil(_ i: Int32) -> Bool {
        let t = type(i)
        return t == .none || t == .nil
    }

    /// The name of the table holding the host's utilities (e.g. for `<namespace>.null` in messages).
    public var namespace: String { vm.options.namespace }

    /// The name of argument `i`'s type as Lua's messages show it (`<namespace>.null` for null).
    public func typeName(_ i: Int32) -> String {
        if type(i) == .lightUserdata && stack.isNull(at: i) { return "\(namespace).null" }
        return type(i).name
    }

    /// `<expected> expected, got <actual>` for argument `i`.
    public func typeError(_ i: Int32, expected: String) -> LuaArgumentError {
        LuaArgumentError(i, "\(expected) expected, got \(typeName(i))")
    }

    /// A string argument (numbers are converted, as in `luaL_checkstring`); invalid UTF-8 is repaired.
    public func string(_ i: Int32) throws(LuaArgumentError) -> String {
        let t = type(i)
        guard t == .string || t == .number, let s = stack.string(at: i) else { throw typeError(i, expected: "string") }
        return s
    }

    /// A string argument that must be valid UTF-8 text.
    public func text(_ i: Int32) throws(LuaArgumentError) -> String {
        let t = type(i)
        guard t == .string || t == .number else { throw typeError(i, expected: "string") }
        guard case .string(let s) = stack.stringValue(at: i) else { throw LuaArgumentError(i, "string is not valid UTF-8") }
        return s
    }

    /// A string argument as `.string` when it is valid UTF-8, `.bytes` otherwise (`.nil` if not a string).
    public func stringValueOfArgument(_ i: Int32) -> LuaValue {
        i > argumentCount ? .nil : stack.stringValue(at: i)
    }

    /// The raw bytes of a string argument.
    public func bytes(_ i: Int32) throws(LuaArgumentError) -> [UInt8] {
        let t = type(i)
        guard t == .string || t == .number, let b = stack.bytes(at: i) else { throw typeError(i, expected: "string") }
        return b
    }

    /// The raw bytes of a string argument read in place, without a copy (for large binary strings).
    /// The pointer is valid only inside `body`.
    public func withBytes<R>(
        _ i: Int32, _ body: (UnsafeRawBufferPointer) throws(LuaScriptError) -> R
    ) throws -> R {
        let t = type(i)
        guard t == .string || t == .number, let result = try stack.withBytes(at: i, body) else {
            throw typeError(i, expected: "string")
        }
        return result
    }

    public func optionalString(_ i: Int32) throws(LuaArgumentError) -> String? {
        isNoneOrNil(i) ? nil : try string(i)
    }

    /// An integer argument (`luaL_checkinteger`): floats with an integral value are accepted.
    public func integer(_ i: Int32) throws(LuaArgumentError) -> Int64 {
        if let v = stack.integer(at: i), type(i) == .number || type(i) == .string { return v }
        if type(i) == .number { throw LuaArgumentError(i, "number has no integer representation") }
        throw typeError(i, expected: "number")
    }

    public func optionalInteger(_ i: Int32) throws(LuaArgumentError) -> Int64? {
        isNoneOrNil(i) ? nil : try integer(i)
    }

    /// A number argument (`luaL_checknumber`).
    public func number(_ i: Int32) throws(LuaArgumentError) -> Double {
        let t = type(i)
        guard t == .number || t == .string, let v = stack.number(at: i) else { throw typeError(i, expected: "number") }
        return v
    }

    public func optionalNumber(_ i: Int32) throws(LuaArgumentError) -> Double? {
        isNoneOrNil(i) ? nil : try number(i)
    }

    /// Truthiness of argument `i`, as Lua sees it.
    public func bool(_ i: Int32) -> Bool { i <= argumentCount && stack.bool(at: i) }

    public func checkType(_ i: Int32, _ expected: LuaType) throws(LuaArgumentError) {
        guard type(i) == expected else { throw typeError(i, expected: expected.name) }
    }

    /// Any argument copied as a `LuaValue` (tables are walked; functions and userdata are refused).
    public func value(_ i: Int32) throws(LuaArgumentError) -> LuaValue {
        guard i <= argumentCount else { return .nil }
        do { return try stack.value(at: i, vm.conversion) } catch { throw LuaArgumentError(i, error.description) }
    }

    /// A table argument copied as a `LuaValue`.
    public func table(_ i: Int32) throws(LuaArgumentError) -> LuaValue {
        try checkType(i, .table)
        return try value(i)
    }

    /// An options table: absent or nil gives `[:]`; a key not in `allowed` is refused, naming the
    /// closest valid key.
    public func options(_ i: Int32, allowed: [String]) throws(LuaArgumentError) -> [String: LuaValue] {
        if isNoneOrNil(i) { return [:] }
        guard type(i) == .table else { throw typeError(i, expected: "table") }
        guard case .object(let members) = try value(i) else {
            throw LuaArgumentError(i, "options must be a table of named fields")
        }
        for key in members.keys.sorted() where !allowed.contains(key) {
            throw LuaArgumentError(i, "unknown option '\(key)'\(Suggestions.hint(for: key, among: allowed))")
        }
        return members
    }

    // MARK: Pushing results

    public func push(_ value: LuaValue) { stack.push(value, vm.conversion) }
    /// Pushes a JSON document (arrays and objects marked, `null` as the null sentinel).
    public func push(json value: JSONValue) { stack.push(json: value, vm.conversion) }

    /// Reserves `bytes` of the run's memory cap for host work done on the script's behalf (memory
    /// Lua's allocator does not see, such as a parse tree). Past the cap the run is stopped as if
    /// Lua had allocated it: the error is "memory limit exceeded" and `pcall` cannot keep it.
    public func chargeMemory(_ bytes: Int) throws(LuaScriptError) {
        guard let limit = vm.options.memoryLimit, limit > 0 else { return }
        if bytes > limit || vm.memoryUsed > limit - bytes {
            vm.kill(CLH_KILL_MEMORY)
            throw LuaScriptError("not enough memory", addsPosition: false)
        }
    }
    public func pushNil() { stack.pushNil() }
    public func push(string: String) { stack.pushString(string) }
    public func push(bytes: [UInt8]) { stack.pushBytes(bytes) }
    public func push(integer: Int64) { stack.pushInteger(integer) }
    public func push(number: Double) { stack.pushNumber(number) }
    public func push(bool: Bool) { stack.pushBool(bool) }
    /// Pushes argument `i` itself (tables keep their identity).
    public func push(argument i: Int32) { stack.pushValue(at: i) }

    /// Sets the array or object marker on table argument `i` (which must be a table).
    /// - Throws: as `setmetatable` does, when the table's metatable is protected by a `__metatable`
    ///   field (`_G` under `--strict`): replacing it would turn the protection off.
    public func mark(_ i: Int32, asArray: Bool) throws(LuaArgumentError) {
        // One C call (the hot path of `<namespace>.array`): check, fetch and set.
        let conversion = vm.conversion
        let (marker, other) =
            asArray ? (conversion.arrayMarker, conversion.objectMarker) : (conversion.objectMarker, conversion.arrayMarker)
        guard clh_set_marker(stack.L, i, marker, other) != 0 else {
            throw LuaArgumentError(i, "cannot change a protected metatable")
        }
    }

    /// Ends the run with `code` (and `message` for stderr) when the host function returns: the error
    /// raised cannot be caught by `pcall`, and the `<close>` variables of every task still run.
    public func requestExit(code: Int32, message: String?) {
        if vm.exitRequest == nil { vm.exitRequest = (code, message) }
        vm.kill(CLH_KILL_EXIT)
    }

    /// The name of the Lua file running this call, from the VM's options.
    public var vmOptions: LuaRunOptions { vm.options }
}

/// Owns a host function for the lifetime of its VM; its address is the closure's upvalue.
final class HostFunctionBox {
    let function: HostFunction
    unowned(unsafe) let vm: LuaVM
    /// Async starters report argument errors as (nil, message) so their Lua wrapper raises at the
    /// caller's line; plain functions raise through the trampoline.
    let isAsyncStarter: Bool
    let counter: LiveObjects?

    init(function: HostFunction, vm: LuaVM, isAsyncStarter: Bool) {
        self.function = function
        self.vm = vm
        self.isAsyncStarter = isAsyncStarter
        counter = vm.options.liveObjects
        counter?.hostFunctionBoxes.add(1, ordering: .relaxed)
    }

    deinit { counter?.hostFunctionBoxes.subtract(1, ordering: .relaxed) }
}

/// The one entry point from C into Swift host functions. The VM owns every box for its whole life
/// and a call cannot outlive the VM, so the box is used without a retain/release pair per call.
let hostDispatch: clh_dispatch_fn = { L, rawBox in
    Unmanaged<HostFunctionBox>.fromOpaque(rawBox)._withUnsafeGuaranteedRef { box in dispatch(L, box) }
}

private func dispatch(_ L: OpaquePointer, _ box: HostFunctionBox) -> Int32 {
    var call = LuaCall(stack: LuaStack(L: L), vm: box.vm)
    do {
        return try box.function.body(&call)
    } catch let error as LuaArgumentError {
        if box.isAsyncStarter {
            call.stack.pushNil()
            call.stack.pushString("bad argument #\(error.position) to '\(box.function.name)' (\(error.message))")
            return 2
        }
        call.stack.pushString(error.message)
        return CLH_ARGERROR_BASE - error.position
    } catch let error as LuaScriptError {
        if box.isAsyncStarter {
            call.stack.pushNil()
            call.stack.pushString(error.message)
            return 2
        }
        call.stack.pushString(error.message)
        return error.addsPosition ? CLH_RAISE_WHERE : CLH_RAISE
    } catch {
        if box.isAsyncStarter {
            call.stack.pushNil()
            box.vm.pushHostError(error, on: call.stack)
            return 2
        }
        box.vm.pushHostError(error, on: call.stack)
        return CLH_RAISE
    }
}
