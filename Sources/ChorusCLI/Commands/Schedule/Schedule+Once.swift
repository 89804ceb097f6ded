import ArgumentParser
import ChorusAPI
import Foundation
import HostCore
import JSONValue

extension Schedule {
    /// `chorus schedule once WORKFLOW`: one run now, recorded like the scheduler's.
    struct Once: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one workflow now, under its lock, and record the run.",
            discussion: """
                The run takes the workflow's lock like the scheduler does: if a run of it is in progress (here or in a running chorus schedule run), nothing is started and the exit code is 2. The run's lines go to stderr; the summary to stdout. Failures are not retried unless --retry. Ctrl-C cancels the run, which is recorded cancelled (exit 130). Otherwise the exit code is the run's: 0 when it succeeded, else that of its chorus.Error code (docs/errors.md), 1 for a script error.

                Examples:
                  chorus schedule once invoice-sync:sync
                  chorus schedule once sync --retry --json
                """)

        @OptionGroup var options: Schedule.Options

        @Argument(help: ArgumentHelp("The workflow: plugin:name, or its name when no other plugin uses it.", valueName: "workflow"))
        var workflow: String

        @Flag(name: .long, help: "Retry NETWORK, SERVER and RATE_LIMITED failures as the scheduler does (30 s, 2 min, 8 min).")
        var retry = false

        func run() async throws {
            var status: Int32 = 0
            try await options.global.run { () throws(ChorusError) in
                let declaration = try Self.find(workflow, in: try await options.workflows().map(\.0))
                let scheduler = Scheduler(
                    runner: try options.runner(), store: try options.store(), lockDirectory: options.lockDirectory,
                    redactor: options.redactor, logger: options.logger("chorus.schedule"))
                let task = Task { () throws(ChorusError) -> Result<RunRecord, Scheduler.NotRun> in
                    try await scheduler.runOnce(declaration, retries: retry)
                }
                let signals = TerminationSignals { task.cancel() }
                defer { signals.stop() }
                let result: Result<RunRecord, Scheduler.NotRun>
                do { result = try await task.value } catch let error as ChorusError { throw error } catch {
                    throw ChorusError(code: .config, message: "\(error)")
                }
                switch result {
                case .failure(.busy(let holder)):
                    throw ChorusError(
                        code: .config,
                        message: "\(declaration.id) is already running\(holder.map { " (process \($0))" } ?? ""): runs of one workflow never overlap",
                        remediation: "Wait for that run to end: chorus schedule history \(declaration.id) shows it.")
                case .failure(let other):
                    throw ChorusError(code: .config, message: "\(declaration.id) was not run: \(other)")
                case .success(let record):
                    if options.global.json {
                        print(History.json(record).serialized())
                    } else {
                        let took = record.endedAt.map { Schedule.duration($0.timeIntervalSince(record.startedAt)) } ?? "-"
                        let error = [record.errorCode, record.error].compactMap { $0 }.joined(separator: ": ")
                        print(
                            "run \(record.id) of \(record.workflow): \(record.status.rawValue) in \(took)"
                                + (record.attempts > 1 ? " after \(record.attempts) attempts" : "")
                                + (error.isEmpty ? "" : " (\(error))"))
                    }
                    status = Self.exitCode(record)
                }
            }
            if status != 0 { throw ExitCode(status) }
        }

        static func exitCode(_ record: RunRecord) -> Int32 {
            switch record.status {
            case .succeeded: return ExitStatus.success
            case .cancelled: return ExitStatus.interrupted
            case .failed, .interrupted, .running:
                return record.errorCode.flatMap { ChorusError.Code.exitCode(forLuaCode: $0) } ?? ExitStatus.scriptError
            }
        }

        /// The declaration named `name` (`plugin:name`, or a name only one plugin uses).
        static func find(_ name: String, in declarations: [WorkflowDeclaration]) throws(ChorusError) -> WorkflowDeclaration {
            if let exact = declarations.first(where: { $0.id == name }) { return exact }
            let byName = declarations.filter { $0.name == name }
            if byName.count == 1 { return byName[0] }
            if byName.count > 1 {
                throw ChorusError(
                    code: .config,
                    message: "several plugins declare a workflow '\(name)': \(byName.map(\.id).joined(separator: ", "))",
                    remediation: "Name it as plugin:name.")
            }
            let known = declarations.map(\.id)
            throw ChorusError(
                code: .config,
                message: "no workflow '\(name)'"
                    + (known.isEmpty ? ": no enabled plugin declares a workflow" : " (the workflows: \(known.joined(separator: ", ")))"),
                remediation: "chorus schedule list shows the workflows.")
        }
    }
}
