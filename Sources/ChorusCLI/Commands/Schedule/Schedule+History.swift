import ArgumentParser
import ChorusAPI
import Foundation
import HostCore
import JSONValue

extension Schedule {
    /// `chorus schedule history [WORKFLOW]`: the recorded runs, newest first.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the recorded runs, newest first: start, duration, outcome, error, log excerpt.",
            discussion: """
                Each run of chorus schedule run and chorus schedule once is recorded with why it started (schedule, catch-up after downtime, manual), its start and end, its outcome (running, succeeded, failed, cancelled, or interrupted when its process died), the chorus.Error code and message of a failure, its attempts, and the last lines it wrote, secrets redacted. Times are Europe/Paris.

                Examples:
                  chorus schedule history
                  chorus schedule history invoice-sync:sync --limit 5 --log
                  chorus schedule history --json
                """)

        @OptionGroup var options: Schedule.Options

        @Argument(help: ArgumentHelp("Only the runs of this workflow (plugin:name).", valueName: "workflow"))
        var workflow: String?

        @Option(name: .long, help: ArgumentHelp("How many runs to show (1-10000).", valueName: "n"))
        var limit = 20

        @Flag(name: .long, help: "Show each run's log excerpt under it.")
        var log = false

        func validate() throws {
            guard (1...10_000).contains(limit) else {
                throw ValidationError("--limit must be between 1 and 10000 (got \(limit))")
            }
        }

        func run() async throws {
            try await options.global.run { () throws(ChorusError) in
                let runs = try options.store().runs(workflow: workflow, limit: limit)
                if options.global.json {
                    print(JSONValue.array(runs.map(Self.json)).serialized())
                    return
                }
                guard !runs.isEmpty else {
                    print(workflow.map { "no runs of \($0) recorded" } ?? "no runs recorded")
                    return
                }
                let rows = runs.map { run -> [String] in
                    let error = [run.errorCode, run.error].compactMap { $0 }.joined(separator: ": ")
                    return [
                        String(run.id), run.workflow, run.trigger.rawValue, ChorusDate.timestamp(run.startedAt),
                        run.endedAt.map { Schedule.duration($0.timeIntervalSince(run.startedAt)) } ?? "-",
                        run.status.rawValue, String(run.attempts), error.isEmpty ? "-" : error,
                    ]
                }
                let header = ["run", "workflow", "trigger", "started", "took", "outcome", "attempts", "error"]
                if !log {
                    print(DepositBatch.table(header, rows))
                    return
                }
                for (run, row) in zip(runs, rows) {
                    print(DepositBatch.table(header, [row]).split(separator: "\n").last.map(String.init) ?? "")
                    for line in run.log.split(separator: "\n", omittingEmptySubsequences: false) where !run.log.isEmpty {
                        print("    \(line)")
                    }
                }
            }
        }

        /// A run as JSON (snake_case names; times as Europe/Paris timestamps).
        static func json(_ run: RunRecord) -> JSONValue {
            .object([
                "id": .integer(run.id), "workflow": .string(run.workflow), "trigger": .string(run.trigger.rawValue),
                "scheduled_for": run.scheduledFor.map { .string(ChorusDate.timestamp($0)) } ?? .null,
                "started_at": .string(ChorusDate.timestamp(run.startedAt)),
                "ended_at": run.endedAt.map { .string(ChorusDate.timestamp($0)) } ?? .null,
                "status": .string(run.status.rawValue), "error_code": run.errorCode.map { .string($0) } ?? .null,
                "error": run.error.map { .string($0) } ?? .null, "attempts": .integer(Int64(run.attempts)),
                "log": .string(run.log), "pid": .integer(Int64(run.pid)),
            ])
        }
    }
}
