import ChorusAPI
import ChorusLedger
import ChorusLua
import ChorusSimulator
import ChorusTestSupport
import Foundation
import HostCore
import JSONValue
import Logging
import LuaRuntime
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// examples/plugins/invoice-sync end to end against the in-process simulator, driven through the
/// plugin host's WorkflowRunner as the scheduler drives it.
@Suite struct InvoiceSyncTests {
    static let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples")

    /// A simulator that processes flux at once, and a client of its supplier account.
    static func simulator() async throws -> (InProcessSimulatorLauncher, ChorusClient, SimulatorSession) {
        try await SimulatedSupplier.start()
    }

    /// A plugin host for examples/plugins, its runs acting with `client` (a fresh in-memory ledger)
    /// and reaching the fixture's folder.
    static func exampleHost(client: ChorusClient, fixture: PluginFixture) -> PluginHost {
        let ledgers = LedgerProvider.inMemory()
        let root = fixture.root.path
        var options = PluginHost.Options(
            context: { _ in ChorusLuaContext(clients: ClientProvider(client: client), files: FilePolicy(roots: [root]), ledgers: ledgers) },
            storePath: fixture.storePath)
        options.timeout = 120
        let plugins = PluginSearchPath.Folder(path: examples.appendingPathComponent("plugins").path, source: "--plugin-dir")
        return PluginHost(catalog: PluginCatalog(searchPath: PluginSearchPath(folders: [plugins])), options: options)
    }

    /// The operations the simulator served, oldest first.
    static func operations(_ session: SimulatorSession) async throws -> [String] {
        let url = session.endpoints.apiBaseURL.appendingPathComponent("_sim/requests")
        let (data, _) = try await URLSession.shared.data(from: URL(string: url.absoluteString + "?limit=2000")!)
        let log = try JSONValue.parse(Array(data))
        return (log["requests"]?.arrayValue ?? []).compactMap { $0["operation"]?.stringValue }
    }

    func names(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func syncDepositsFollowsAndFilesEachInvoice() async throws {
        let (launcher, client, session) = try await Self.simulator()
        _ = launcher
        let fixture = PluginFixture()
        let inbox = fixture.root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let samples = Self.examples.appendingPathComponent("invoices")
        for (sample, name) in [
            ("cii-invoice.xml", "cii-invoice.xml"), ("ubl-invoice.xml", "ubl-invoice.xml"),
            ("rejected-missing-service.xml", "missing-service.xml"), ("cii-invoice.xml", "copy-of-cii.xml"),
        ] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(sample), to: inbox.appendingPathComponent(name))
        }
        try "not an invoice".write(to: inbox.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        let host = InvoiceSyncTests.exampleHost(client: client, fixture: fixture)

        #expect(await host.command("invoice-sync", "configure", ["inbox": .string(inbox.path)]).output == "inbox: \(inbox.path)\n")
        let workflows = try await host.declarations()
        #expect(workflows == [.init(plugin: "invoice-sync", name: "sync", timing: .every(seconds: 600))])

        let log = Lines()
        let outcome = await host.run(workflows[0], log: { log.append($0) })
        #expect(outcome == .succeeded)
        // Each invoice deposited once, through the ledger; the copy of one is refused as a duplicate.
        let deposits = try await Self.operations(session).filter { $0 == "factures.deposerFluxFacture" }
        #expect(deposits.count == 2)
        #expect(names(inbox) == ["done", "notes.txt", "rejected"])
        #expect(names(inbox.appendingPathComponent("done")) == ["cii-invoice.xml", "ubl-invoice.xml"])
        #expect(names(inbox.appendingPathComponent("rejected"))
            == ["copy-of-cii.xml", "copy-of-cii.xml.reason.txt", "missing-service.xml", "missing-service.xml.reason.txt"])
        let duplicate = try String(contentsOf: inbox.appendingPathComponent("rejected/copy-of-cii.xml.reason.txt"), encoding: .utf8)
        #expect(duplicate.hasPrefix("invoice FA-CII-2026-0001 of 98765432100015 was already deposited in this environment as flux CPP"))
        #expect(duplicate.hasSuffix(" (cii-invoice.xml, state sent); --force sends it again\n"))
        let missing = try String(contentsOf: inbox.appendingPathComponent("rejected/missing-service.xml.reason.txt"), encoding: .utf8)
        #expect(missing == "'missing-service.xml' line 19: [service-required] Le code service est obligatoire pour le destinataire 12345678200028 (balise : SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement.BuyerReference.value). Fix: Write the recipient's service code in the buyer reference (UBL cbc:BuyerReference, CII ram:BuyerReference).\n")
        let flux = log.all.compactMap { line in line.range(of: "deposited as flux ").map { String(line[$0.upperBound...]) } }
        #expect(flux.count == 2)
        #expect(log.all.count == 6)
        #expect(log.all.filter { $0.hasSuffix(": done") } == ["info: cii-invoice.xml: done", "info: ubl-invoice.xml: done"])

        // A second run finds nothing new and sends nothing.
        #expect(await host.run(workflows[0], log: { _ in }) == .succeeded)
        #expect(try await Self.operations(session).filter { $0 == "factures.deposerFluxFacture" }.count == 2)

        let status = await host.command("invoice-sync", "status", ["json": .bool(true)])
        #expect(status.error == nil)
        let summary = try JSONValue.parse(Array(status.output.utf8))
        #expect(summary["inbox"] == .string(inbox.path))
        #expect(summary["waiting"] == .array([]))
        #expect(summary["pending"] == .array([]))
        #expect(summary["totals"] == .object(["deposited": .integer(2), "done": .integer(2), "rejected": .integer(2)]))
    }

    /// A deposit the platform answers with a 503: the file stays in the inbox, the run fails with
    /// SERVER (which the scheduler retries), and the next run deposits it once.
    @Test func aServerErrorLeavesTheFileForTheNextRun() async throws {
        let (_, client, session) = try await SimulatedSupplier.start(faults: [
            ["operation": "factures.deposerFluxFacture", "error_rate": 1, "status": 503, "times": 1]
        ])
        let fixture = PluginFixture()
        let inbox = fixture.root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.examples.appendingPathComponent("invoices/ubl-invoice.xml"), to: inbox.appendingPathComponent("ubl-invoice.xml"))
        let host = InvoiceSyncTests.exampleHost(client: client, fixture: fixture)
        _ = await host.command("invoice-sync", "configure", ["inbox": .string(inbox.path)])
        let sync = WorkflowDeclaration(plugin: "invoice-sync", name: "sync", timing: .every(seconds: 600))
        let first = await host.run(sync, log: { _ in })
        guard case .failed(let code, _) = first else {
            Issue.record("expected a failure, got \(first)")
            return
        }
        #expect(code == "SERVER")
        #expect(names(inbox) == ["ubl-invoice.xml"])
        #expect(await host.run(sync, log: { _ in }) == .succeeded)
        #expect(names(inbox.appendingPathComponent("done")) == ["ubl-invoice.xml"])
        #expect(try await Self.operations(session).filter { $0 == "factures.deposerFluxFacture" }.count == 2)
    }

    @Test func aMissingInboxFailsTheRunWithTheReason() async throws {
        let fixture = PluginFixture()
        var options = PluginHost.Options(
            context: { _ in ChorusLuaContext(clients: ClientProvider { () async throws(ChorusError) -> ChorusClient in
                throw ChorusError(code: .network, message: "unreachable") }, files: FilePolicy(roots: [fixture.root.path])) },
            storePath: fixture.storePath)
        options.timeout = 30
        let host = PluginHost(
            catalog: PluginCatalog(searchPath: PluginSearchPath(folders: [.init(path: Self.examples.appendingPathComponent("plugins").path, source: "--plugin-dir")])),
            options: options)
        let missing = fixture.root.appendingPathComponent("nowhere").path
        _ = await host.command("invoice-sync", "configure", ["inbox": .string(missing)])
        let outcome = await host.run(.init(plugin: "invoice-sync", name: "sync", timing: .every(seconds: 600)), log: { _ in })
        #expect(outcome == .failed(code: nil, message: "the inbox '\(missing)' does not exist: create it, or set another with invoice-sync:configure"))
    }
}
