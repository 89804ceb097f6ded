import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// `chorus doctor` against the simulator: healthy, and each onboarding failure preset.
@Suite struct DoctorCommandTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-doctor-cli-\(UUID().uuidString)")

    func doctor(_ arguments: [String], scenario: String? = nil) async throws -> ChorusSubprocess.Outcome {
        var environment = ["XDG_CONFIG_HOME": home.path + "/config", "XDG_CACHE_HOME": home.path + "/cache"]
        if let scenario { environment["CHORUS_SIM_SCENARIO"] = scenario }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return try await ChorusSubprocess.run(["doctor", "--env", "sim"] + arguments, environment: environment, directory: home)
    }

    static let schema: JSONSchemaCheck = {
        let text = (try? String(contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent("docs/doctor.schema.json"), encoding: .utf8)) ?? "{}"
        return JSONSchemaCheck(schema: (try? JSONValue.parse(text)) ?? [:])
    }()

    @Test(arguments: [
        ("no-cgu-structures", "subscriptions", "the application has not accepted the CGU of: Structures", 5),
        ("wrong-tech-password", "technical-account", "the technical account (cpro-account) was refused: the technical account was refused (HTTP 401)", 6),
        ("tech-account-inactive", "technical-account", "the technical account (cpro-account) was refused: the technical account was refused (HTTP 401)", 6),
        ("not-attached", "rattachement", "the technical account is not attached (rattaché) to 98765432100015", 6),
        ("unknown-siret", "structure", "SIRET 98765432100015 is not known in sim: it may be a production SIRET, or mistyped", 7),
    ])
    func eachPresetFailsAtItsStep(preset: String, step: String, cause: String, exitCode: Int32) async throws {
        let outcome = try await doctor(["--json"], scenario: preset)
        #expect(outcome.status == exitCode)
        let report = try JSONValue.parse(outcome.stdout)
        #expect(DoctorCommandTests.schema.violations(of: report) == [])
        let firstFailure = report["steps"]?.arrayValue?.first { $0["status"] == "failed" }
        #expect(firstFailure?["id"]?.stringValue == step)
        #expect(firstFailure?["cause"]?.stringValue == cause)
        #expect(firstFailure?["remediation"]?.stringValue?.isEmpty == false)
        #expect(report["exit_code"]?.integerValue == Int64(exitCode))
    }

    @Test func passwordExpiringIsAWarningNotAFailure() async throws {
        let outcome = try await doctor(["--json"], scenario: "password-expiring")
        #expect(outcome.status == 0)
        let report = try JSONValue.parse(outcome.stdout)
        let step = report["steps"]?.arrayValue?.first { $0["id"] == "password-expiry" }
        #expect(step?["status"] == "warning")
        #expect(step?["cause"]?.stringValue?.hasPrefix("the technical password expires in ") == true)
    }

    @Test func aMissingOptionalSubscriptionIsAWarningNamingWhatItEnables() async throws {
        let outcome = try await doctor(["--json"], scenario: "no-cgu-travaux")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try JSONValue.parse(outcome.stdout)
        #expect(DoctorCommandTests.schema.violations(of: report) == [])
        let step = report["steps"]?.arrayValue?.first { $0["id"] == "subscriptions" }
        #expect(step?["status"] == "warning")
        #expect(step?["cause"] == "optional APIs without accepted CGU: FacturesTravaux (works invoices (factures de travaux))")
        #expect(step?["evidence"]?["FacturesTravaux"] == "403: CGU not accepted (optional: works invoices (factures de travaux))")
        #expect(step?["evidence"]?["Factures"] == "subscribed")
    }

    @Test func aHealthySimulatorPassesEveryStepIncludingTheDepositTest() async throws {
        let junit = home.appendingPathComponent("doctor.xml").path
        let outcome = try await doctor(["--deposit-test", "--junit", junit])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "chorus doctor — environment sim")
        #expect(lines.filter { $0.hasPrefix("ok    ") }.count == 9)
        #expect(lines.last == "All checks passed.")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains(#"tests="9" failures="0" errors="0" skipped="0""#))
    }

    @Test func textOutputNamesTheFixOfTheFirstFailure() async throws {
        let outcome = try await doctor([], scenario: "not-attached")
        #expect(outcome.status == 6)
        #expect(outcome.stdout.contains("FAIL  7. technical account attached to the structure\n        the technical account is not attached (rattaché) to 98765432100015\n        fix: On Chorus Pro, as gestionnaire of 98765432100015: « Raccordements » → « Gérer raccordement API » → « Déclarer un raccordement PISTE »"))
        #expect(outcome.stdout.hasSuffix("First failing step: rattachement (exit code 6).\n"))
        #expect(!outcome.stdout.contains("\u{1B}["))
    }
}

extension DoctorCommandTests {
    /// chorus.doctor{} in a script returns the same report as `chorus doctor --json`.
    @Test func luaGetsTheSameReport() async throws {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try """
            local report = chorus.doctor()
            local failed
            for _, step in ipairs(report.steps) do if step.status == "failed" then failed = failed or step end end
            print(report.environment, report.ok, report.exit_code, #report.steps, failed.id, failed.code)
            print(pcall(chorus.doctor, { deposit = true }))
            """.write(to: home.appendingPathComponent("doctor.lua"), atomically: true, encoding: .utf8)
        let outcome = try await ChorusSubprocess.run(
            ["run", "--env", "sim", "doctor.lua"],
            environment: ["XDG_CONFIG_HOME": home.path + "/config", "XDG_CACHE_HOME": home.path + "/cache", "CHORUS_SIM_SCENARIO": "not-attached"],
            directory: home)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            sim\tfalse\t6\t8\trattachement\tAUTH_ACCOUNT
            false\tbad argument #1 to 'doctor' (unknown option 'deposit' (did you mean 'deposit_test'?))

            """)
    }
}
