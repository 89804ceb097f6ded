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

/// One coroutine's bookkeeping. Lua values stay in the registry (`*Ref` slots).
final class TaskRecord {
    enum State {
        case ready(ResumeInput)
        case waitingOperation(token: Int)
        case waitingJoin(ids: [TaskID], settle: Bool)
        case finished
        case failed
        case cancelled
    }

    let id: TaskID
    let parent: TaskID?
    let threadRef: Int32
    let thread: LuaStack
    var state: State
    var children: [TaskID] = []
    var joiners: [TaskID] = []
    /// `{ok = true, n = k, ...}` once finished.
    var resultRef: Int32?
    /// The error value once failed.
    var errorRef: Int32?
    var failureMessage = ""
    var failureTraceback = ""
    /// Whether some task received this task's outcome (failures nobody joined fail the run).
    var joined = false

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
        if let parent = task.parent { tasks[parent]?.children.append(task.id) }
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

    /// What a join waiting on `ids` should do now: nothing yet, deliver packs, or deliver a failure.
    func joinDecision(ids: [TaskID], settle: Bool) -> ResumeInput? {
        var allDone = true
        for id in ids {
            guard let target = tasks[id] else { continue }
            switch target.state {
            case .failed, .cancelled: if !settle { return .joinFailed(id) }
            case .finished: continue
            default: allDone = false
            }
        }
        return allDone ? .joined(ids) : nil
    }

    func forget(_ id: TaskID) { tasks.removeValue(forKey: id) }
}
