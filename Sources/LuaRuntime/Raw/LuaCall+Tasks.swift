import CLua

extension LuaCall {
    /// Registers Swift work for the calling coroutine to wait for and pushes its id. Only for
    /// functions documented with `yields: true`, whose Lua wrapper yields the id to the driver.
    /// - Parameter limited: counts against the run's cap on operations in flight (I/O); timers pass false.
    public func startOperation(limited: Bool = true, _ body: @escaping @Sendable () async throws -> LuaValue) -> Int32 {
        let id = vm.scheduler.register(.async(limited: limited, body: body))
        stack.pushInteger(Int64(id))
        return 1
    }

    /// Starts argument `i` (a function) with the arguments after it as a new task; pushes its id.
    func spawnTask(functionAt i: Int32) throws(LuaScriptError) -> Int32 {
        let argumentCount = argumentCount - i
        let parent = vm.currentTaskID
        let id = try vm.createTask(from: stack, functionIndex: i, argumentCount: argumentCount, parent: parent)
        stack.pushInteger(Int64(id))
        return 1
    }

    /// Forgets task `id` once done (see `LuaVM.releaseTask`).
    func releaseTask(_ id: TaskID) { vm.releaseTask(id) }

    /// Registers a wait for the tasks whose ids are in table argument `i`; pushes the operation id.
    func startJoin(idsAt i: Int32, settle: Bool) throws(LuaScriptError) -> Int32 {
        var ids: [TaskID] = []
        guard type(i) == .table else { throw LuaScriptError("internal error: join needs a table of task ids") }
        let count = stack.rawLength(at: i)
        if count > 0 {
            for index in 1...count {
                stack.rawGet(table: i, index: Int64(index))
                let id = stack.integer(at: -1)
                stack.pop()
                guard let id, let taskID = TaskID(exactly: id) else {
                    throw LuaScriptError("a task handle has no valid id", addsPosition: false)
                }
                if let refusal = vm.scheduler.joinRefusal(joiner: vm.currentTaskID, id: taskID) {
                    throw LuaScriptError(refusal, addsPosition: false)
                }
                ids.append(taskID)
            }
        }
        let id = vm.scheduler.register(.join(ids: ids, settle: settle))
        stack.pushInteger(Int64(id))
        return 1
    }
}
