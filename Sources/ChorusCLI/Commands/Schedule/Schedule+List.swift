import ArgumentParser
import ChorusAPI
import Foundation
import HostCore
import JSONValue

extension Schedule {
    /// `chorus schedule list`: every workflow with its next run times, in its own time zone.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every workflow with its next run times in its time zone, and its last run.",
            discussion: """
                Times are shown as the workflow's time zone shows them, with their UTC offset (Europe/Paris by default), so a DST change reads as it happens. A workflow whose cron, interval or time zone is invalid is listed with the reason, and is not scheduled.

                Examples:
                  chorus schedule list
                  chorus schedule list --count 5 --after 2026-03-28T23:00:00Z
                  chorus schedule list --json
                """)

        @OptionGroup var options: Schedule.Options

        @Option(name: .long, help: ArgumentHelp("How many next run times to show (1-100).", valueName: "n"))
        var count = 3

        @Option(
            name: .long,
            help: ArgumentHelp("Times after this instant instead of now (ISO 8601, such as 2026-10-25T00:00:00Z).", valueName: "instant"))
        var after: String?

        func validate() throws {
            guard (1...100).contains(count) else { throw ValidationError("--count must be between 1 and 100 (got \(count))") }
            if let after, ChorusDate.parse(after) == nil {
                throw ValidationError("--after: '\(after)' is not an instant (write it as 2026-10-25T00:00:00Z)")
            }
        }

        func run() async throws {
            try await options.global.run { () throws(ChorusError) in
                let start = after.flatMap(ChorusDate.parse) ?? Date()
                let workflows = try await options.workflows()
                // The records give the last run; without them (none yet, a read-only state folder) "-".
                let store = workflows.isEmpty ? nil : try? options.store()
                var rows: [[String]] = []
                var objects: [JSONValue] = []
                for (declaration, schedule) in workflows {
                    let last = (try? store?.runs(workflow: declaration.id, limit: 1))??.first
                    var object: [String: JSONValue] = [
                        "workflow": .string(declaration.id), "plugin": .string(declaration.plugin),
                        "name": .string(declaration.name), "time_zone": .string(declaration.timeZone),
                        "last_run": last.map(History.json) ?? .null,
                    ]
                    let lastText = last.map { "\($0.status.rawValue) \(ChorusDate.timestamp($0.startedAt))" } ?? "-"
                    switch schedule {
                    case .success(let schedule):
                        let runs = schedule.nextRuns(after: start, count: count)
                        object["timing"] = .string(schedule.summary)
                        object["next_runs"] = .array(runs.map { .string(ChorusDate.timestamp($0)) })
                        object["error"] = .null
                        rows.append([
                            declaration.id, schedule.summary, declaration.timeZone,
                            runs.isEmpty ? "none within 5 years" : runs.map { Schedule.local($0, in: schedule.timeZone) }.joined(separator: ", "),
                            lastText,
                        ])
                    case .failure(let error):
                        object["timing"] = .string(Self.describe(declaration.timing))
                        object["next_runs"] = .array([])
                        object["error"] = .string(error.message)
                        rows.append([
                            declaration.id, Self.describe(declaration.timing), declaration.timeZone,
                            "not scheduled: \(error.message)", lastText,
                        ])
                    }
                    objects.append(.object(object))
                }
                if options.global.json {
                    print(JSONValue.array(objects).serialized())
                } else if rows.isEmpty {
                    print("no workflows: none of the enabled plugins declares one (chorus.workflow{...})")
                } else {
                    print(DepositBatch.table(["workflow", "when", "time zone", "next runs", "last run"], rows))
                }
            }
        }

        static func describe(_ timing: WorkflowTiming) -> String {
            switch timing {
            case .cron(let text): return "cron \(text)"
            case .every(let seconds): return "every \(WorkflowSchedule.describe(seconds: seconds))"
            }
        }
    }
}
