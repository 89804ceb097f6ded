import ChorusAPI
import Foundation
import Logging
import ServiceLifecycle

/// How the scheduler behaves; the defaults are the daemon's.
public struct SchedulerOptions: Sendable {
    /// Seconds running runs get to finish after shutdown begins, before they are cancelled.
    public var grace: Double
    /// Seconds a cancelled run gets to end before it is recorded cancelled anyway.
    public var cancelWait: Double
    /// The waits before each retry of a run that failed with a retryable code: 30 s, 2 min, 8 min.
    public var retryDelays: [Double]
    /// The bytes of log kept per run.
    public var logBudget: Int

    public init(grace: Double = 30, cancelWait: Double = 10, retryDelays: [Double] = [30, 120, 480], logBudget: Int = 16_384) {
        self.grace = grace
        self.cancelWait = cancelWait
        self.retryDelays = retryDelays
        self.logBudget = logBudget
    }

    /// The `chorus.Error` codes worth retrying: the platform or the network may answer later. A
    /// business, structure or authorization error would fail the same way again.
    public static let retryableCodes: Set<String> = ["NETWORK", "SERVER", "RATE_LIMITED"]
}

/// The scheduler: runs each workflow at its times, one run at a time per workflow (a lock shared by
/// every process on the machine), once after missed times, with retries on retryable errors, each
/// run recorded in a `RunStore`. A `Service` for swift-service-lifecycle: a graceful shutdown stops
/// new runs, gives running ones `grace` seconds, then cancels them and records them cancelled.
public final class Scheduler: Service, @unchecked Sendable {
    let runner: any WorkflowRunner
    public let store: RunStore
    let lockDirectory: URL
    let clock: any ChorusClock
    let options: SchedulerOptions
    let redactor: Redactor
    let logger: Logger
    let shutdown = Latch()

    let lock = NSLock()
    /// The runs in progress, by record id.
    var active: [Int64: ActiveRun] = [:]

    /// A run in progress: what shutdown needs to cancel it and, if it will not end, record it.
    final class ActiveRun: Sendable {
        let workflow: String
        let task: Task<Void, Never>
        let log: RunLog
        let done: Latch
        init(workflow: String, task: Task<Void, Never>, log: RunLog, done: Latch) {
            self.workflow = workflow
            self.task = task
            self.log = log
            self.done = done
        }
    }

    /// - Parameters:
    ///   - runner: lists and runs the workflows (the plugin host, or a test's).
    ///   - store: the run records, and the schedule's memory across restarts.
    ///   - lockDirectory: where the per-workflow lock files live (shared by every scheduler).
    ///   - redactor: masks the known secrets in log excerpts and errors.
    public init(
        runner: any WorkflowRunner, store: RunStore, lockDirectory: URL, clock: any ChorusClock = SystemClock(),
        options: SchedulerOptions = SchedulerOptions(), redactor: Redactor = Redactor(),
        logger: Logger = Logger(label: "chorus.schedule")
    ) {
        self.runner = runner
        self.store = store
        self.lockDirectory = lockDirectory
        self.clock = clock
        self.options = options
        self.redactor = redactor
        self.logger = logger
    }

    /// Runs every workflow at its times until a graceful shutdown (or `beginShutdown()`), then lets
    /// running runs finish within the grace, cancels the rest and returns once each is recorded.
    /// - Throws: what `runner.declarations()` throws.
    public func run() async throws {
        let workflows = try await scheduledWorkflows()
        logger.notice("scheduler started: \(workflows.count) workflow\(workflows.count == 1 ? "" : "s")")
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for (workflow, schedule) in workflows {
                    group.addTask { await self.loop(workflow, schedule) }
                }
                group.addTask {
                    await self.shutdown.wait()
                    await self.drain()
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: { [self] in
            beginShutdown()
        }
        logger.notice("scheduler stopped")
    }

    /// Stops taking new runs (what SIGTERM does); `run()` returns once the running ones are settled.
    public func beginShutdown() {
        guard !shutdown.isTriggered else { return }
        let running = lock.withLock { active.count }
        let grace = WorkflowSchedule.describe(seconds: Int(options.grace))
        logger.notice(
            running == 0
                ? "stopping: no new runs; none in progress"
                : "stopping: no new runs; \(running) in progress, given \(grace) to finish")
        shutdown.trigger()
    }

    /// The declarations with a valid schedule; the others are logged and left out.
    func scheduledWorkflows() async throws -> [(WorkflowDeclaration, WorkflowSchedule)] {
        var result: [(WorkflowDeclaration, WorkflowSchedule)] = []
        for declaration in try await runner.declarations() {
            do {
                result.append((declaration, try WorkflowSchedule(declaration)))
            } catch {
                logger.error("\(declaration.id) is not scheduled: \(error.message)")
            }
        }
        return result
    }

    /// One workflow's life: wait for its next time, run it, repeat. Times that pass while it runs
    /// are skipped (the run in progress covers them); after downtime, missed times run once.
    func loop(_ workflow: WorkflowDeclaration, _ schedule: WorkflowSchedule) async {
        var trigger = RunTrigger.schedule
        let now = clock.now()
        var cursor: Date?
        do { cursor = try store.cursor(workflow: workflow.id) } catch { logger.error("\(error.message)") }
        guard var next = schedule.next(after: cursor ?? now) else {
            logger.warning("\(workflow.id): \(schedule.summary) has no time in the next 5 years")
            return
        }
        if cursor != nil && next <= now {
            trigger = .catchUp
            logger.notice("\(workflow.id): missed its run of \(ChorusDate.timestamp(next)) while stopped; running it once now")
        }
        while !shutdown.isTriggered {
            let wait = next.timeIntervalSince(clock.now())
            if wait > 0 {
                guard await shutdown.sleep(wait, on: clock) else { return }
            }
            guard !shutdown.isTriggered else { return }
            do {
                _ = try await execute(workflow, slot: next, trigger: trigger, retries: true)
            } catch {
                logger.error("\(workflow.id): \(error.message)")
            }
            trigger = .schedule
            let ended = max(next, clock.now())
            guard let following = schedule.next(after: ended) else { return }
            if let skipped = schedule.next(after: next), skipped < following {
                logger.notice("\(workflow.id): skipped the times that passed while it ran (first: \(ChorusDate.timestamp(skipped)))")
            }
            next = following
        }
    }

    /// Why a run did not happen.
    public enum NotRun: Error, Sendable, Equatable {
        /// Another run of the workflow holds its lock (in this process or another, whose pid is given).
        case busy(holder: Int32?)
        /// Another scheduler already ran this time.
        case alreadyRan
        /// Shutdown had begun.
        case stopping
    }

    /// Runs `workflow` now (`chorus schedule once`): under its lock, recorded, without retries
    /// unless `retries`. Cancelling the calling task cancels the run, which is recorded cancelled.
    public func runOnce(_ workflow: WorkflowDeclaration, retries: Bool = false) async throws(ChorusError) -> Result<RunRecord, NotRun> {
        try await execute(workflow, slot: nil, trigger: .manual, retries: retries)
    }
}
