import CLua
import CLuaShims

/// What compiling a chunk of interactive input gave.
enum ChunkCompilation: Equatable {
    case compiled
    /// The chunk ends too early (Lua's message ends with `<eof>`): more lines may complete it.
    case incomplete
    case failed(message: String)
}

/// The raw side of an interactive session (`ScriptRunner+Repl`): compiling without running, reading
/// results and globals without metamethods, and making the state usable after a stopped chunk.
extension LuaVM {
    /// Compiles `source` and drops the function: only says whether it compiles.
    func compile(_ source: [UInt8], chunkName: String) -> ChunkCompilation {
        let status = LuaStack.load(L, source, chunkName: "@" + chunkName)
        defer { main.pop() }
        if status == LUA_OK { return .compiled }
        let message = main.describe(at: -1)
        if status == LUA_ERRSYNTAX && message.hasSuffix("<eof>") { return .incomplete }
        return .failed(message: message)
    }

    /// Before each chunk: no kill, no pending cancellation, the deadline counted from now.
    func rearm() {
        exitRequest = nil
        clh_rearm(L, options.timeout.map { min($0, LuaRunOptions.maximumSeconds) } ?? 0)
    }

    /// After each chunk: closes the coroutines still open (their `<close>` handlers get `closeBudget`
    /// seconds in all) and forgets every task, so the next chunk starts from an empty scheduler.
    func forgetTasks(closeBudget: Double) {
        let open = scheduler.tasks.values.filter { !$0.closed }.sorted { $0.id > $1.id }
        if !open.isEmpty {
            clh_begin_teardown(L, closeBudget)
            for task in open { closeThread(of: task) }
        }
        for task in scheduler.tasks.values { releaseResults(of: task) }
        scheduler.reset()
        main.setTop(0)
    }

    /// The values a finished task returned, inspected; the first is stored in the global `name`.
    func inspectResults(of task: TaskRecord, limits: InspectLimits, storeFirstIn name: String?) -> [InspectedValue] {
        withResults(of: task) { stack, count in
            if let name {
                stack.pushGlobals()
                stack.rawGet(table: -2, index: 1)
                stack.rawSet(table: -2, key: name)
                stack.pop()
            }
            var inspector = Inspector(vm: self, limits: limits)
            return (1...min(count, 250)).map { i in
                stack.rawGet(table: -1, index: i)
                defer { stack.pop() }
                return inspector.inspect(at: stack.top, depth: 0)
            }
        } ?? []
    }

    /// The string keys of the table at `path` from the globals (raw reads; a metatable's `__index`
    /// table is followed, as a raw read too, so methods of objects and of strings show). With
    /// `functionsOnly`, only keys whose value is a function (after `:`).
    func fieldNames(path: [String], functionsOnly: Bool) -> [String] {
        let stack = main
        let base = stack.top
        defer { stack.setTop(base) }
        stack.pushGlobals()
        for key in path {
            guard rawLookup(key) else { return [] }
        }
        var names = Set<String>()
        var visited = Set<UnsafeRawPointer>()
        // The value, then the __index tables of its metatables (bounded: a chain may loop).
        for _ in 0..<8 {
            if stack.type(at: -1) == .table, let id = stack.identity(at: -1), visited.insert(id).inserted {
                collectKeys(into: &names, functionsOnly: functionsOnly)
            }
            guard stack.pushMetatable(of: -1) else { break }
            stack.rawGet(table: -1, key: "__index")
            stack.remove(at: -2)
            guard stack.type(at: -1) == .table else { break }
        }
        return names.sorted()
    }

    /// Replaces the table on top with its field `key` (raw, or through `__index` tables); false when
    /// there is nothing there.
    private func rawLookup(_ key: String) -> Bool {
        let stack = main
        for _ in 0..<8 {
            if stack.type(at: -1) == .table {
                if stack.rawGet(table: -1, key: key) != .nil {
                    stack.remove(at: -2)
                    return true
                }
                stack.pop()
            }
            guard stack.pushMetatable(of: -1) else { return false }
            stack.rawGet(table: -1, key: "__index")
            stack.remove(at: -2)
            stack.remove(at: -2)
            guard stack.type(at: -1) == .table else { return false }
        }
        return false
    }

    private func collectKeys(into names: inout Set<String>, functionsOnly: Bool) {
        let stack = main
        let table = stack.top
        stack.pushNil()
        var seen = 0
        while stack.next(table: table) {
            seen += 1
            if stack.type(at: -2) == .string, !functionsOnly || stack.type(at: -1) == .function,
                let key = stack.string(at: -2)
            {
                names.insert(key)
            }
            stack.pop()
            if seen > 100_000 {
                stack.pop()
                break
            }
        }
    }
}

/// Walks a value on the main stack with raw access, within limits.
private struct Inspector {
    let vm: LuaVM
    let limits: InspectLimits
    var shown = 0
    var path: [UnsafeRawPointer] = []

    init(vm: LuaVM, limits: InspectLimits) {
        self.vm = vm
        self.limits = limits
    }

    mutating func inspect(at index: Int32, depth: Int) -> InspectedValue {
        let stack = vm.main
        switch stack.type(at: index) {
        case .nil, .none: return .nil
        case .boolean: return .bool(stack.bool(at: index))
        case .number:
            if stack.isInteger(at: index), let i = stack.integer(at: index) { return .integer(i) }
            return .number(stack.number(at: index) ?? 0)
        case .string:
            let bytes = stack.bytes(at: index) ?? []
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.count > limits.stringLength else { return .string(text, truncatedBytes: 0) }
            let kept = String(text.prefix(limits.stringLength))
            return .string(kept, truncatedBytes: bytes.count - kept.utf8.count)
        case .lightUserdata:
            if stack.isNull(at: index) { return .null }
            return .opaque("light userdata: " + identity(at: index))
        case .table:
            return table(at: index, depth: depth)
        case .function: return .opaque("function: " + identity(at: index))
        case .thread: return .opaque("thread: " + identity(at: index))
        case .userdata: return .opaque((metatableName(at: index) ?? "userdata") + ": " + identity(at: index))
        }
    }

    private func identity(at index: Int32) -> String {
        guard let pointer = vm.main.identity(at: index) else { return "?" }
        return "0x" + String(UInt(bitPattern: pointer), radix: 16)
    }

    private func metatableName(at index: Int32) -> String? {
        let stack = vm.main
        guard stack.pushMetatable(of: index) else { return nil }
        defer { stack.pop(2) }
        return stack.rawGet(table: -1, key: "__name") == .string ? stack.string(at: -1) : nil
    }

    private func hasMetatable(at index: Int32, ref: Int32) -> Bool {
        let stack = vm.main
        guard ref != 0, stack.pushMetatable(of: index) else { return false }
        stack.pushRef(ref)
        defer { stack.pop(2) }
        return stack.rawEqual(-1, -2)
    }

    private mutating func table(at index: Int32, depth: Int) -> InspectedValue {
        let stack = vm.main
        let index = stack.absolute(index)
        guard let id = stack.identity(at: index) else { return .nil }
        let name = "table: " + identity(at: index)
        if path.contains(id) { return .cycle(name) }
        if hasMetatable(at: index, ref: vm.tableErrorMetatable) { return .error(errorFields(at: index)) }
        guard depth < limits.depth, shown < limits.total, stack.ensure(8) else { return .deep(name) }
        path.append(id)
        defer { path.removeLast() }
        var result = InspectedTable(typeName: metatableName(at: index), array: [], fields: [], omitted: 0, marker: nil)
        if hasMetatable(at: index, ref: vm.conversion.arrayMarker) { result.marker = "array" }
        if hasMetatable(at: index, ref: vm.conversion.objectMarker) { result.marker = "object" }
        // A JSON marker is not a class: only an empty marked table says which it is.
        if result.marker != nil { result.typeName = nil }
        // The array part: 1..n without holes.
        let length = stack.rawLength(at: index)
        var n = 0
        while n < length {
            if stack.rawGet(table: index, index: Int64(n + 1)) == .nil {
                stack.pop()
                break
            }
            n += 1
            if result.array.count < limits.width && shown < limits.total {
                shown += 1
                result.array.append(inspect(at: stack.top, depth: depth + 1))
            } else {
                result.omitted += 1
            }
            stack.pop()
        }
        // The other keys: gathered (bounded), sorted, then the first `width` inspected.
        var keys: [InspectedKey] = []
        stack.pushNil()
        var scanned = 0
        while stack.next(table: index) {
            stack.pop()
            scanned += 1
            if scanned > 100_000 {
                stack.pop()
                result.omitted += 1
                break
            }
            guard let key = self.key(at: stack.top), !isArrayKey(key, count: n) else { continue }
            keys.append(key)
        }
        keys.sort()
        let room = max(0, limits.width - result.array.count)
        for key in keys.prefix(room) where shown < limits.total {
            push(key)
            stack.rawGetTop(table: index)
            shown += 1
            result.fields.append((key, inspect(at: stack.top, depth: depth + 1)))
            stack.pop()
        }
        result.omitted += keys.count - result.fields.count
        return .table(result)
    }

    private func isArrayKey(_ key: InspectedKey, count: Int) -> Bool {
        if case .integer(let i) = key { return i >= 1 && i <= Int64(count) }
        return false
    }

    /// The key on top of the stack (never converted in place: `lua_next` needs it unchanged).
    private func key(at index: Int32) -> InspectedKey? {
        let stack = vm.main
        switch stack.type(at: index) {
        case .string: return stack.string(at: index).map(InspectedKey.string) ?? .other("(binary string)")
        case .number:
            if stack.isInteger(at: index), let i = stack.integer(at: index) { return .integer(i) }
            return .number(stack.number(at: index) ?? 0)
        case .boolean: return .other(stack.bool(at: index) ? "true" : "false")
        case .nil, .none: return nil
        default: return .other(stack.type(at: index).name + ": " + identity(at: index))
        }
    }

    /// Pushes a key gathered earlier; keys that are not strings or numbers cannot be pushed again
    /// and show as nil (a placeholder is pushed).
    private func push(_ key: InspectedKey) {
        let stack = vm.main
        switch key {
        case .string(let s): stack.pushString(s)
        case .integer(let i): stack.pushInteger(i)
        case .number(let d): stack.pushNumber(d)
        case .other(let text):
            if text == "true" || text == "false" { stack.pushBool(text == "true") } else { stack.pushNil() }
        }
    }

    private func errorFields(at index: Int32) -> [String: LuaValue] {
        let stack = vm.main
        var fields: [String: LuaValue] = [:]
        stack.pushNil()
        var scanned = 0
        while stack.next(table: index) {
            scanned += 1
            if scanned > 200 {
                stack.pop(2)
                break
            }
            if stack.type(at: -2) == .string, let key = stack.string(at: -2) {
                switch stack.type(at: -1) {
                case .string: fields[key] = stack.stringValue(at: -1)
                case .number:
                    fields[key] =
                        stack.isInteger(at: -1)
                        ? .integer(stack.integer(at: -1) ?? 0) : .number(stack.number(at: -1) ?? 0)
                case .boolean: fields[key] = .bool(stack.bool(at: -1))
                default: break
                }
            }
            stack.pop()
        }
        return fields
    }
}

extension LuaStack {
    /// `t[<top>]` without metamethods: replaces the key on top with the value.
    func rawGetTop(table: Int32) {
        lua_rawget(L, absolute(table))
    }
}
