import CLua
import CLuaShims

/// What one resume of a task produced.
enum ResumeOutcome {
    /// The task yielded a pending operation (registered under this id).
    case pending(operation: Int)
    case finished
    /// The task raised an error (its value, message and traceback are stored on the record).
    case failed
}

extension LuaVM {
    /// Bound on the values passed to a new task (each is copied twice on a Lua stack).
    static let maximumTaskArguments: Int32 = 100_000

    /// Loads a script file's text as the main chunk; the function is left on the main stack.
    func loadChunk(_ source: [UInt8], chunkName: String) throws(LuaError) {
        let status = LuaStack.load(L, source, chunkName: "@" + chunkName)
        guard status == LUA_OK else {
            let message = main.describe(at: -1)
            main.pop()
            if status == LUA_ERRMEM {
                throw LuaError.memory(limitBytes: options.memoryLimit ?? 0, traceback: "")
            }
            throw LuaError.syntax(chunk: chunkName, line: LuaVM.lineNumber(in: message, chunk: chunkName), message: message)
        }
    }

    static func lineNumber(in message: String, chunk: String) -> Int? {
        guard message.hasPrefix(chunk + ":") else { return nil }
        let rest = message.dropFirst(chunk.count + 1)
        return Int(rest.prefix { $0.isNumber })
    }

    /// Creates a task running the function at `functionIndex` of `source` with the `argumentCount`
    /// values after it (all are copied; `source` is left unchanged).
    /// - Throws: when either stack cannot grow to hold the arguments (Lua's stack holds about a
    ///   million values; `spawn(f, table.unpack(big))` reaches that).
    func createTask(from source: LuaStack, functionIndex: Int32, argumentCount: Int32, parent: TaskID?) throws(LuaScriptError) -> TaskID {
        let function = source.absolute(functionIndex)
        guard argumentCount < LuaVM.maximumTaskArguments, source.ensure(argumentCount + 2) else {
            throw LuaScriptError("too many arguments for a task (\(argumentCount); at most \(LuaVM.maximumTaskArguments - 1)): pass them in a table", addsPosition: false)
        }
        guard let co = lua_newthread(source.L) else { fatalError("lua_newthread returned NULL") }
        let threadRef = ref(from: source)
        let thread = LuaStack(L: co)
        guard thread.ensure(argumentCount + 2) else {
            unref(threadRef)
            throw LuaScriptError("too many arguments for a task (\(argumentCount)): the Lua stack cannot hold them; pass them in a table", addsPosition: false)
        }
        for offset in 0...argumentCount { source.pushValue(at: function + offset) }
        source.move(to: thread, count: argumentCount + 1)
        let id = scheduler.makeTaskID()
        scheduler.add(TaskRecord(id: id, parent: parent, threadRef: threadRef, thread: thread, argumentCount: argumentCount))
        return id
    }

    /// Resumes `task` with the input it is ready with.
    func resume(_ task: TaskRecord, input: ResumeInput) -> ResumeOutcome {
        let co = task.thread
        _ = co.ensure(4)
        var argumentCount: Int32 = 2
        switch input {
        case .start(let count):
            argumentCount = count
        case .result(.success(let value)):
            co.pushBool(true)
            co.push(value, conversion)
        case .result(.failure(let error)):
            co.pushBool(false)
            pushHostError(error, on: co)
        case .joined(let ids):
            for id in ids where task.receivedFailure == nil {
                if let joined = scheduler.tasks[id], case .failed = joined.state {
                    task.receivedFailure = (joined.failureMessage, joined.failureTraceback)
                }
            }
            co.pushBool(true)
            co.newTable(arrayCount: Int32(clamping: ids.count))
            for (i, id) in ids.enumerated() {
                pushPack(of: id, on: co)
                co.rawSet(table: -2, index: Int64(i + 1))
            }
        case .joinFailed(let id):
            co.pushBool(false)
            if let failed = scheduler.tasks[id], let errorRef = failed.errorRef {
                failed.joined = true
                task.receivedFailure = (failed.failureMessage, failed.failureTraceback)
                co.pushRef(errorRef)
            } else {
                co.pushString("task cancelled")
            }
        }
        var resultCount: Int32 = 0
        let status = clh_resume(co.L, nil, argumentCount, &resultCount)
        switch status {
        case LUA_YIELD:
            defer { co.pop(resultCount) }
            if resultCount == 2, co.isInteger(at: -1) {
                co.pushRef(pendingMarker)
                let isPending = co.rawEqual(-1, -3)
                co.pop()
                if isPending, let id = co.integer(at: -1) { return .pending(operation: Int(id)) }
            }
            co.pushString("attempt to yield from outside a coroutine (coroutine.yield was called in a task's main function)")
            recordFailure(task, errorAtTop: co)
            return .failed
        case LUA_OK:
            co.newTable(arrayCount: resultCount, recordCount: 2)
            co.insert(at: -(resultCount + 1))
            for i in stride(from: resultCount, through: 1, by: -1) { co.rawSet(table: -(i + 1), index: Int64(i)) }
            co.pushBool(true)
            co.rawSet(table: -2, key: "ok")
            co.pushInteger(Int64(resultCount))
            co.rawSet(table: -2, key: "n")
            task.resultRef = ref(from: co)
            return .finished
        default:
            recordFailure(task, errorAtTop: co)
            return .failed
        }
    }

    /// Stores the error on top of the failed thread, with its message and traceback.
    private func recordFailure(_ task: TaskRecord, errorAtTop co: LuaStack) {
        let message = co.describe(at: -1)
        task.failureMessage = message
        // The traceback alone (without the message, which the error already carries).
        if clh_traceback(L, co.L, nil, 0) == LUA_OK {
            let text = main.string(at: -1) ?? ""
            task.failureTraceback = text.hasPrefix("\n") ? String(text.dropFirst()) : text
        }
        // A failure that surfaced here from a joined task keeps that task's traceback.
        if let origin = task.receivedFailure, origin.message == message, !origin.traceback.isEmpty {
            task.failureTraceback = origin.traceback + "\n(raised again in the waiting task)\n" + task.failureTraceback
        }
        main.pop()
        task.errorRef = ref(from: co)
    }

    /// Pushes `{ok = true, n, ...}` or `{ok = false, err = value}` for a done task.
    private func pushPack(of id: TaskID, on stack: LuaStack) {
        guard let task = scheduler.tasks[id] else {
            stack.newTable()
            return
        }
        task.joined = true
        if let resultRef = task.resultRef {
            stack.pushRef(resultRef)
            return
        }
        stack.newTable()
        stack.pushBool(false)
        stack.rawSet(table: -2, key: "ok")
        if let errorRef = task.errorRef { stack.pushRef(errorRef) } else { stack.pushString("task cancelled") }
        stack.rawSet(table: -2, key: "err")
    }

    /// Closes a task's coroutine (running its pending to-be-closed variables) and drops it.
    func closeThread(of task: TaskRecord) {
        guard !task.closed else { return }
        task.closed = true
        _ = clh_closethread(task.thread.L, nil)
        task.thread.setTop(0)
        unref(task.threadRef)
    }

    /// Marks a task as unreachable from the script (`Task.__gc`, or `all` after delivering
    /// its outcome) and drops it if it is done, so a run spawning tasks in a loop stays flat.
    func releaseTask(_ id: TaskID) {
        guard !isClosing, let task = scheduler.tasks[id], task.parent != nil else { return }
        task.released = true
        forgetIfReleased(task)
    }

    /// Drops a released, done and closed task. A failure nobody received is kept: it still fails the run.
    func forgetIfReleased(_ task: TaskRecord) {
        guard task.released, task.isDone, task.closed else { return }
        if case .failed = task.state, !task.joined { return }
        releaseResults(of: task)
        scheduler.forget(task.id)
    }

    /// Releases what a done task still holds in the registry.
    func releaseResults(of task: TaskRecord) {
        if let r = task.resultRef { unref(r); task.resultRef = nil }
        if let e = task.errorRef { unref(e); task.errorRef = nil }
    }

    /// The final error of a failed task, as the host sees it.
    func luaError(for task: TaskRecord) -> LuaError {
        switch killReason {
        case CLH_KILL_TIMEOUT: return .timeout(seconds: options.timeout ?? 0, traceback: task.failureTraceback)
        case CLH_KILL_MEMORY: return .memory(limitBytes: options.memoryLimit ?? 0, traceback: task.failureTraceback)
        case CLH_KILL_CANCELLED: return .cancelled
        case CLH_KILL_EXIT: return .exit(code: exitRequest?.code ?? 1, message: exitRequest?.message)
        default: break
        }
        guard let errorRef = task.errorRef else { return .cancelled }
        let stack = main
        stack.pushRef(errorRef)
        defer { stack.pop() }
        if let swiftError = hostError(at: -1, on: stack) { return .host(swiftError, traceback: task.failureTraceback) }
        let value = try? stack.value(at: -1, conversion)
        return .runtime(message: task.failureMessage, traceback: task.failureTraceback, value: value)
    }

    /// The values a finished task returned, copied out (values that cannot be copied become nil).
    func results(of task: TaskRecord) -> [LuaValue] {
        withResults(of: task) { stack, count in
            (1...count).map { i in
                stack.rawGet(table: -1, index: i)
                defer { stack.pop() }
                return (try? stack.value(at: -1, conversion)) ?? .nil
            }
        } ?? []
    }

    /// Calls `body` with the task's packed results on top of the main stack (a table with `n`) and
    /// their count, when it returned at least one value; nil otherwise. The table is popped after.
    func withResults<T>(of task: TaskRecord, _ body: (LuaStack, Int64) -> T) -> T? {
        guard let resultRef = task.resultRef else { return nil }
        let stack = main
        stack.pushRef(resultRef)
        defer { stack.pop() }
        stack.rawGet(table: -1, key: "n")
        let count = stack.integer(at: -1) ?? 0
        stack.pop()
        guard count > 0 else { return nil }
        return body(stack, count)
    }

    /// After a cancelled run: runs the `<close>` variables of every task not yet closed, newest
    /// first, within `seconds` in all (a handler past it is stopped like any script code).
    func closePendingTasks(within seconds: Double) {
        clh_begin_teardown(L, seconds)
        for task in scheduler.tasks.values.sorted(by: { $0.id > $1.id }) where !task.closed {
            closeThread(of: task)
        }
        kill(CLH_KILL_CANCELLED)
    }

    var isKilledForTimeout: Bool { killReason == CLH_KILL_TIMEOUT }
    func killForTimeout() { kill(CLH_KILL_TIMEOUT) }
    func killForCancel() { kill(CLH_KILL_CANCELLED) }
}
