import ChorusAPI
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// `chorus deposit` as a subprocess: the plan of `--dry-run` sends nothing; a batch is checked first,
/// deposited once, summed up; a second run is refused by the ledger (exit 9).
@Suite(.serialized) struct DepositCommandTests {
    /// A folder with three good invoices (UBL, CII, Factur-X) and one file that fails the checks.
    func batch(_ home: URL) throws -> URL {
        let folder = home.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices")
        for name in ["ubl-invoice.xml", "cii-invoice.xml", "facturx-invoice.pdf"] {
            try FileManager.default.copyItem(
                at: examples.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Data("<Invoice>".utf8).write(to: folder.appendingPathComponent("broken.xml"))
        return folder
    }

    @Test func dryRunPrintsThePlanAndSendsNothing() async throws {
        // Every recipient exists and requires nothing; any other request is answered too, and recorded.
        let server = try await LoopbackHTTPServer.piste { request in
            if request.url.path.hasSuffix("/rechercher") {
                return .json(200, #"{"codeRetour":0,"libelle":"OK","listeStructures":[{"idStructureCPP":26073617}]}"#)
            }
            if request.url.path.contains("/consulter") {
                return .json(
                    200, #"{"codeRetour":0,"libelle":"OK","parametres":{"codeServiceDoitEtreRenseigne":false}}"#)
            }
            return .json(200, #"{"codeRetour":0,"libelle":"OK"}"#)
        }
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let folder = try batch(home)
        let environment = [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin",
            "CHORUS_OAUTH_URL": server.tokenURL.absoluteString, "CHORUS_API_URL": server.baseURL.absoluteString,
            "CHORUS_CLIENT_ID": TestCredentials.clientId, "CHORUS_CLIENT_SECRET": TestCredentials.clientSecret,
            "CHORUS_TECH_LOGIN": TestCredentials.login, "CHORUS_TECH_PASSWORD": TestCredentials.password,
        ]
        let run = try await ChorusSubprocess.run(["deposit", folder.path, "--dry-run"], environment: environment)
        await server.stop()
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Dry run: nothing is sent.\n"))
        let lines = run.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
        #expect(
            lines.contains(
                "broken.xml - invalid 'broken.xml': [xml-malformed] IRRECEVABILITE: le fichier broken.xml n'est pas un "
                    + "document XML bien forme. Fix: Open the file in an XML editor or run `xmllint --noout FILE` to "
                    + "find the broken element, then fix the export that wrote it."
            ), "\(run.stdout)")
        #expect(lines.contains("ubl-invoice.xml FA-UBL-2026-0001 send"), "\(run.stdout)")
        // The server's request log: the recipients were looked up (reads), nothing was deposited.
        let paths = server.requests.map(\.url.path).filter { $0.hasPrefix("/cpro/") }
        #expect(!paths.isEmpty)
        #expect(paths.allSatisfy { $0.hasPrefix("/cpro/structures/") }, "\(paths)")
        // Each structure looked up once for the run: the three recipients and the one supplier.
        #expect(paths.filter { $0.hasSuffix("/structures/v1/rechercher") }.count == 4, "\(paths)")
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("state/chorus/ledger.sqlite").path))
    }

    /// The environment of a run against a simulator with a state file (kept in `home`) that processes
    /// flux and routes invoices at once; and that state file.
    func fastSimulator(_ home: URL) throws -> (environment: [String: String], state: URL) {
        let scenario = home.appendingPathComponent("fast.toml")
        try "[settings]\nprocessing_delay = 0\nrouting_delay = 0\n".write(
            to: scenario, atomically: true, encoding: .utf8)
        let state = home.appendingPathComponent("sim.json")
        let environment = [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin",
            "CHORUS_SIM_STATE": state.path, "CHORUS_SIM_SCENARIO": scenario.path,
        ]
        return (environment, state)
    }

    @Test func aBatchIsDepositedOnceAndASecondRunIsRefused() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let folder = try batch(home)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("broken.xml"))
        let (environment, state) = try fastSimulator(home)
        let first = try await ChorusSubprocess.run(["deposit", folder.path, "--wait"], environment: environment)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("3 file(s): 3 integrated"), "\(first.stdout)")
        #expect(first.stderr.contains("[3/3] "), "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: state.path + ".ledger.sqlite"))

        let second = try await ChorusSubprocess.run(["deposit", folder.path, "--json"], environment: environment)
        #expect(second.status == 9, "\(second.stdout)\n\(second.stderr)")
        let summary = try JSONValue.parse(Array(second.stdout.utf8))
        #expect(summary["totals"] == ["refused": 3])
        let detail = summary["files"]?.arrayValue?.first?["detail"]?.stringValue ?? ""
        #expect(detail.contains("was already deposited in this environment as flux CPP"), "\(detail)")

        let list = try await ChorusSubprocess.run(["ledger", "list", "--json"], environment: environment)
        #expect(list.status == 0, "\(list.stderr)")
        let rows = try JSONValue.parse(Array(list.stdout.utf8)).arrayValue ?? []
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0["state"] == "integrated" })

        let csv = try await ChorusSubprocess.run(["ledger", "export", "--csv"], environment: environment)
        #expect(csv.stdout.hasPrefix("invoice_number,supplier,recipient,state,numeroFluxDepot,"))
        #expect(csv.stdout.components(separatedBy: "\r\n").count == 5)

        // The simulator's state holds each invoice once.
        #expect(try SimulatorStore.open(stateFile: state).snapshot().flux.count == 3)
    }

    @Test func aLostAnswerIsReconciledThenWatched() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let folder = try batch(home)
        let scenario = home.appendingPathComponent("reset.toml")
        try """
            [settings]
            processing_delay = 0
            routing_delay = 0

            [[faults]]
            operation = "deposerFluxFacture"
            reset_rate = 1.0
            times = 1
            """.write(to: scenario, atomically: true, encoding: .utf8)
        let environment = [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin",
            "CHORUS_SIM_STATE": home.appendingPathComponent("sim.json").path, "CHORUS_SIM_SCENARIO": scenario.path,
        ]
        let file = folder.appendingPathComponent("ubl-invoice.xml").path
        let deposit = try await ChorusSubprocess.run(["deposit", file], environment: environment)
        #expect(deposit.status == 9, "\(deposit.stdout)\n\(deposit.stderr)")
        #expect(deposit.stdout.contains("uncertain"), "\(deposit.stdout)")
        #expect(deposit.stdout.contains("may have been processed"), "\(deposit.stdout)")

        // Reconciliation only searches (the fault is on deposits): the simulator has the invoice.
        let reconcile = try await ChorusSubprocess.run(["ledger", "reconcile"], environment: environment)
        #expect(reconcile.status == 0, "\(reconcile.stdout)\n\(reconcile.stderr)")
        let line = reconcile.stdout.split(separator: "\n").last.map { $0.split(separator: " ").joined(separator: " ") }
        #expect(line?.hasPrefix("FA-UBL-2026-0001 uncertain sent found CPP") == true, "\(reconcile.stdout)")

        let watch = try await ChorusSubprocess.run(["watch", "--once"], environment: environment)
        #expect(watch.status == 0, "\(watch.stderr)")
        #expect(watch.stdout.contains("FA-UBL-2026-0001"), "\(watch.stdout)")
        #expect(watch.stdout.contains("sent → IN_INTEGRE  [integrated]"), "\(watch.stdout)")
        let again = try await ChorusSubprocess.run(["watch", "--once"], environment: environment)
        #expect(again.stdout == "", "only changes are printed: \(again.stdout)")
        let show = try await ChorusSubprocess.run(["ledger", "show", "FA-UBL-2026-0001"], environment: environment)
        #expect(show.stdout.contains("state      integrated (IN_INTEGRE)"), "\(show.stdout)")
        #expect(show.stdout.contains("reconcile found"), "\(show.stdout)")
    }

    @Test func aLotIsDepositedAsOneFluxWithOneLinePerInvoiceAndItsInvoicesAreNotSentAgain() async throws {
        let home = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let folder = home.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices")
        for name in ["lot-ubl.zip", "ubl-invoice.xml"] {
            try FileManager.default.copyItem(
                at: examples.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let (environment, state) = try fastSimulator(home)
        let plan = try await ChorusSubprocess.run(["deposit", folder.path, "--dry-run"], environment: environment)
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
        let squeezed = { (text: String) in
            text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        }
        #expect(squeezed(plan.stdout).contains("lot-ubl.zip FA-UBL-2026-0011,FA-UBL-2026-0012 send"), "\(plan.stdout)")

        let first = try await ChorusSubprocess.run(["deposit", folder.path, "--wait"], environment: environment)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let lines = squeezed(first.stdout)
        let lotLines = lines.filter { $0.hasPrefix("lot-ubl.zip FA-UBL-2026-001") }
        #expect(lotLines.count == 2, "\(first.stdout)")
        #expect(lotLines.allSatisfy { $0.contains(" integrated CPP") && $0.hasSuffix(" in lot lot-ubl.zip") })
        // Both invoices of the lot share its flux number.
        #expect(Set(lotLines.map { $0.split(separator: " ")[3] }).count == 1, "\(lotLines)")
        #expect(first.stdout.hasSuffix("2 file(s) (3 lines: a lot has one per invoice): 3 integrated\n"), "\(first.stdout)")
        // The simulator's state file (SQLite), read as `chorus sim --state` reads it.
        #expect(try SimulatorStore.open(stateFile: state).snapshot().flux.count == 2)

        // A new lot holding an invoice of the first: refused, naming it; nothing is sent.
        let again = folder.appendingPathComponent("again")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        let text = try String(contentsOf: examples.appendingPathComponent("ubl-invoice.xml"), encoding: .utf8)
        let zip = try #require(
            InvoiceArchive.zip([
                InvoiceArchive.Entry(name: "new.xml", bytes: Array(text.replacingOccurrences(of: "FA-UBL-2026-0001", with: "FA-UBL-2026-0099").utf8)),
                InvoiceArchive.Entry(name: "old.xml", bytes: Array(try Data(contentsOf: examples.appendingPathComponent("ubl-invoice.xml")))),
            ]))
        try Data(zip).write(to: again.appendingPathComponent("again.zip"))
        let refused = try await ChorusSubprocess.run(["deposit", again.path], environment: environment)
        #expect(refused.status == 9, "\(refused.stdout)\n\(refused.stderr)")
        #expect(
            refused.stdout.contains(
                "the lot 'again.zip' holds an invoice already deposited in this environment: invoice FA-UBL-2026-0001 of 98765432100015 as flux CPP"),
            "\(refused.stdout)")
        #expect(try SimulatorStore.open(stateFile: state).snapshot().flux.count == 2)

        let show = try await ChorusSubprocess.run(["ledger", "show", "FA-UBL-2026-0012"], environment: environment)
        #expect(show.stdout.contains("file       lot-ubl.zip/FA-UBL-2026-0012.xml"), "\(show.stdout)")
        #expect(show.stdout.contains("lot        lot-ubl.zip (its invoices share the flux)"), "\(show.stdout)")
        let list = try await ChorusSubprocess.run(["ledger", "list", "--json"], environment: environment)
        let rows = try JSONValue.parse(Array(list.stdout.utf8)).arrayValue ?? []
        #expect(rows.filter { $0["lot"] == .string("lot-ubl.zip") }.count == 2, "\(list.stdout)")
        #expect(rows.filter { $0["lot"] == .null }.count == 1, "\(list.stdout)")
    }

    @Test func aDryRunSendsNoDepositToTheSimulatorBeforeOrAfterARealRun() async throws {
        let drill = try await DepositDrill(
            count: 2, prefix: "DRY", settle: 3, scenario: "[settings]\nprocessing_delay = 0\nrouting_delay = 0\n")
        let missing = drill.home.appendingPathComponent("missing.xml").path
        let plan = try await ChorusSubprocess.run(
            ["deposit", drill.invoices.path, missing, "--dry-run"], environment: drill.environment)
        #expect(plan.status == 2, "\(plan.stdout)\n\(plan.stderr)")
        let lines = plan.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
        #expect(lines.contains("DRY-01.xml DRY-01 send"), "\(plan.stdout)")
        #expect(lines.contains("missing.xml - invalid cannot read '\(missing)': no such file"), "\(plan.stdout)")
        #expect(try await drill.depositRequests() == 0)
        #expect(drill.entries().isEmpty, "a dry run reserves nothing")

        let real = try await ChorusSubprocess.run(["deposit", drill.invoices.path], environment: drill.environment)
        #expect(real.status == 0, "\(real.stdout)\n\(real.stderr)")
        #expect(try await drill.depositRequests() == 2)
        let again = try await ChorusSubprocess.run(
            ["deposit", drill.invoices.path, "--dry-run", "--json"], environment: drill.environment)
        #expect(again.status == 9, "\(again.stdout)")
        let files = try JSONValue.parse(Array(again.stdout.utf8))["files"]?.arrayValue ?? []
        #expect(files.map { $0["action"] } == ["refused", "refused"], "\(again.stdout)")
        #expect(try await drill.depositRequests() == 2, "the simulator's request log shows no other deposit")
        await drill.finish()
    }
}
