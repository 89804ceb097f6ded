import ChorusTestSupport
import Foundation
@testable import HostCore
import Testing

/// No overlapping runs of one workflow, within a scheduler, between two schedulers, and between
/// processes; and after downtime, one run for every missed time. All on a virtual clock: the test
/// waits until the scheduler sleeps, then moves time.
@Suite struct SchedulerOverlapTests {
    @Test func aSlowWorkflowNeverOverlapsItselfAndSkipsTheTimesItCovered() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:30Z")
        let runner = TestRunner([.every("slow", 60)], plans: ["test:slow": [.block]])
        let scheduler = harness.scheduler(runner)
        let daemon = Task { try await scheduler.run() }
        #expect(await harness.clock.untilSleeping())
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T10:01:00Z")
        harness.clock.advance(to: utc("2026-06-01T10:01:00Z"))
        #expect(await VirtualClock.eventually { runner.started.count == 1 })
        // Three more of its times pass while it runs: nothing sleeps, nothing else starts.
        for _ in 0..<3 { harness.clock.advance(by: 60) }
        #expect(harness.clock.sleeping == 0)
        #expect(runner.started.count == 1)
        runner.release()
        // Once it ends, the next time is the first after now (10:05), not one of those it covered.
        #expect(await harness.until { $0.first?.status == .succeeded })
        #expect(await harness.clock.untilSleeping())
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T10:05:00Z")
        harness.clock.advance(to: utc("2026-06-01T10:05:00Z"))
        #expect(await harness.until { $0.count == 2 && $0[1].status == .succeeded })
        #expect(runner.started == ["test:slow", "test:slow"])
        #expect(runner.maxConcurrent == 1)
        let runs = try harness.runs()
        #expect(runs.map { iso($0.scheduledFor) } == ["2026-06-01T10:01:00Z", "2026-06-01T10:05:00Z"])
        #expect(runs.map(\.trigger) == [.schedule, .schedule])
        scheduler.beginShutdown()
        try await daemon.value
    }

    @Test func twoSchedulersOnOneMachineRunEachTimeOnce() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:30Z")
        let runner = TestRunner([.every("shared", 60)], plans: ["test:shared": [.block]])
        // Two daemons: their own connections to the same records, the same lock folder.
        let first = harness.scheduler(runner)
        let second = harness.scheduler(runner, store: try RunStore(path: harness.storePath))
        let daemons = [Task { try await first.run() }, Task { try await second.run() }]
        #expect(await harness.clock.untilSleeping(2))
        harness.clock.advance(to: utc("2026-06-01T10:01:00Z"))
        #expect(await VirtualClock.eventually { runner.started.count == 1 })
        // The other one found the lock taken and went back to sleep until 10:02.
        #expect(await harness.clock.untilSleeping(1))
        runner.release()
        #expect(await harness.clock.untilSleeping(2))
        #expect(runner.started.count == 1)
        // At 10:02 both wake again: one runs, the other finds it locked or already run.
        harness.clock.advance(to: utc("2026-06-01T10:02:00Z"))
        #expect(await harness.until { $0.count == 2 && $0.allSatisfy { $0.status == .succeeded } })
        #expect(await harness.clock.untilSleeping(2))
        #expect(runner.started.count == 2)
        #expect(runner.maxConcurrent == 1)
        #expect(try harness.runs().map { iso($0.scheduledFor) } == ["2026-06-01T10:01:00Z", "2026-06-01T10:02:00Z"])
        first.beginShutdown()
        second.beginShutdown()
        for daemon in daemons { try await daemon.value }
    }

    @Test func runningOnceWhileTheDaemonRunsItIsRefused() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:30Z")
        let workflow = WorkflowDeclaration.every("slow", 60)
        let runner = TestRunner([workflow], plans: ["test:slow": [.block]])
        let daemon = harness.scheduler(runner)
        let task = Task { try await daemon.run() }
        #expect(await harness.clock.untilSleeping())
        harness.clock.advance(to: utc("2026-06-01T10:01:00Z"))
        #expect(await VirtualClock.eventually { runner.started.count == 1 })
        let result = try await harness.scheduler(runner).runOnce(workflow)
        #expect(result == .failure(.busy(holder: getpid())))
        runner.release()
        daemon.beginShutdown()
        try await task.value
        #expect(runner.started.count == 1)
    }

    /// The lock is a `flock` on a file: another process holding it (here `flock(1)`) keeps runs out.
    @Test func theLockHoldsAgainstAnotherProcess() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:30Z")
        let workflow = WorkflowDeclaration.every("guarded", 60)
        let runner = TestRunner([workflow])
        try FileManager.default.createDirectory(at: harness.locks, withIntermediateDirectories: true)
        let lockFile = harness.locks.appendingPathComponent(WorkflowLock.fileName(for: workflow.id)).path
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // --no-fork: `sleep` itself holds the lock, so terminating it releases the lock.
        holder.arguments = ["--no-fork", lockFile, "sleep", "120"]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        #expect(
            await VirtualClock.eventually {
                (try? WorkflowLock.acquire(workflow: workflow.id, in: harness.locks)).flatMap { $0 } == nil
            })
        let refused = try await harness.scheduler(runner).runOnce(workflow)
        guard case .failure(.busy) = refused else {
            Issue.record("expected busy, got \(refused)")
            return
        }
        // SIGKILL: a SIGTERM the test process ignores would be ignored by its children too.
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let result = try await harness.scheduler(runner).runOnce(workflow)
        #expect((try? result.get())?.status == .succeeded)
        #expect(runner.started == ["test:guarded"])
    }

    @Test func afterDowntimeMissedTimesRunOnceThenTheScheduleResumes() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T09:30:00Z")
        // Its last scheduled run was at 06:00 UTC; 07:00, 08:00 and 09:00 were missed.
        let id = try harness.store.start(
            workflow: "test:hourly", trigger: .schedule, scheduledFor: utc("2026-06-01T06:00:00Z"),
            at: utc("2026-06-01T06:00:00Z"))
        try harness.store.finish(
            id: id, status: .succeeded, errorCode: nil, error: nil, attempts: 1, log: "", at: utc("2026-06-01T06:00:05Z"))
        let runner = TestRunner([.cron("hourly", "0 * * * *", zone: "UTC")])
        let scheduler = harness.scheduler(runner)
        let daemon = Task { try await scheduler.run() }
        #expect(await harness.until { $0.count == 2 && $0[1].status == .succeeded })
        #expect(await harness.clock.untilSleeping())
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T10:00:00Z")
        let caughtUp = try harness.runs()[1]
        #expect(caughtUp.trigger == .catchUp)
        #expect(iso(caughtUp.scheduledFor) == "2026-06-01T07:00:00Z")
        #expect(iso(caughtUp.startedAt) == "2026-06-01T09:30:00Z")
        #expect(runner.started.count == 1)
        scheduler.beginShutdown()
        try await daemon.value

        // Restarted a minute later: nothing is missed any more, it waits for 10:00.
        harness.clock.advance(by: 60)
        let restarted = harness.scheduler(runner)
        let again = Task { try await restarted.run() }
        #expect(await harness.clock.untilSleeping())
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T10:00:00Z")
        harness.clock.advance(to: utc("2026-06-01T10:00:00Z"))
        #expect(await harness.until { $0.count == 3 && $0[2].status == .succeeded })
        #expect(try harness.runs()[2].trigger == .schedule)
        #expect(runner.started.count == 2)
        restarted.beginShutdown()
        try await again.value
    }

    @Test func aNewWorkflowWaitsForItsFirstTime() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T09:30:00Z")
        let runner = TestRunner([.cron("daily", "@daily"), .cron("broken", "61 * * * *")])
        let scheduler = harness.scheduler(runner)
        let daemon = Task { try await scheduler.run() }
        // Only the valid one is scheduled: midnight in Paris, 22:00 UTC.
        #expect(await harness.clock.untilSleeping())
        #expect(harness.clock.sleeping == 1)
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T22:00:00Z")
        #expect(runner.started.isEmpty)
        scheduler.beginShutdown()
        try await daemon.value
    }
}
