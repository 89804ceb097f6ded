import ArgumentParser
import ChorusAPI
import Foundation
import HostCore
import Logging

/// `chorus schedule list|run|once|history`: the workflows plugins declare, run at their times.
struct Schedule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the workflows of plugins at their times, and show their runs.",
        discussion: """
            Workflows come from plugins (chorus.workflow{name, cron = "*/15 8-18 * * 1-5" | every = "10m", timezone, run}). The scheduler runs each at its times in its time zone (Europe/Paris by default), never two runs of one workflow at once (a lock shared by every process of the machine), once after missed times, retrying NETWORK, SERVER and RATE_LIMITED failures with backoff; every run is recorded. See docs/schedule.md.

            Examples:
              chorus schedule list
              chorus schedule run --grace 60
              chorus schedule once invoice-sync:sync
              chorus schedule history invoice-sync:sync --log
            """,
        subcommands: [List.self, RunDaemon.self, Once.self, History.self])

    /// The options every schedule subcommand shares.
    struct Options: ParsableArguments {
        @OptionGroup var global: GlobalOptions

        @OptionGroup var plugins: PluginOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Run records (default: CHORUS_SCHEDULE_DB, then $XDG_STATE_HOME/chorus/schedule.sqlite).",
                valueName: "path"))
        var history: String?

        func runner() throws(ChorusError) -> any WorkflowRunner {
            try workflowRunner(global: global, pluginDirs: plugins.pluginDirs)
        }

        func store() throws(ChorusError) -> RunStore {
            try RunStore(path: RunStore.defaultPath(flag: history, environment: global.processEnvironment))
        }

        var lockDirectory: URL { RunStore.lockDirectory(environment: global.processEnvironment) }

        /// Masks the secrets of the configuration in force (client secret, password), when it resolves.
        var redactor: Redactor {
            let secrets = (try? global.resolveSettings())?.entries.filter(\.isSecret).compactMap(\.value) ?? []
            return Redactor(secrets: secrets)
        }

        /// A logger to stderr, at `info` unless -q (or more with -v): a daemon says what it does.
        func logger(_ label: String) -> Logger {
            let level: Logger.Level = global.quiet ? .error : (global.verbose > 0 ? global.logLevel : .info)
            return Logger(label: label) { _ in ConsoleLogHandler(logLevel: level) }
        }

        /// The declarations, each with its schedule or the reason it has none.
        func workflows() async throws(ChorusError) -> [(WorkflowDeclaration, Result<WorkflowSchedule, ScheduleError>)] {
            let declarations: [WorkflowDeclaration]
            do {
                declarations = try await runner().declarations()
            } catch let error as ChorusError {
                throw error
            } catch {
                throw ChorusError(code: .config, message: "cannot list the workflows: \(error)")
            }
            return declarations.map { declaration in
                (declaration, Result { () throws(ScheduleError) in try WorkflowSchedule(declaration) })
            }
        }
    }

    /// `2026-03-29 03:00 +02:00`: a time as the clock of `zone` shows it.
    static func local(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = zone.secondsFromGMT(for: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d %@%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!,
            offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// `12.3s`, `4m05s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1fs", max(seconds, 0)) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
    }
}
