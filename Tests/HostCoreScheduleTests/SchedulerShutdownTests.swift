import ChorusTestSupport
import Foundation
@testable import HostCore
import Logging
import ServiceLifecycle
import Testing

/// Graceful shutdown (what SIGTERM starts): no new runs; running ones finish within the grace, or are
/// cancelled and recorded cancelled.
@Suite struct SchedulerShutdownTests {
    let slow = WorkflowDeclaration.every("slow", 60)
    let other = WorkflowDeclaration.every("other", 3600)

    /// Starts a daemon whose `slow` workflow is running at 10:01.
    func running(_ step: TestRunner.Step) async throws -> (SchedulerHarness, TestRunner, Scheduler, Task<Void, any Error>) {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:30Z")
        let runner = TestRunner([slow, other], plans: ["test:slow": [step]])
        let scheduler = harness.scheduler(runner)
        let daemon = Task { try await scheduler.run() }
        #expect(await harness.clock.untilSleeping(2))
        harness.clock.advance(to: utc("2026-06-01T10:01:00Z"))
        #expect(await VirtualClock.eventually { runner.runningNow == 1 && harness.clock.sleeping == 1 })
        return (harness, runner, scheduler, daemon)
    }

    @Test func aRunThatFinishesWithinTheGraceIsRecordedAsItEnded() async throws {
        let (harness, runner, scheduler, daemon) = try await running(.block)
        scheduler.beginShutdown()
        // The other workflow's wait ended; the only sleep left is the grace.
        #expect(await VirtualClock.eventually { harness.clock.nextDeadline.map(iso) == "2026-06-01T10:01:30Z" })
        #expect(harness.clock.sleeping == 1)
        runner.release()
        try await daemon.value
        #expect(try harness.runs().map(\.status) == [.succeeded])
        // Nothing new starts afterwards.
        harness.clock.advance(by: 7200)
        #expect(runner.started == ["test:slow"])
    }

    @Test func runsPastTheGraceAreCancelledAndRecordedCancelled() async throws {
        let (harness, runner, scheduler, daemon) = try await running(.block)
        scheduler.beginShutdown()
        #expect(await VirtualClock.eventually { harness.clock.nextDeadline.map(iso) == "2026-06-01T10:01:30Z" })
        harness.clock.advance(by: 30)
        try await daemon.value
        let record = try #require(try harness.runs().first)
        #expect(record.status == .cancelled)
        #expect(record.error == "cancelled: the scheduler was stopping and the run did not finish within its grace (30s)")
        #expect(record.log == "working")
        #expect(runner.started == ["test:slow"])
    }

    @Test func aRunThatIgnoresCancellationIsStillRecordedCancelled() async throws {
        let (harness, runner, scheduler, daemon) = try await running(.hang)
        scheduler.beginShutdown()
        #expect(await VirtualClock.eventually { harness.clock.nextDeadline.map(iso) == "2026-06-01T10:01:30Z" })
        harness.clock.advance(by: 30)
        #expect(await VirtualClock.eventually { harness.clock.nextDeadline.map(iso) == "2026-06-01T10:01:40Z" })
        harness.clock.advance(by: 10)
        try await daemon.value
        let record = try #require(try harness.runs().first)
        #expect(record.status == .cancelled)
        #expect(record.error == "cancelled: the scheduler was stopping; the run did not end within 10s of being cancelled")
        #expect(record.log == "stuck\nchorus: the run did not end within 10s of being cancelled")
        // Its late answer does not rewrite the record.
        runner.releaseHung()
        #expect(await VirtualClock.eventually { runner.runningNow == 0 })
        #expect(try harness.runs().map(\.status) == [.cancelled])
    }

    @Test func aRetryWaitingForItsBackoffIsNotRetriedAfterShutdown() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:30Z")
        let runner = TestRunner([slow, other], plans: ["test:slow": [.fail(code: "NETWORK", message: "down", lines: [])]])
        let scheduler = harness.scheduler(runner)
        let daemon = Task { try await scheduler.run() }
        #expect(await harness.clock.untilSleeping(2))
        harness.clock.advance(to: utc("2026-06-01T10:01:00Z"))
        // The failure's 30 s backoff and the other workflow's wait; shutdown cuts the backoff short.
        #expect(await VirtualClock.eventually { runner.started.count == 1 && harness.clock.sleeping == 2 })
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T10:01:30Z")
        scheduler.beginShutdown()
        try await daemon.value
        let record = try #require(try harness.runs().first)
        #expect(record.status == .failed && record.attempts == 1 && record.errorCode == "NETWORK")
        #expect(record.log.hasSuffix("chorus: not retried: the scheduler is stopping"))
        #expect(runner.started == ["test:slow"])
    }

    /// Through swift-service-lifecycle, as `chorus schedule run` drives it.
    @Test func aServiceGroupsGracefulShutdownStopsTheScheduler() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:30Z")
        let runner = TestRunner([slow], plans: ["test:slow": [.block]])
        let scheduler = harness.scheduler(runner)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [scheduler], logger: logger))
        let running = Task { try await group.run() }
        #expect(await harness.clock.untilSleeping())
        harness.clock.advance(to: utc("2026-06-01T10:01:00Z"))
        #expect(await VirtualClock.eventually { runner.runningNow == 1 })
        await group.triggerGracefulShutdown()
        #expect(await VirtualClock.eventually { harness.clock.nextDeadline.map(iso) == "2026-06-01T10:01:30Z" })
        harness.clock.advance(by: 30)
        try await running.value
        #expect(try harness.runs().map(\.status) == [.cancelled])
    }
}
