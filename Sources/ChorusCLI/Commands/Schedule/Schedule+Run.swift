import ArgumentParser
import ChorusAPI
import Foundation
import HostCore
import Logging
import ServiceLifecycle

extension Schedule {
    /// `chorus schedule run`: the scheduler, in the foreground (systemd runs it as a service).
    struct RunDaemon: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run the scheduler in the foreground until SIGTERM or Ctrl-C.",
            discussion: """
                Each workflow runs at its times. A time that passes while the workflow still runs is skipped; times missed while the scheduler was stopped give one run when it starts (a catch-up). Failures with NETWORK, SERVER or RATE_LIMITED are retried after 30 s, 2 min and 8 min; others are not. Log lines go to stderr (one per event, info level; -q for errors only).

                On SIGTERM or Ctrl-C the scheduler starts no new run and waits up to --grace seconds for the running ones; then it cancels them and records them cancelled, and exits 0. A second signal exits at once with 130. The workflows are read once, at start: restart to pick up a new or changed plugin. examples/systemd/chorus-schedule.service runs it as a service.

                Examples:
                  chorus schedule run
                  chorus schedule run --grace 120 --plugin-dir /srv/chorus/plugins
                """)

        @OptionGroup var options: Schedule.Options

        @Option(
            name: .long,
            help: ArgumentHelp("Seconds running runs get to finish after SIGTERM (0-3600).", valueName: "seconds"))
        var grace: Double = 30

        func validate() throws {
            guard grace.isFinite, (0...3600).contains(grace) else {
                throw ValidationError("--grace must be between 0 and 3600 seconds (got \(grace))")
            }
        }

        func run() async throws {
            let logger = options.logger("chorus.schedule")
            try await options.global.run { () throws(ChorusError) in
                let scheduler = Scheduler(
                    runner: try options.runner(), store: try options.store(), lockDirectory: options.lockDirectory,
                    options: SchedulerOptions(grace: grace), redactor: options.redactor, logger: logger)
                var quietLogger = logger
                quietLogger.logLevel = .error
                let group = ServiceGroup(configuration: .init(services: [scheduler], logger: quietLogger))
                let watchdog = Watchdog()
                let signals = TerminationSignals {
                    // If the runs neither finish nor end when cancelled, the process still ends.
                    let cancelWait = SchedulerOptions().cancelWait
                    watchdog.arm(
                        after: grace + cancelWait + 5,
                        message: "chorus: the scheduler did not stop within \(Int(grace + cancelWait + 5))s; exiting\n",
                        exitCode: ExitStatus.interrupted)
                    Task { await group.triggerGracefulShutdown() }
                }
                defer { signals.stop() }
                do {
                    try await group.run()
                } catch let error as ChorusError {
                    throw error
                } catch {
                    throw ChorusError(code: .config, message: "the scheduler stopped: \(error)")
                }
            }
        }
    }
}
