import ArgumentParser
import ChorusAPI
import Foundation
import JSONValue

/// `chorus doctor`: the raccordement checked step by step.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the onboarding (raccordement) step by step and name the fix of the first missing step.",
        discussion: """
            Checks, in order: configuration, DNS/TLS, PISTE token, API subscriptions (CGU), technical account, structure, rattachement, password expiry, and (with --deposit-test) a sample deposit followed to IN_INTEGRE. A step that needs a failed one is skipped. Exit code: 0 when nothing failed (warnings allowed), else the code of the first failure (2 configuration, 3 network, 4 application credentials, 5 CGU not accepted, 6 technical account or rattachement, 7 structure unknown, 8 business).

            Examples:
              chorus doctor --env sim
              chorus doctor --profile qualif --deposit-test --recipient 12345678200051
              chorus doctor --json > doctor.json
              chorus doctor --junit doctor.xml        # for CI dashboards
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Also deposit a sample invoice and follow it to IN_INTEGRE (sandbox and sim only).")
    var depositTest = false

    @Option(name: .long, help: ArgumentHelp("Recipient SIRET for --deposit-test.", valueName: "SIRET"))
    var recipient: String?

    @Option(name: .long, help: ArgumentHelp("Also write the report as JUnit XML to FILE.", valueName: "FILE"))
    var junit: String?

    func run() async throws {
        let doctor = Doctor(
            flags: .init(profile: global.profile, env: global.env, config: global.config),
            environment: global.processEnvironment,
            simulator: ProcessSimulator.launcher,
            options: DoctorOptions(depositTest: depositTest, recipient: recipient),
            logger: global.logger("chorus.doctor"))
        let report = await doctor.run()
        if let junit {
            do {
                try report.junit.write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                printError("chorus: cannot write \(junit): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        if global.json {
            print(report.json.serialized(JSONWriteOptions(pretty: true)))
        } else {
            print(DoctorText.render(report, colour: standardOutputIsTerminal && global.processEnvironment["NO_COLOR"] == nil))
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

/// The checklist as text: one line per step, then the cause, fix and evidence of what did not pass.
enum DoctorText {
    static func render(_ report: DoctorReport, colour: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        var lines = ["chorus doctor — environment \(report.environment)\(report.profile.map { ", profile \($0)" } ?? "")", ""]
        for (index, step) in report.steps.enumerated() {
            let mark: String
            switch step.status {
            case .ok: mark = paint("ok  ", "32")
            case .warning: mark = paint("warn", "33")
            case .failed: mark = paint("FAIL", "31;1")
            case .skipped: mark = paint("skip", "2")
            }
            lines.append("\(mark)  \(index + 1). \(step.title)")
            if step.status == .ok { continue }
            if let cause = step.cause { lines.append("        \(cause)") }
            if step.status == .failed || step.status == .warning {
                if let remediation = step.remediation { lines.append("        fix: \(remediation)") }
                for key in step.evidence.keys.sorted() { lines.append("        \(key): \(step.evidence[key]!)") }
                lines.append("        guide: \(step.guideStep)")
            }
        }
        lines.append("")
        if let failure = report.firstFailure {
            lines.append("First failing step: \(failure.id) (exit code \(report.exitCode)).")
        } else {
            lines.append(report.steps.contains { $0.status == .warning } ? "No failure; see the warnings above." : "All checks passed.")
        }
        return lines.joined(separator: "\n")
    }
}
