import ChorusAPI
import ChorusTestSupport
import Foundation
@testable import HostCore
import Logging

/// A workflow runner whose runs do what the test planned: succeed, fail with a code, block until
/// released (or cancelled), or hang even when cancelled. It counts starts and concurrent runs.
final class TestRunner: WorkflowRunner, @unchecked Sendable {
    enum Step: Sendable {
        case succeed([String])
        case fail(code: String?, message: String, lines: [String])
        /// Waits for `release()`; answers `.cancelled` when cancelled first.
        case block
        /// Ignores cancellation until `releaseHung()`.
        case hang
    }

    let workflows: [WorkflowDeclaration]
    private let lock = NSLock()
    private var plans: [String: [Step]]
    private var startedIDs: [String] = []
    private var running = 0
    private var mostRunning = 0
    private let gate = Latch()
    private let hangGate = Latch()

    init(_ workflows: [WorkflowDeclaration], plans: [String: [Step]] = [:]) {
        self.workflows = workflows
        self.plans = plans
    }

    var started: [String] { lock.withLock { startedIDs } }
    var maxConcurrent: Int { lock.withLock { mostRunning } }
    var runningNow: Int { lock.withLock { running } }

    func release() { gate.trigger() }
    func releaseHung() { hangGate.trigger() }

    func declarations() async throws -> [WorkflowDeclaration] { workflows }

    func run(_ workflow: WorkflowDeclaration, log: @escaping @Sendable (String) -> Void) async -> WorkflowOutcome {
        let step: Step = lock.withLock {
            startedIDs.append(workflow.id)
            running += 1
            mostRunning = max(mostRunning, running)
            if var plan = plans[workflow.id], !plan.isEmpty {
                let step = plan.removeFirst()
                plans[workflow.id] = plan
                return step
            }
            return .succeed([])
        }
        defer { lock.withLock { running -= 1 } }
        switch step {
        case .succeed(let lines):
            lines.forEach(log)
            return .succeeded
        case .fail(let code, let message, let lines):
            lines.forEach(log)
            return .failed(code: code, message: message)
        case .block:
            log("working")
            await gate.wait()
            return Task.isCancelled ? .cancelled : .succeeded
        case .hang:
            log("stuck")
            await hangGate.waitIgnoringCancellation()
            return .cancelled
        }
    }
}

/// A scheduler on a virtual clock, with its records and locks in a temporary folder.
struct SchedulerHarness {
    let folder: URL
    let clock: VirtualClock
    let store: RunStore
    var locks: URL { folder.appendingPathComponent("locks") }
    var storePath: String { folder.appendingPathComponent("schedule.sqlite").path }

    init(start: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-schedule-\(UUID().uuidString)")
        clock = VirtualClock(start: utc(start))
        store = try RunStore(path: folder.appendingPathComponent("schedule.sqlite").path)
    }

    func scheduler(
        _ runner: TestRunner, options: SchedulerOptions = SchedulerOptions(), secrets: [String] = [],
        store: RunStore? = nil
    ) -> Scheduler {
        var logger = Logger(label: "test.schedule")
        logger.logLevel = .critical
        return Scheduler(
            runner: runner, store: store ?? self.store, lockDirectory: locks, clock: clock, options: options,
            redactor: Redactor(secrets: secrets), logger: logger)
    }

    /// The records, oldest first.
    func runs(_ workflow: String? = nil) throws -> [RunRecord] {
        try store.runs(workflow: workflow, limit: 1000).reversed()
    }

    /// Waits (real time, generous) until `condition` holds on the records.
    func until(_ condition: ([RunRecord]) -> Bool) async -> Bool {
        await VirtualClock.eventually { (try? condition(runs())) ?? false }
    }
}

extension WorkflowDeclaration {
    static func every(_ name: String, _ seconds: Int) -> WorkflowDeclaration {
        WorkflowDeclaration(plugin: "test", name: name, timing: .every(seconds: seconds), timeZone: "UTC")
    }

    static func cron(_ name: String, _ expression: String, zone: String = "Europe/Paris") -> WorkflowDeclaration {
        WorkflowDeclaration(plugin: "test", name: name, timing: .cron(expression), timeZone: zone)
    }
}
