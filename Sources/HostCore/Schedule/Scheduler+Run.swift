import ChorusAPI
import Foundation
import Logging

extension Scheduler {
    /// One run: take the workflow's lock (or give up: no overlap), settle runs a dead process left
    /// "running", skip a time another scheduler already ran, record the start, run with retries,
    /// record the end.
    func execute(
        _ workflow: WorkflowDeclaration, slot: Date?, trigger: RunTrigger, retries: Bool
    ) async throws(ChorusError) -> Result<RunRecord, NotRun> {
        if trigger != .manual && shutdown.isTriggered { return .failure(.stopping) }
        guard let held = try WorkflowLock.acquire(workflow: workflow.id, in: lockDirectory) else {
            let holder = WorkflowLock.holder(workflow: workflow.id, in: lockDirectory)
            logger.notice("\(workflow.id): not started, a run is in progress\(holder.map { " (process \($0))" } ?? "")")
            return .failure(.busy(holder: holder))
        }
        defer { held.release() }
        let settled = try store.markInterrupted(workflow: workflow.id, at: clock.now())
        if settled > 0 { logger.warning("\(workflow.id): \(settled) run(s) left unfinished by a dead process recorded as interrupted") }
        if let slot, trigger != .manual, let cursor = try store.cursor(workflow: workflow.id), cursor >= slot {
            logger.info("\(workflow.id): its run of \(ChorusDate.timestamp(slot)) was made by another scheduler")
            return .failure(.alreadyRan)
        }
        let id = try store.start(workflow: workflow.id, trigger: trigger, scheduledFor: slot, at: clock.now())
        logger.info("\(workflow.id): run \(id) started (\(trigger.rawValue))")
        let log = RunLog(budget: options.logBudget, redactor: redactor)
        let done = Latch()
        let task = Task {
            let (outcome, attempts) = await self.attempts(workflow, log: log, retries: retries)
            self.record(id: id, workflow: workflow.id, outcome: outcome, attempts: attempts, log: log)
            done.trigger()
        }
        lock.withLock { active[id] = ActiveRun(workflow: workflow.id, task: task, log: log, done: done) }
        await withTaskCancellationHandler {
            await done.waitIgnoringCancellation()
        } onCancel: {
            task.cancel()
        }
        lock.withLock { active[id] = nil }
        guard let record = try store.runs(workflow: workflow.id, limit: 50).first(where: { $0.id == id }) else {
            throw ChorusError(code: .config, message: "run \(id) of \(workflow.id) vanished from \(store.path)")
        }
        return .success(record)
    }

    /// Runs until success, a non-retryable failure, the last retry, or shutdown.
    func attempts(_ workflow: WorkflowDeclaration, log: RunLog, retries: Bool) async -> (WorkflowOutcome, Int) {
        var attempt = 1
        let logger = self.logger
        while true {
            let outcome = await runner.run(workflow) { line in
                log.append(line)
                logger.info("\(workflow.id): \(line)")
            }
            guard retries, case .failed(let code?, let message) = outcome, SchedulerOptions.retryableCodes.contains(code),
                attempt <= options.retryDelays.count, !Task.isCancelled
            else { return (outcome, attempt) }
            let delay = options.retryDelays[attempt - 1]
            let wait = WorkflowSchedule.describe(seconds: Int(delay.rounded()))
            log.append("chorus: attempt \(attempt) failed (\(code): \(message)); retrying in \(wait)")
            logger.notice("\(workflow.id): attempt \(attempt) failed with \(code); retrying in \(wait)")
            guard await shutdown.sleep(delay, on: clock), !Task.isCancelled else {
                log.append("chorus: not retried: the scheduler is stopping")
                return (outcome, attempt)
            }
            attempt += 1
        }
    }

    /// Records how run `id` ended (the first end recorded wins: a forced cancellation, then the
    /// runner's late answer, keep the former).
    func record(id: Int64, workflow: String, outcome: WorkflowOutcome, attempts: Int, log: RunLog) {
        let status: RunStatus
        var code: String?
        var error: String?
        switch outcome {
        case .succeeded:
            status = .succeeded
        case .failed(let failureCode, let message):
            status = .failed
            code = failureCode
            error = redactor.scrub(message)
        case .cancelled:
            status = .cancelled
            error =
                shutdown.isTriggered
                ? "cancelled: the scheduler was stopping and the run did not finish within its grace (\(WorkflowSchedule.describe(seconds: Int(options.grace))))"
                : "cancelled"
        }
        do {
            try store.finish(id: id, status: status, errorCode: code, error: error, attempts: attempts, log: log.text, at: clock.now())
        } catch {
            logger.error("\(workflow): run \(id) ended \(status.rawValue) but could not be recorded: \(error.message)")
        }
        let detail = [code, error].compactMap { $0 }.joined(separator: ": ")
        logger.info("\(workflow): run \(id) \(status.rawValue)\(detail.isEmpty ? "" : " (\(detail))")")
    }

    /// After shutdown began: the grace for running runs, then cancellation, then (for a run that does
    /// not end when cancelled) a cancelled record anyway, so `run()` always returns.
    func drain() async {
        let running = lock.withLock { Array(active.values) }
        guard !running.isEmpty else { return }
        let finished = await Latch.race(options.grace, on: clock) {
            for run in running { await run.done.wait() }
        }
        if finished { return }
        let late = lock.withLock { Array(active.values) }.filter { !$0.done.isTriggered }
        logger.warning("grace over: cancelling \(late.map(\.workflow).joined(separator: ", "))")
        for run in late { run.task.cancel() }
        let ended = await Latch.race(options.cancelWait, on: clock) {
            for run in late { await run.done.wait() }
        }
        if ended { return }
        let stuck: [(Int64, ActiveRun)] = lock.withLock { active.filter { !$0.value.done.isTriggered }.map { ($0.key, $0.value) } }
        for (id, run) in stuck {
            let wait = WorkflowSchedule.describe(seconds: Int(options.cancelWait))
            run.log.append("chorus: the run did not end within \(wait) of being cancelled")
            do {
                try store.finish(
                    id: id, status: .cancelled, errorCode: nil,
                    error: "cancelled: the scheduler was stopping; the run did not end within \(wait) of being cancelled",
                    attempts: 1, log: run.log.text, at: clock.now())
            } catch {
                logger.error("\(run.workflow): run \(id) could not be recorded cancelled: \(error.message)")
            }
            run.done.trigger()
        }
    }
}
