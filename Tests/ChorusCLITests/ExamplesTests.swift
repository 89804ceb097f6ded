import ChorusTestSupport
import Foundation
import Testing

/// Every example runs against the built-in simulator, as a user would run it.
@Suite struct ExamplesTests {
    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// A clean environment: no profile, no credentials, so the simulator is the default.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["XDG_CONFIG_HOME": home.path + "/config", "XDG_CACHE_HOME": home.path + "/cache", "XDG_STATE_HOME": home.path + "/state"]
            .merging(extra) { _, new in new }
    }

    func example(_ name: String, _ arguments: [String] = [], extra: [String: String] = [:], in directory: URL? = nil) async throws -> ChorusSubprocess.Outcome {
        let script = ChorusSubprocess.packageRoot.appendingPathComponent("examples/\(name)").path
        return try await ChorusSubprocess.run(["run", script] + arguments, environment: environment(extra), directory: directory ?? home)
    }

    func exampleAllowingWrites(_ name: String, extra: [String: String] = [:]) async throws -> ChorusSubprocess.Outcome {
        let script = ChorusSubprocess.packageRoot.appendingPathComponent("examples/\(name)").path
        return try await ChorusSubprocess.run(["run", "--allow-path", ".", script], environment: environment(extra), directory: home)
    }

    @Test func quickstartDepositsAndFollowsAnInvoice() async throws {
        let outcome = try await example("quickstart.lua")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count >= 6)
        #expect(lines[0].hasPrefix("Environment  sim  (http://127.0.0.1:"))
        #expect(lines[1].hasPrefix("Recipient    12345678200028  idStructureCPP "))
        #expect(lines[1].hasSuffix("invoices must carry: service"))
        #expect(lines[2].hasPrefix("Deposited    facturx-invoice.pdf  as IN_DP_E2_CII_FACTURX (flux CPP001"))
        #expect(lines[3] == "Processed    IN_INTEGRE")
        #expect(lines[4].hasPrefix("Invoice      FA-FX-2026-0001  id "))
        #expect(lines[5].hasPrefix("  DEPOSEE "))
        #expect(outcome.stderr.hasPrefix("chorus: environment sim: http://127.0.0.1:"))
    }

    @Test func onboardingCheckPassesOnTheSimulator() async throws {
        let outcome = try await example("onboarding-check.lua")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("ok    ") }.count == 5)
        #expect(lines.contains("ok    technical account attachments (rattachements)  (1 structure(s): 98765432100015)"))
        #expect(lines.last == "All checks passed.")
    }

    @Test func onboardingCheckNamesTheFixWhenAnAPIIsNotSubscribed() async throws {
        let outcome = try await example("onboarding-check.lua", extra: ["CHORUS_SIM_SCENARIO": "no-cgu-structures"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("FAIL  Structures API subscribed\n      "))
        #expect(outcome.stdout.contains("onboarding-check.lua:40: NOT_SUBSCRIBED structures.rechercherStructure (HTTP 403): "))
        #expect(outcome.stdout.contains("fix: The PISTE application has not accepted the CGU"))
        #expect(outcome.stderr.contains("chorus: 1 check(s) failed"))
    }

    @Test func depositFolderReportsEachFile() async throws {
        let outcome = try await example("deposit-folder.lua")
        #expect(outcome.status == 1)
        let out = outcome.stdout
        #expect(out.hasPrefix("9 invoice file(s) in "))
        for name in ["cii-invoice.xml", "facturx-invoice.pdf", "facturx-uncompressed.pdf", "lot-ubl.zip", "ubl-credit-note.xml", "ubl-invoice.xml"] {
            #expect(out.contains("\n" + name.padding(toLength: 32, withPad: " ", startingAt: 0) + "  IN_INTEGRE "), "\(name)")
        }
        // The lots are deposited too; the ledger's pre-deposit check (the rule set, live) refuses, before anything is sent,
        // the .tar.gz (one of its invoices goes to an unknown recipient) and the two rejected files.
        #expect(out.contains("\nlot-partial.tar.gz                refused              'lot-partial.tar.gz/FA-UBL-2026-0022.xml' line 16: [recipient-unknown] L'identifiant destinataire de la demande de paiement"), "\(out)")
        #expect(out.contains("\nrejected-missing-service.xml      refused              'rejected-missing-service.xml' line 19: [service-required] Le code service est obligatoire pour le destinataire 12345678200028"), "\(out)")
        #expect(out.contains("\nrejected-unknown-recipient.xml    refused              'rejected-unknown-recipient.xml' line 16: [recipient-unknown] L'identifiant destinataire de la demande de paiement"), "\(out)")
        #expect(out.hasSuffix("6 of 9 integrated\n"))
        // An intended failure (chorus.exit), not a crash: the message alone, no traceback.
        #expect(outcome.stderr.hasSuffix("\n3 file(s) not fully integrated\n"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("traceback"))
    }

    @Test func completeSuspendedAddsTheAttachmentFromAPath() async throws {
        let outcome = try await example("complete-suspended.lua")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(outcome.stdout)")
        #expect(lines.first?.hasPrefix("Recipient can set: PRISE_EN_COMPTE_DESTINATAIRE, SERVICE_FAIT, SUSPENDUE, ") == true)
        #expect(lines.dropFirst().first?.hasPrefix("Invoice FA-UBL-2026-0001 (id ") == true)
        #expect(lines.dropFirst().first?.hasSuffix(") is SUSPENDUE") == true)
        #expect(lines.last == "Status now COMPLETEE")
    }

    @Test func rawCallFindsTheFieldsAndCalls() async throws {
        let outcome = try await example("raw-call.lua", ["recupererCoordonneesBancairesValides"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            transverses.recupererCoordonneesBancairesValides  POST /transverses/v1/recuperer/coordbanc/valides  (List the valid bank details of a structure (their id goes in soumettreFacture).)
              idStructure              integer  required
            payload {"idStructure":26073801}
            answer  {"codeRetour":0,"libelle":"TRA_MSG_00.000","listeCoordonneeBancaire":[{"idCoordonneeBancaire":132,"nomCoordonneeBancaire":"Compte principal"}]}

            """)
        let plain = try await example("raw-call.lua")
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains(#""raisonSociale":"FOURNISSEUR ALPHA""#))
    }

    /// Run from the repository, as its header says, with the scenario that plays the failures.
    @Test func errorClassesAreAllReproduced() async throws {
        let outcome = try await ChorusSubprocess.run(
            ["run", "examples/error-classes.lua"],
            environment: environment(["CHORUS_SIM_SCENARIO": "examples/error-classes.toml"]),
            directory: ChorusSubprocess.packageRoot)
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        let verdicts = outcome.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { $0.prefix(20) }
        #expect(verdicts.count == 15)
        for code in ["AUTH_APP", "NOT_SUBSCRIBED", "AUTH_ACCOUNT", "ENVIRONMENT", "SERVER", "RATE_LIMITED", "NETWORK",
                     "UNCERTAIN", "STRUCTURE", "BUSINESS", "TIMEOUT", "DUPLICATE", "CONFIG", "MISUSE"] {
            #expect(outcome.stdout.contains("\n" + code.padding(toLength: 15, withPad: " ", startingAt: 0) + " ok ")
                || outcome.stdout.hasPrefix(code.padding(toLength: 15, withPad: " ", startingAt: 0) + " ok "), "\(code)")
        }
        #expect(outcome.stdout.hasSuffix("all 14 classes reproduced\n"))
    }

    @Test func structuresReportIsACSV() async throws {
        let outcome = try await example("structures-report.lua")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = outcome.stdout.split(separator: "\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        #expect(!outcome.stdout.contains("\r"))
        #expect(rows.first == ["siret", "idStructureCPP", "requires", "service_required", "engagement_required", "status"])
        let summary = rows.dropFirst().map { [$0[0], $0[2], $0[5]] }
        #expect(summary == [
            ["12345678200051", "none", "ok"], ["12345678200028", "service", "ok"], ["12345678200036", "engagement", "ok"],
            ["12345678200044", "both", "ok"], ["11000201100044", "service_or_engagement", "ok"],
            ["99999999999999", "", "unknown in this environment"],
        ])
    }

    /// The SIRET list from a file (@FILE), in the working directory the run may read.
    @Test func structuresReportReadsAListFromAFile() async throws {
        try "12345678200036\n\n 99999999999999 \n".write(to: home.appendingPathComponent("sirets.txt"), atomically: true, encoding: .utf8)
        let outcome = try await example("structures-report.lua", ["@sirets.txt"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            siret;idStructureCPP;requires;service_required;engagement_required;status
            12345678200036;26073636;engagement;false;true;ok
            99999999999999;;;;;unknown in this environment

            """)
    }

    /// As its header says: on the built-in simulator it deposits as the supplier, then acts as the
    /// recipient in the same run (chorus.client{profile = "recipient"}), downloads and pays.
    @Test func receivedInvoicesOnTheRecipientSide() async throws {
        // It saves into the working directory, which a run may only read unless allowed.
        let outcome = try await exampleAllowingWrites("received-invoices.lua")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(outcome.stdout)")
        #expect(lines.first?.hasPrefix("Deposited ubl-invoice.xml as the supplier (flux CPP001") == true)
        #expect(lines.dropFirst().first
            == "FA-UBL-2026-0001 98765432100015    1200.00 EUR  saved received/FA-UBL-2026-0001.pdf  -> MISE_EN_PAIEMENT")
        #expect(lines.last == "1 invoice(s) processed")
        let pdf = try Data(contentsOf: home.appendingPathComponent("received/FA-UBL-2026-0001.pdf"))
        #expect(pdf.starts(with: Data("%PDF".utf8)))
    }

    /// The stubs task: `chorus stubs` writes the types, and every chorus type the example's annotations
    /// name is one the stubs define; then the example runs.
    @Test func typedReportUsesTypesTheStubsDefine() async throws {
        let stubs = try await ChorusSubprocess.run(["stubs"], environment: environment(), directory: home)
        #expect(stubs.status == 0, "\(stubs.stderr)")
        let definitions = try String(contentsOf: home.appendingPathComponent(".chorus/types/chorus.d.lua"), encoding: .utf8)
        let source = try String(contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent("examples/typed-report.lua"), encoding: .utf8)
        var named: Set<String> = []
        for line in source.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("---@type") {
            for match in line.matches(of: /chorus\.[A-Za-z_.]+/) { named.insert(String(match.output)) }
        }
        #expect(named == ["chorus.InvoiceQuery", "chorus.Error"])
        for name in named { #expect(definitions.contains("---@class \(name)"), "\(name)") }
        let outcome = try await example("typed-report.lua")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("FA-UBL-2026-0001     "))
        #expect(outcome.stdout.hasSuffix("a misuse is told apart: true\nDEPOSEE: 1\n") || outcome.stdout.contains("a misuse is told apart: true\n"))
    }
}
