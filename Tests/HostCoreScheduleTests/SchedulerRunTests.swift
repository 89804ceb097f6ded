import ChorusAPI
import ChorusTestSupport
import Foundation
@testable import HostCore
import Testing

/// Retries, run records and their redaction.
@Suite struct SchedulerRunTests {
    let workflow = WorkflowDeclaration.every("sync", 600)

    @Test func retryableFailuresAreRetriedWithBackoff() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:00Z")
        let runner = TestRunner(
            [workflow],
            plans: [
                "test:sync": [
                    .fail(code: "NETWORK", message: "connection refused", lines: ["try 1"]),
                    .fail(code: "SERVER", message: "HTTP 503", lines: ["try 2"]),
                    .succeed(["try 3"]),
                ]
            ])
        let scheduler = harness.scheduler(runner)
        let run = Task { try await scheduler.runOnce(workflow, retries: true) }
        #expect(await harness.clock.untilSleeping())
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T10:00:30Z")
        harness.clock.advance(by: 30)
        #expect(await VirtualClock.eventually { runner.started.count == 2 && harness.clock.sleeping == 1 })
        #expect(harness.clock.nextDeadline.map(iso) == "2026-06-01T10:02:30Z")
        harness.clock.advance(by: 120)
        let record = try #require(try await run.value.get())
        #expect(record.status == .succeeded)
        #expect(record.attempts == 3)
        #expect(record.error == nil)
        #expect(
            record.log == """
                try 1
                chorus: attempt 1 failed (NETWORK: connection refused); retrying in 30s
                try 2
                chorus: attempt 2 failed (SERVER: HTTP 503); retrying in 2m
                try 3
                """)
        #expect(iso(record.endedAt) == "2026-06-01T10:02:30Z")
    }

    @Test func retriesStopAfterTheLastDelay() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:00Z")
        let failure = TestRunner.Step.fail(code: "RATE_LIMITED", message: "HTTP 429", lines: [])
        let runner = TestRunner([workflow], plans: ["test:sync": Array(repeating: failure, count: 10)])
        let scheduler = harness.scheduler(runner)
        let run = Task { try await scheduler.runOnce(workflow, retries: true) }
        for (attempt, delay) in [30.0, 120, 480].enumerated() {
            #expect(await VirtualClock.eventually { runner.started.count == attempt + 1 && harness.clock.sleeping == 1 })
            harness.clock.advance(by: delay)
        }
        let record = try #require(try await run.value.get())
        #expect(record.status == .failed)
        #expect(record.attempts == 4)
        #expect(record.errorCode == "RATE_LIMITED")
        #expect(record.error == "HTTP 429")
        #expect(runner.started.count == 4)
    }

    /// Business errors (and script errors, which carry no code) fail the same way when tried again.
    @Test(arguments: ["BUSINESS", "STRUCTURE", "AUTH_ACCOUNT", "CONFIG", "UNCERTAIN", nil] as [String?])
    func otherFailuresAreNeverRetried(_ code: String?) async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:00Z")
        let runner = TestRunner([workflow], plans: ["test:sync": [.fail(code: code, message: "refused", lines: [])]])
        let record = try #require(try await harness.scheduler(runner).runOnce(workflow, retries: true).get())
        #expect(record.status == .failed)
        #expect(record.attempts == 1)
        #expect(record.errorCode == code)
        #expect(runner.started.count == 1)
    }

    @Test func aManualRunIsNotRetriedUnlessAsked() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:00Z")
        let runner = TestRunner([workflow], plans: ["test:sync": [.fail(code: "NETWORK", message: "down", lines: [])]])
        let record = try #require(try await harness.scheduler(runner).runOnce(workflow).get())
        #expect(record.status == .failed && record.attempts == 1 && record.trigger == .manual)
        #expect(record.scheduledFor == nil)
    }

    @Test func recordsKeepStartEndOutcomeErrorAndARedactedLog() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:00Z")
        let secret = "s3cr3t-client-value"
        let runner = TestRunner(
            [workflow],
            plans: [
                "test:sync": [
                    .fail(code: "AUTH_APP", message: "rejected secret \(secret)", lines: ["using \(secret)", "done"])
                ]
            ])
        let record = try #require(try await harness.scheduler(runner, secrets: [secret]).runOnce(workflow).get())
        #expect(record.workflow == "test:sync")
        #expect(record.status == .failed)
        #expect(record.errorCode == "AUTH_APP")
        #expect(record.error == "rejected secret <redacted>")
        #expect(record.log == "using <redacted>\ndone")
        #expect(iso(record.startedAt) == "2026-06-01T10:00:00Z")
        #expect(iso(record.endedAt) == "2026-06-01T10:00:00Z")
        #expect(record.pid == getpid())
        #expect(try harness.runs() == [record])
    }

    @Test func theLogKeepsItsLastLinesWithinItsBudget() {
        let log = RunLog(budget: 300, redactor: Redactor())
        for index in 1...100 { log.append("line \(index) " + String(repeating: "x", count: 20)) }
        log.append(String(repeating: "y", count: 5000))
        let lines = log.text.split(separator: "\n")
        #expect(lines.first == "… 100 earlier lines not kept")
        #expect(lines.count == 2)
        #expect(lines.last?.count == 1001)
    }

    /// A run a killed process left "running" is settled by the next one to take the lock.
    @Test func runsLeftByADeadProcessAreRecordedInterrupted() async throws {
        let harness = try SchedulerHarness(start: "2026-06-01T10:00:00Z")
        let orphan = try harness.store.start(workflow: "test:sync", trigger: .schedule, scheduledFor: nil, at: utc("2026-06-01T09:00:00Z"))
        let runner = TestRunner([workflow])
        _ = try await harness.scheduler(runner).runOnce(workflow)
        let runs = try harness.runs()
        #expect(runs.map(\.status) == [.interrupted, .succeeded])
        #expect(runs[0].id == orphan)
        #expect(runs[0].error == "the process running it ended before the run did (killed or crashed)")
    }
}
