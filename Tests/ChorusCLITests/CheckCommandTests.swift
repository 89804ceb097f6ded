import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// `chorus check` and `chorus explain` as subprocesses: findings with their place and fix, the exit codes,
/// the live rules through the in-process simulator, and a real rejection of the simulator explained.
@Suite struct CheckCommandTests {
    static let broken = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/broken")
    static let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices")

    func environment(_ home: URL, extra: [String: String] = [:]) -> [String: String] {
        [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin",
        ].merging(extra) { _, new in new }
    }

    @Test func offlineFindingsNameTheRuleTheElementAndTheFix() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = Self.broken.appendingPathComponent("payment-means-missing.xml").path
        let run = try await ChorusSubprocess.run(["check", file, "--offline"], environment: environment(home))
        #expect(run.status == 2, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "\(file):30: error [payment-means-missing] BT-81 "
                + "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementPaymentMeans/TypeCode",
            "\(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("  platform: L'element FichierXml.SupplyChainTradeTransaction.") })
        #expect(lines.contains { $0.hasPrefix("  fix:      Add the payment means with its type code") })
        #expect(lines.last == "1 file checked: 1 error, 0 warnings")
        #expect(run.stderr == "")  // offline: no environment, no network

        // Passing files and a warning only: exit 0, JSON on stdout.
        let good = try await ChorusSubprocess.run(
            ["check", Self.examples.appendingPathComponent("ubl-invoice.xml").path,
             Self.broken.appendingPathComponent("issue-date-future.xml").path, "--offline", "--json"],
            environment: environment(home))
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let json = try JSONValue.parse(Array(good.stdout.utf8))
        #expect(json["errors"] == 0)
        #expect(json["warnings"] == 1)
        let finding = json["files"]?.arrayValue?.last?["findings"]?.arrayValue?.first
        #expect(finding?["rule"] == "issue-date-future")
        #expect(finding?["term"] == "BT-2")
        #expect(finding?["line"] == 7)
    }

    @Test func liveRulesAskTheSimulatorsDirectory() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = Self.broken.appendingPathComponent("service-required.xml").path
        let run = try await ChorusSubprocess.run(["check", file, "--env", "sim"], environment: environment(home))
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("error [service-required] BT-10 BuyerReference"), "\(run.stdout)")
        #expect(run.stdout.contains("platform: Le code service est obligatoire pour le destinataire 12345678200028"))
        // The same file against a recipient that requires nothing passes; offline it passes too.
        let other = try await ChorusSubprocess.run(
            ["check", file, "--env", "sim", "--recipient", "12345678200051"], environment: environment(home))
        #expect(other.status == 0, "\(other.stdout)\(other.stderr)")
        #expect(other.stdout.hasSuffix("service-required.xml: ok\n1 file checked: 0 errors, 0 warnings\n"))
        let offline = try await ChorusSubprocess.run(["check", file, "--offline"], environment: environment(home))
        #expect(offline.status == 0)
        let usage = try await ChorusSubprocess.run(["check", file, "--recipient", "123"], environment: environment(home))
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--recipient must be a 14-digit SIRET"))
    }

    @Test func aDeclaredSyntaxIsCheckedAgainstTheContent() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = Self.examples.appendingPathComponent("ubl-invoice.xml").path
        let wrong = try await ChorusSubprocess.run(
            ["check", file, "--syntax", "IN_DP_E1_CII_16B", "--offline"], environment: environment(home))
        #expect(wrong.status == 2, "\(wrong.stdout)\(wrong.stderr)")
        let lines = wrong.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(file): error [syntax-mismatch] -", "\(wrong.stdout)")
        #expect(
            lines.contains(
                "  platform: IRRECEVABILITE: le fichier ubl-invoice.xml n'est pas conforme à la syntaxe déclarée "
                    + "IN_DP_E1_CII_16B. - ligne: 1 - position: 1"), "\(wrong.stdout)")
        #expect(lines.last == "1 file checked: 1 error, 0 warnings")
        let right = try await ChorusSubprocess.run(
            ["check", file, "--syntax", "IN_DP_E1_UBL_INVOICE", "--offline"], environment: environment(home))
        #expect(right.status == 0, "\(right.stdout)\(right.stderr)")
        #expect(right.stdout.hasSuffix("ubl-invoice.xml: ok\n1 file checked: 0 errors, 0 warnings\n"))
        // A lot's members are declared with the lot's syntax, as the platform reads them.
        let lot = Self.examples.appendingPathComponent("lot-ubl.zip").path
        let lotRun = try await ChorusSubprocess.run(
            ["check", lot, "--syntax", "IN_DP_E2_CII_FACTURX", "--offline"], environment: environment(home))
        #expect(lotRun.status == 2)
        #expect(
            lotRun.stdout.split(separator: "\n").filter { $0.contains("error [syntax-mismatch]") }.count == 2,
            "\(lotRun.stdout)")
        let usage = try await ChorusSubprocess.run(
            ["check", file, "--syntax", "UBL", "--offline"], environment: environment(home))
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("unknown syntax 'UBL' (the official syntaxeFlux values: IN_DP_E1_UBL_INVOICE, "))
    }

    @Test func theRulesAreListed() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let run = try await ChorusSubprocess.run(["check", "--rules", "--json"], environment: environment(home))
        #expect(run.status == 0)
        let rules = try JSONValue.parse(Array(run.stdout.utf8)).arrayValue ?? []
        #expect(rules.compactMap { $0["id"]?.stringValue } == CheckRules.all.map(\.id))
        #expect(rules.allSatisfy { $0["source"]?.stringValue?.isEmpty == false })
    }

    @Test func explainTurnsMessagesAndCodesIntoRules() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let code = try await ChorusSubprocess.run(["explain", "GDP_MSG_11.022"], environment: environment(home))
        #expect(code.status == 0)
        #expect(code.stdout.contains("  rule:       file-too-large  (-)"), "\(code.stdout)")
        let message = try await ChorusSubprocess.run(
            ["explain", "--json", "L'element FichierXml.ExchangedDocument.ID.value est obligatoire."],
            environment: environment(home))
        #expect(message.status == 0)
        let entry = try JSONValue.parse(Array(message.stdout.utf8)).arrayValue?.first?["explanations"]?.arrayValue?.first
        #expect(entry?["rule"] == "invoice-number-missing")
        #expect(entry?["term"] == "BT-1")
        let unknown = try await ChorusSubprocess.run(["explain", "no such message"], environment: environment(home))
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("unknown to chorus"))
    }

    @Test func explainFetchesAFluxReportFromTheSimulator() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let scenario = home.appendingPathComponent("fast.toml")
        try "[settings]\nprocessing_delay = 0\nrouting_delay = 0\n".write(to: scenario, atomically: true, encoding: .utf8)
        let env = environment(
            home, extra: ["CHORUS_SIM_STATE": home.appendingPathComponent("sim.json").path, "CHORUS_SIM_SCENARIO": scenario.path])
        let bytes = try Data(contentsOf: Self.broken.appendingPathComponent("payment-means-missing.xml"))
        let payload: JSONValue = [
            "fichierFlux": .string(bytes.base64EncodedString()), "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_CII_16B",
        ]
        let payloadFile = home.appendingPathComponent("deposit.json")
        try Data(payload.serializedBytes()).write(to: payloadFile)
        let deposit = try await ChorusSubprocess.run(
            ["call", "--env", "sim", "factures.deposerFluxFacture", "@" + payloadFile.path], environment: env)
        #expect(deposit.status == 0, "\(deposit.stderr)")
        let flux = try #require(try JSONValue.parse(Array(deposit.stdout.utf8))["numeroFluxDepot"]?.stringValue)
        let run = try await ChorusSubprocess.run(["explain", flux, "--env", "sim"], environment: env)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("L'element FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement."))
        #expect(run.stdout.contains("  rule:       payment-means-missing  (BT-81,"), "\(run.stdout)")
    }
}

/// `chorus deposit` runs the rules first; `--no-check` sends anyway, and the simulator's rejection is
/// explained beside it in the summary's ledger row.
@Suite struct DepositCheckTests {
    @Test func depositRunsTheRulesAndNoCheckLetsTheSimulatorReject() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let scenario = home.appendingPathComponent("fast.toml")
        try "[settings]\nprocessing_delay = 0\nrouting_delay = 0\n".write(to: scenario, atomically: true, encoding: .utf8)
        let env = [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin",
            "CHORUS_SIM_STATE": home.appendingPathComponent("sim.json").path, "CHORUS_SIM_SCENARIO": scenario.path,
        ]
        let file = CheckCommandTests.broken.appendingPathComponent("iban-missing.xml").path
        let checked = try await ChorusSubprocess.run(["deposit", file], environment: env)
        #expect(checked.status == 2, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("invalid") && checked.stdout.contains("[iban-missing] L'element FichierXml."), "\(checked.stdout)")

        let sent = try await ChorusSubprocess.run(["deposit", file, "--no-check", "--wait"], environment: env)
        #expect(sent.status != 0 && sent.status != 2, "\(sent.stdout)\(sent.stderr)")
        #expect(sent.stdout.contains("rejected"), "\(sent.stdout)")
        let show = try await ChorusSubprocess.run(["ledger", "show", "FA-BRK-0013"], environment: env)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("  why        iban-missing (BT-84): The payment means is a credit transfer"), "\(show.stdout)")

        // chorus watch prints the explanation beside the rejection it sees.
        let other = CheckCommandTests.broken.appendingPathComponent("totals-inconsistent.xml").path
        let queued = try await ChorusSubprocess.run(["deposit", other, "--no-check"], environment: env)
        #expect(queued.status == 0, "\(queued.stdout)\(queued.stderr)")
        let watch = try await ChorusSubprocess.run(["watch", "--once"], environment: env)
        #expect(watch.status == 0, "\(watch.stderr)")
        #expect(watch.stdout.contains("FA-BRK-0016"), "\(watch.stdout)")
        #expect(watch.stdout.contains("\n    why: totals-inconsistent (BT-109, BT-110, BT-112): The total with VAT"), "\(watch.stdout)")
    }
}
