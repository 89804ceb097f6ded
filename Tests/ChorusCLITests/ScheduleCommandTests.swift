import ChorusTestSupport
import Foundation
import HostCore
import JSONValue
import Testing

/// `chorus schedule list|run|once|history` end to end: the built binary in a subprocess, its state
/// folder in a temporary one. (Which workflows exist is the plugin host's business; these tests
/// cover the commands around it: records, signals, errors.)
@Suite struct ScheduleCommandTests {
    let home: URL
    var environment: [String: String] { ["HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path] }
    var storePath: String { home.appendingPathComponent("state/chorus/schedule.sqlite").path }

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-schedule-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    func chorus(_ arguments: [String]) async throws -> ChorusSubprocess.Outcome {
        try await ChorusSubprocess.run(arguments, environment: environment, directory: home)
    }

    static let commands: [[String]] = [
        ["schedule"], ["schedule", "list"], ["schedule", "run"], ["schedule", "once"], ["schedule", "history"],
    ]

    @Test(arguments: commands)
    func helpHasExamplesAndUnwrappedParagraphs(_ command: [String]) async throws {
        let outcome = try await ChorusSubprocess.run(command + ["--help"], environment: ["COLUMNS": "1000"])
        #expect(outcome.status == 0)
        let parts = outcome.stdout.components(separatedBy: "\nExamples:\n")
        #expect(parts.count == 2, "chorus \(command.joined(separator: " ")) --help has no examples")
        for paragraph in parts[0].components(separatedBy: "\n\n") {
            #expect(paragraph.split(separator: "\n").count <= 1, "\(command): \(paragraph)")
        }
        for line in (parts.last ?? "").components(separatedBy: "\n\nUSAGE:")[0].split(separator: "\n") {
            #expect(line.count <= 80, "\(line)")
        }
    }

    @Test func listWithoutWorkflowsSaysSo() async throws {
        let outcome = try await chorus(["schedule", "list"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "no workflows: none of the enabled plugins declares one (chorus.workflow{...})\n")
        let json = try await chorus(["schedule", "list", "--json"])
        #expect(json.stdout == "[]\n")
    }

    static let usageErrors: [([String], String)] = [
        (["schedule", "list", "--count", "0"], "Error: --count must be between 1 and 100 (got 0)"),
        (["schedule", "list", "--after", "tomorrow"], "Error: --after: 'tomorrow' is not an instant (write it as 2026-10-25T00:00:00Z)"),
        (["schedule", "run", "--grace", "7200"], "Error: --grace must be between 0 and 3600 seconds (got 7200.0)"),
        (["schedule", "history", "--limit", "0"], "Error: --limit must be between 1 and 10000 (got 0)"),
    ]

    @Test(arguments: usageErrors.indices)
    func badOptionsAreUsageErrors(_ index: Int) async throws {
        let (arguments, message) = Self.usageErrors[index]
        let outcome = try await chorus(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix(message + "\n"), "\(outcome.stderr)")
    }

    @Test func onceOfAnUnknownWorkflowIsAConfigurationError() async throws {
        let outcome = try await chorus(["schedule", "once", "invoice-sync:sync"])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr == """
                chorus: CONFIG: no workflow 'invoice-sync:sync': no enabled plugin declares a workflow
                         fix: chorus schedule list shows the workflows.

                """)
    }

    @Test func historyShowsTheRecordedRuns() async throws {
        let store = try RunStore(path: storePath)
        let start = Date(timeIntervalSince1970: 1_780_308_000)  // 2026-06-01T10:00:00Z
        let first = try store.start(workflow: "sync:inbox", trigger: .schedule, scheduledFor: start, at: start)
        try store.finish(
            id: first, status: .failed, errorCode: "BUSINESS", error: "invoice refused", attempts: 1,
            log: "reading inbox\n2 files", at: start.addingTimeInterval(12.34))
        let second = try store.start(workflow: "report:daily", trigger: .manual, scheduledFor: nil, at: start.addingTimeInterval(60))
        try store.finish(
            id: second, status: .succeeded, errorCode: nil, error: nil, attempts: 3, log: "",
            at: start.addingTimeInterval(60 + 185))

        let all = try await chorus(["schedule", "history"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(
            all.stdout == """
                run  workflow      trigger   started                        took   outcome    attempts  error
                2    report:daily  manual    2026-06-01T12:01:00.000+02:00  3m05s  succeeded  3         -
                1    sync:inbox    schedule  2026-06-01T12:00:00.000+02:00  12.3s  failed     1         BUSINESS: invoice refused

                """)
        let one = try await chorus(["schedule", "history", "sync:inbox", "--log"])
        #expect(
            one.stdout == """
                1    sync:inbox  schedule  2026-06-01T12:00:00.000+02:00  12.3s  failed   1         BUSINESS: invoice refused
                    reading inbox
                    2 files

                """)
        let json = try await chorus(["schedule", "history", "--json", "--limit", "1"])
        let runs = try #require(try JSONValue.parse(Array(json.stdout.utf8)).arrayValue)
        #expect(runs.count == 1)
        #expect(runs.first?["workflow"] == "report:daily")
        #expect(runs.first?["status"] == "succeeded")
        #expect(runs.first?["attempts"] == 3)
        #expect(runs.first?["scheduled_for"] == .null)
        let none = try await chorus(["schedule", "history", "other:flow"])
        #expect(none.stdout == "no runs of other:flow recorded\n")
    }

    /// The daemon idles with no workflow and stops cleanly on SIGTERM (exit 0, the end of a service).
    @Test func theDaemonStopsOnSigterm() async throws {
        let daemon = try ChorusProcess(["schedule", "run"], environment: environment, directory: home)
        #expect(await daemon.send(SIGTERM, when: { daemon.stderr.contains("scheduler started") }))
        let end = await daemon.wait()
        #expect(end.status == 0 && end.signal == nil, "\(daemon.stderr)")
        #expect(
            daemon.stderr == """
                notice: scheduler started: 0 workflows
                notice: stopping: no new runs; none in progress
                notice: scheduler stopped

                """)
    }

    /// The unit example starts a command this binary accepts, and lets it finish its grace.
    @Test func theSystemdUnitRunsAValidCommandAndWaitsForItsGrace() async throws {
        let unit = try String(
            contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent("examples/systemd/chorus-schedule.service"),
            encoding: .utf8)
        func value(_ key: String) -> String? {
            unit.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
        let command = try #require(value("ExecStart")).split(separator: " ").map(String.init)
        #expect(command.first == "/usr/local/bin/chorus")
        #expect(Array(command.dropFirst().prefix(2)) == ["schedule", "run"])
        let help = try await chorus(Array(command.dropFirst()) + ["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: chorus schedule run"), "\(help.stderr)")
        let grace = try #require(command.firstIndex(of: "--grace").flatMap { Double(command[$0 + 1]) })
        let stop = try #require(value("TimeoutStopSec").flatMap(Double.init))
        #expect(stop > grace + 10)
        #expect(value("KillSignal") == "SIGTERM")
        #expect(value("Restart") == "on-failure")
        for hardening in ["NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes"] {
            #expect(unit.contains("\n\(hardening)\n"), "\(hardening)")
        }
    }
}
