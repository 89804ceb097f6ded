import Foundation

/// Runs one script in its own `LuaVM`: loads it, drives its coroutines, performs their pending
/// operations concurrently off the Lua thread, and enforces the deadline and cancellation.
/// The VM never leaves this actor; only `LuaValue`s and Swift errors cross an `await`.
public actor ScriptRunner {
    let vm: LuaVM
    /// The shipped chunks this run's state loaded from bytecode and from text (for the tests).
    var chunksLoaded: (fromBytecode: [String], fromText: [String]) { vm.chunksLoaded }
    private let events: AsyncStream<DriverEvent>
    private let eventSink: AsyncStream<DriverEvent>.Continuation
    /// Cancels the run from any thread (signal handlers, parent tasks).
    public nonisolated let canceller: RunCanceller
    private var inFlight: [Int: (task: TaskID, work: Task<Void, Never>, limited: Bool)] = [:]
    /// Operations cancelled while the run goes on (a failed join), until they end: an early end of the
    /// run waits for them too.
    private var cancelledInFlight: [Int: Task<Void, Never>] = [:]
    private var queuedOperations: [(token: Int, task: TaskID, body: @Sendable () async throws -> LuaValue)] = []
    private var queuedHead = 0
    private var limitedInFlight = 0
    private var nextToken = 1
    private var fences = 0

    /// Creates the VM with `libraries` installed (the core utilities are always there).
    public init(options: LuaRunOptions, libraries: [LuaLibrary] = []) throws(LuaError) {
        let vm = try LuaVM(options: options, libraries: CoreLibrary.libraries(options: options) + libraries)
        self.vm = vm
        (events, eventSink) = AsyncStream.makeStream(of: DriverEvent.self)
        canceller = RunCanceller(vm: vm.canceller, sink: eventSink)
    }

    /// Everything installed, by dotted name, for help and stubs.
    public var documentation: [String: FunctionDoc] { vm.documentation }

    /// One-line summaries of the installed tables, by dotted path.
    public var librarySummaries: [String: String] { vm.librarySummaries }

    /// Reads, compiles and runs the script at `path`, with `arguments` as `...` and in `arg`.
    /// - Parameter command: the words that ran the script, shown as `arg[-n..-1]` (e.g. the program and its subcommand).
    /// - Returns: the values the main chunk returned.
    public func runFile(
        _ path: String, arguments: [String] = [], command: [String] = [], chunkName: String? = nil
    ) async throws(LuaError) -> [LuaValue] {
        let source = try ScriptFile.read(path)
        try vm.setScriptArguments(script: path, arguments: arguments, command: command)
        return try await run(source: source, chunkName: chunkName ?? path, arguments: arguments.map { .string($0) })
    }

    /// Compiles and runs `source` as the main chunk.
    public func run(source: [UInt8], chunkName: String, arguments: [LuaValue] = []) async throws(LuaError) -> [LuaValue] {
        let vm = vm
        return try await runMain(source: source, chunkName: chunkName, arguments: arguments) { vm.results(of: $0) }
    }

    /// Compiles and runs `source` as the main chunk; `finished` reads the main task's results while
    /// they are still in the state.
    func runMain<Results>(
        source: [UInt8], chunkName: String, arguments: [LuaValue], finished: (TaskRecord) -> Results
    ) async throws(LuaError) -> Results {
        try vm.loadChunk(source, chunkName: chunkName)
        guard arguments.count < LuaVM.maximumTaskArguments, vm.main.ensure(Int32(arguments.count) + 2) else {
            vm.main.setTop(0)
            throw LuaError.script(path: chunkName, reason: "too many arguments (\(arguments.count))")
        }
        for argument in arguments { vm.main.push(argument, vm.conversion) }
        let mainID: TaskID
        do {
            mainID = try vm.createTask(from: vm.main, functionIndex: -(Int32(arguments.count) + 1), argumentCount: Int32(arguments.count), parent: nil)
        } catch {
            vm.main.setTop(0)
            throw LuaError.script(path: chunkName, reason: error.message)
        }
        vm.main.setTop(0)
        let watchdog = startWatchdog()
        defer {
            watchdog?.cancel()
            stopAllOperations()
        }
        do throws(LuaError) {
            return try await drive(mainID: mainID, finished: finished)
        } catch {
            // When the run ends early (Ctrl-C, an error, an exit), the operations in flight are cancelled
            // and get a moment to record how they ended (a host that keeps a journal of its writes marks
            // one whose answer is lost) before the process exits. Not past the deadline: it is a promise.
            if case .timeout = error {} else { await drainOperations(within: ScriptRunner.drainBudget) }
            // Ctrl-C: the script's <close> variables still run (files flushed, locks released).
            if case .cancelled = error { vm.closePendingTasks(within: ScriptRunner.closeBudget) }
            // An exit asked for by the script closes them too, then ends the run with its code.
            if case .exit = error { vm.closePendingTasks(within: ScriptRunner.closeBudget) }
            throw error
        }
    }

    /// How long the `<close>` handlers of a cancelled run may take in all.
    static let closeBudget = 1.0
    /// How long the operations of a run ended early may take in all to end once cancelled.
    static let drainBudget = 1.0

    /// Runs `source` given as text.
    public func run(_ source: String, chunkName: String = "=(script)") async throws(LuaError) -> [LuaValue] {
        try await run(source: Array(source.utf8), chunkName: chunkName)
    }

    // MARK: The driver loop

    private func drive<Results>(mainID: TaskID, finished: (TaskRecord) -> Results) async throws(LuaError) -> Results {
        let scheduler = vm.scheduler
        var iterator = events.makeAsyncIterator()
        var unjoinedFailure: TaskRecord?
        while true {
            while let task = scheduler.popReady() {
                guard case .ready(let input) = task.state else { continue }
                vm.currentTaskID = task.id
                let outcome = vm.resume(task, input: input)
                vm.currentTaskID = nil
                switch outcome {
                case .pending(let operationID):
                    wait(task, on: operationID)
                case .finished:
                    scheduler.markDone(task, .finished)
                    vm.closeThread(of: task)
                    notifyJoiners(of: task)
                    vm.forgetIfReleased(task)
                case .failed:
                    scheduler.markDone(task, .failed)
                    if vm.killReasonIsSet || task.id == mainID { throw finalError(task) }
                    notifyJoiners(of: task)
                    if task.joiners.isEmpty && task.parent != nil && !task.joined { unjoinedFailure = unjoinedFailure ?? task }
                    vm.closeThread(of: task)
                    vm.forgetIfReleased(task)
                }
            }
            guard let main = scheduler.tasks[mainID] else {
                throw LuaError.runtime(message: "internal error: the main task is gone", traceback: "", value: nil)
            }
            if main.isDone && scheduler.liveCount == 0 {
                if let failure = unjoinedFailure, !failure.joined { throw vm.luaError(for: failure) }
                let results = finished(main)
                for task in scheduler.tasks.values { vm.releaseResults(of: task) }
                return results
            }
            if inFlight.isEmpty && queuedHead >= queuedOperations.count && scheduler.liveCount > 0 {
                throw LuaError.runtime(message: stuckMessage(), traceback: "", value: nil)
            }
            guard let event = await iterator.next() else { throw LuaError.cancelled }
            switch event {
            case .completed(let token, let result):
                guard let entry = inFlight.removeValue(forKey: token) else {
                    cancelledInFlight[token] = nil
                    continue
                }
                if entry.limited {
                    limitedInFlight -= 1
                    startQueuedOperations()
                }
                scheduler.makeReady(entry.task, with: .result(result))
            case .timedOut:
                vm.killForTimeout()
                throw LuaError.timeout(seconds: vm.options.timeout ?? 0, traceback: "")
            case .cancelled:
                vm.killForCancel()
                throw LuaError.cancelled
            case .fence:
                continue
            }
        }
    }

    /// Why the run can never go on: every live task waits for another task, nothing is pending.
    private func stuckMessage() -> String {
        let waiting = vm.scheduler.tasks.values.filter { !$0.isDone }.sorted { $0.id < $1.id }
        let shown = waiting.prefix(5).map { task -> String in
            guard case .waitingJoin(let join) = task.state else { return "task \(task.id)" }
            let targets = join.ids.filter { vm.scheduler.tasks[$0]?.isDone == false }
            return "task \(task.id) waits for task" + (targets.count == 1 ? " " : "s ")
                + targets.prefix(3).map(String.init).joined(separator: ", ") + (targets.count > 3 ? ", ..." : "")
        }
        return "deadlock: every task is waiting for another task and nothing else is pending, so the run "
            + "would wait forever (" + shown.joined(separator: "; ") + (waiting.count > 5 ? "; ..." : "") + ")"
    }

    private func finalError(_ task: TaskRecord) -> LuaError {
        vm.luaError(for: task)
    }

    private func wait(_ task: TaskRecord, on operationID: Int) {
        switch vm.scheduler.takeOperation(operationID) {
        case .async(let limited, let body):
            let token = nextToken
            nextToken += 1
            task.state = .waitingOperation(token: token)
            if limited && limitedInFlight >= max(1, vm.options.maxInFlight) {
                queuedOperations.append((token, task.id, body))
            } else {
                launch(token: token, task: task.id, limited: limited, body: body)
            }
        case .join(let ids, let settle):
            let join = vm.scheduler.startJoin(joiner: task.id, ids: ids, settle: settle)
            task.state = .waitingJoin(join)
            if join.decision != nil {
                join.resolved = true
                resolve(join)
            }
        case nil:
            vm.scheduler.makeReady(task.id, with: .result(.failure(LuaScriptError("internal error: unknown pending operation"))))
        }
    }

    private func launch(token: Int, task: TaskID, limited: Bool, body: @escaping @Sendable () async throws -> LuaValue) {
        if limited { limitedInFlight += 1 }
        let sink = eventSink
        let work = Task {
            let result: Result<LuaValue, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            sink.yield(.completed(token: token, result: result))
        }
        inFlight[token] = (task, work, limited)
    }

    private func startQueuedOperations() {
        while queuedHead < queuedOperations.count && limitedInFlight < max(1, vm.options.maxInFlight) {
            let next = queuedOperations[queuedHead]
            queuedHead += 1
            guard let task = vm.scheduler.tasks[next.task], case .waitingOperation(let token) = task.state, token == next.token else { continue }
            launch(token: next.token, task: next.task, limited: true, body: next.body)
        }
        if queuedHead == queuedOperations.count {
            queuedOperations.removeAll(keepingCapacity: true)
            queuedHead = 0
        }
    }

    private func notifyJoiners(of task: TaskRecord) {
        for join in vm.scheduler.completed(task) { resolve(join) }
    }

    /// Resumes a task whose join is decided; on a first failure (without `settle`) the other
    /// joined tasks are cancelled.
    private func resolve(_ join: JoinWait) {
        guard let decision = join.decision, let joiner = vm.scheduler.tasks[join.joiner],
            case .waitingJoin(let current) = joiner.state, current === join
        else { return }
        if case .joinFailed(let failedID) = decision {
            for id in join.ids where id != failedID { cancel(id) }
        }
        vm.scheduler.makeReady(joiner.id, with: decision)
    }

    /// Cancels a task and everything it started.
    private func cancel(_ id: TaskID) {
        guard let task = vm.scheduler.tasks[id], !task.isDone else { return }
        if case .waitingOperation(let token) = task.state, let entry = inFlight.removeValue(forKey: token) {
            entry.work.cancel()
            cancelledInFlight[token] = entry.work
            if entry.limited {
                limitedInFlight -= 1
                startQueuedOperations()
            }
        }
        vm.scheduler.markDone(task, .cancelled)
        for child in task.children { cancel(child) }
        vm.closeThread(of: task)
        notifyJoiners(of: task)
        vm.forgetIfReleased(task)
    }

    /// Cancels the operations in flight and waits until they have all ended, or `seconds` passed.
    private func drainOperations(within seconds: Double) async {
        let works = inFlight.values.map(\.work) + cancelledInFlight.values
        cancelledInFlight.removeAll()
        stopAllOperations()
        guard !works.isEmpty else { return }
        let once = ResumeOnce()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            once.set(continuation)
            Task {
                for work in works { await work.value }
                once.resume()
            }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                once.resume()
            }
        }
    }

    private func stopAllOperations() {
        for entry in inFlight.values { entry.work.cancel() }
        inFlight.removeAll()
        limitedInFlight = 0
        queuedOperations.removeAll()
        queuedHead = 0
    }

    /// Drops the events left from an earlier run (a Ctrl-C that came as it ended, its watchdog), so
    /// they do not stop the next one. For hosts that run several chunks in one state.
    func discardStaleEvents() async {
        fences += 1
        let fence = fences
        eventSink.yield(.fence(fence))
        var iterator = events.makeAsyncIterator()
        while let event = await iterator.next() {
            if case .fence(let seen) = event, seen == fence { return }
        }
    }

    private func startWatchdog() -> Task<Void, Never>? {
        guard let timeout = vm.options.timeout, timeout > 0, timeout <= LuaRunOptions.maximumSeconds else { return nil }
        let sink = eventSink
        return Task {
            try? await Task.sleep(for: .seconds(timeout))
            if !Task.isCancelled { sink.yield(.timedOut) }
        }
    }
}

/// Events that wake the driver.
enum DriverEvent: Sendable {
    case completed(token: Int, result: Result<LuaValue, any Error>)
    case timedOut
    case cancelled
    /// Marks a point in the stream (`discardStaleEvents`).
    case fence(Int)
}

/// Cancels a run from any thread: Lua code stops at its next check, waits end at once.
public struct RunCanceller: Sendable {
    let vm: Canceller
    let sink: AsyncStream<DriverEvent>.Continuation

    /// Stops the run; it ends with `LuaError.cancelled`.
    public func cancel() {
        vm.cancel()
        sink.yield(.cancelled)
    }
}

/// Resumes a continuation once, whichever of several racers comes first.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?

    func set(_ continuation: CheckedContinuation<Void, Never>) { lock.withLock { self.continuation = continuation } }

    func resume() {
        let pending = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume()
    }
}
