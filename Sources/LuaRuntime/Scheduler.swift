/// Identifies one Lua coroutine driven by the scheduler (the main chunk is task 1).
typealias TaskID = Int

/// Work a coroutine waits for after yielding.
enum PendingOperation {
    /// Swift work run off the Lua thread; `limited` ones count against the in-flight cap.
    case async(limited: Bool, body: @Sendable () async throws -> LuaValue)
    /// Waiting for other tasks: all of them, or (unless `settle`) the first failure.
    case join(ids: [TaskID], settle: Bool)
}

/// What a task is resumed with.
enum ResumeInput {
    /// The function and its arguments are already on the thread's stack.
    case start(argumentCount: Int32)
    /// The outcome of an async operation: `true, value` or `false, error`.
    case result(Result<LuaValue, any Error>)
    /// `true, {pack...}` for the joined tasks, in order.
    case joined([TaskID])
    /// `false, error` of the task that failed first.
    case joinFailed(TaskID)
}

/// A task waiting for other tasks: counts what is still running, so each completion costs O(1)
/// (`all` over 50 000 functions would otherwise rescan every id at every completion).
final class JoinWait {
    let joiner: TaskID
    let ids: [TaskID]
    let settle: Bool
    /// Entries of `ids` whose task is not done yet.
    var remaining = 0
    /// The first entry that failed or was cancelled (decides the join unless `settle`).
    var firstFailure: TaskID?
    var resolved = false

    init(joiner: TaskID, ids: [TaskID], settle: Bool) {
        self.joiner = joiner
        self.ids = ids
        self.settle = settle
    }

    /// What the joiner is resumed with now, or nil while it must keep waiting.
    var decision: ResumeInput? {
        if let failed = firstFailure, !settle { return .joinFailed(failed) }
        return remaining == 0 ? .joined(ids) : nil
    }
}

/// One coroutine's bookkeeping. Lua values stay in the registry (`*Ref` slots).
final class TaskRecord {
    enum State {
        case ready(ResumeInput)
        case waitingOperation(token: Int)
        case waitingJoin(JoinWait)
        case finished
        case failed
        case cancelled
    }

    let id: TaskID
    let parent: TaskID?
    let threadRef: Int32
    let thread: LuaStack
    var state: State
    var children: Set<TaskID> = []
    /// Joins that wait for this task (once per occurrence of its id in the join).
    var joiners: [JoinWait] = []
    /// `{ok = true, n = k, ...}` once finished.
    var resultRef: Int32?
    /// The error value once failed.
    var errorRef: Int32?
    var failureMessage = ""
    var failureTraceback = ""
    /// The failure of a task this one waited for, as delivered to it: if this task then fails with
    /// the same message (it raised it again), its traceback starts with the origin's.
    var receivedFailure: (message: String, traceback: String)?
    /// Whether some task received this task's outcome (failures nobody joined fail the run).
    var joined = false
    /// Whether its coroutine was closed (its to-be-closed variables ran) and released.
    var closed = false
    /// Whether nothing can wait for it any more (its handle was collected, or `all`
    /// delivered its outcome): once done, its record and results are dropped.
    var released = false

    init(id: TaskID, parent: TaskID?, threadRef: Int32, thread: LuaStack, argumentCount: Int32) {
        self.id = id
        self.parent = parent
        self.threadRef = threadRef
        self.thread = thread
        self.state = .ready(.start(argumentCount: argumentCount))
    }

    var isDone: Bool {
        switch state {
        case .finished, .failed, .cancelled: return true
        default: return false
        }
    }
}

/// Task and operation bookkeeping for one VM: which coroutines are ready, what each waits for.
/// Pure state; `ScriptRunner` performs the resumes and the Swift work.
final class Scheduler {
    private(set) var tasks: [TaskID: TaskRecord] = [:]
    private var readyQueue: [TaskID] = []
    private var readyHead = 0
    private var nextTaskID = 1
    private var operations: [Int: PendingOperation] = [:]
    private var nextOperationID = 1
    /// Tasks not yet finished, failed or cancelled.
    private(set) var liveCount = 0

    func makeTaskID() -> TaskID {
        defer { nextTaskID += 1 }
        return nextTaskID
    }

    func add(_ task: TaskRecord) {
        tasks[task.id] = task
        liveCount += 1
        if let parent = task.parent { tasks[parent]?.children.insert(task.id) }
        readyQueue.append(task.id)
    }

    /// Registers an operation a coroutine is about to yield; returns its id.
    func register(_ operation: PendingOperation) -> Int {
        defer { nextOperationID += 1 }
        operations[nextOperationID] = operation
        return nextOperationID
    }

    func takeOperation(_ id: Int) -> PendingOperation? { operations.removeValue(forKey: id) }

    func makeReady(_ id: TaskID, with input: ResumeInput) {
        guard let task = tasks[id], !task.isDone else { return }
        task.state = .ready(input)
        readyQueue.append(id)
    }

    /// The next task to resume, skipping tasks cancelled while queued.
    func popReady() -> TaskRecord? {
        while readyHead < readyQueue.count {
            let id = readyQueue[readyHead]
            readyHead += 1
            if readyHead > 1024 && readyHead * 2 > readyQueue.count {
                readyQueue.removeFirst(readyHead)
                readyHead = 0
            }
            if let task = tasks[id], case .ready = task.state { return task }
        }
        return nil
    }

    func markDone(_ task: TaskRecord, _ state: TaskRecord.State) {
        if !task.isDone { liveCount -= 1 }
        task.state = state
    }

    /// Starts a join for `joiner` over `ids`, counting the entries still running (O(n) once).
    /// The ids were checked when the join was registered (`joinRefusal`).
    func startJoin(joiner: TaskID, ids: [TaskID], settle: Bool) -> JoinWait {
        let wait = JoinWait(joiner: joiner, ids: ids, settle: settle)
        for id in ids {
            guard let target = tasks[id], id != joiner else { continue }
            switch target.state {
            case .failed, .cancelled: if wait.firstFailure == nil { wait.firstFailure = id }
            case .finished: break
            default:
                wait.remaining += 1
                target.joiners.append(wait)
            }
        }
        return wait
    }

    /// Updates the joins waiting for `task`, which just ended; returns those that can now resume.
    func completed(_ task: TaskRecord) -> [JoinWait] {
        var ready: [JoinWait] = []
        let failed: Bool
        switch task.state {
        case .failed, .cancelled: failed = true
        default: failed = false
        }
        for wait in task.joiners where !wait.resolved {
            wait.remaining -= 1
            if failed && wait.firstFailure == nil { wait.firstFailure = task.id }
            if wait.decision != nil {
                wait.resolved = true
                ready.append(wait)
            }
        }
        task.joiners.removeAll()
        return ready
    }

    /// Why `joiner` may not wait for `id`, or nil: a task waiting for itself, or for an id that
    /// names no task of this run (a forged handle), would wait forever.
    func joinRefusal(joiner: TaskID?, id: TaskID) -> String? {
        if id == joiner { return "a task cannot wait for itself (task \(id))" }
        if tasks[id] == nil { return "no task \(id) in this run (a forged or foreign task handle)" }
        return nil
    }

    /// Whether every live task waits for another task while nothing else can wake any of them:
    /// no task is ready and no operation is running or queued. Such a run would wait forever.
    func isStuck(operationsPending: Bool) -> Bool {
        guard !operationsPending, liveCount > 0, readyHead >= readyQueue.count else { return false }
        return true
    }

    /// Forgets every task and operation (the ids keep counting up, so an old handle names no task).
    /// For hosts that run several chunks in one state: each starts from an empty scheduler.
    func reset() {
        tasks.removeAll()
        readyQueue.removeAll()
        readyHead = 0
        operations.removeAll()
        liveCount = 0
    }

    func forget(_ id: TaskID) {
        guard let task = tasks.removeValue(forKey: id) else { return }
        if let parent = task.parent { tasks[parent]?.children.remove(id) }
    }
}
