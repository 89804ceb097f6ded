import ChorusAPI
import ChorusLedger
import ChorusLua
import ChorusTestSupport
import Foundation
import HostCore
import LuaRuntime
import Testing

/// Hooks: the events of a plugin run reach the handlers of every enabled plugin, each in a state of
/// its own; a deposit.before handler that raises refuses the deposit before anything is sent.
@Suite struct PluginHookTests {
    @Test func depositHooksFireAroundAPluginsDeposits() async throws {
        let (launcher, client, session) = try await InvoiceSyncTests.simulator()
        _ = launcher
        let fixture = PluginFixture()
        let samples = InvoiceSyncTests.examples.appendingPathComponent("invoices")
        for name in ["cii-invoice.xml", "ubl-invoice.xml"] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: fixture.root.appendingPathComponent(name))
        }
        let root = fixture.root.path
        fixture.plugin("depositor", permissions: ["chorus.read", "chorus.write"], main: """
            chorus.command{ name = "send", args = { { name = "file" } }, run = function(args)
              local answer = chorus.invoices.deposit{ file = args.file }
              print("deposited", answer.numeroFluxDepot ~= nil)
              local report = chorus.flows.wait(answer.numeroFluxDepot, { timeout = 30, interval = 0.1 })
              print("final", report.etatCourantDepotFlux)
            end }
            """)
        // Another plugin watches: it refuses UBL files, and counts what it saw in its store.
        fixture.plugin("auditor", permissions: ["store"], main: """
            chorus.on("deposit.before", function(event)
              chorus.store.update("before", function(n) return (n or 0) + 1 end)
              if event.file:match("ubl") then error("no UBL today (" .. chorus.fs.basename(event.file) .. ")", 0) end
            end)
            chorus.on("deposit.after", function(event)
              chorus.store.set("after", event.plugin .. " " .. tostring(event.answer.numeroFluxDepot ~= nil))
            end)
            chorus.on("flow.final", function(event) chorus.store.set("final", event.report.etatCourantDepotFlux) end)
            chorus.command{ name = "seen", run = function()
              print(chorus.store.get("before"), chorus.store.get("after"), chorus.store.get("final"))
            end }
            """)
        let ledgers = LedgerProvider.inMemory()
        var options = PluginHost.Options(
            context: { _ in ChorusLuaContext(clients: ClientProvider(client: client), files: FilePolicy(roots: [root]), ledgers: ledgers) },
            storePath: fixture.storePath)
        options.timeout = 60
        let host = PluginHost(catalog: PluginCatalog(searchPath: fixture.searchPath), options: options)
        let cii = await host.command("depositor", "send", ["file": .string(root + "/cii-invoice.xml")])
        #expect(cii.error == nil)
        #expect(cii.output == "deposited\ttrue\nfinal\tIN_INTEGRE\n")
        let ubl = await host.command("depositor", "send", ["file": .string(root + "/ubl-invoice.xml")])
        #expect(ubl.output == "")
        #expect(ubl.error == "the deposit was refused by plugin 'auditor' (deposit.before): no UBL today (ubl-invoice.xml)")
        #expect(await host.command("auditor", "seen").output == "2\tdepositor true\tIN_INTEGRE\n")
        #expect(try await InvoiceSyncTests.operations(session).filter { $0 == "factures.deposerFluxFacture" }.count == 1)
    }
}

/// `invoice.status`: a plugin acting for the recipient changes a received invoice's status; the
/// handler of another plugin sees the invoice, the new status and the platform's answer.
@Suite struct InvoiceStatusHookTests {
    @Test func aStatusChangeReachesTheHandlersOfOtherPlugins() async throws {
        let (launcher, supplier, session) = try await InvoiceSyncTests.simulator()
        _ = launcher
        var configuration = ClientConfiguration(
            environment: ChorusEnvironment(name: .sim, endpoints: session.endpoints),
            application: .present(session.application),
            technicalAccount: .present(try #require(session.account(named: "recipient")).technicalAccount))
        configuration.siret = session.account(named: "recipient")?.siret
        let recipient = ChorusClient(configuration: configuration, transport: AsyncHTTPClientTransport.shared)
        let fixture = PluginFixture()
        let sample = InvoiceSyncTests.examples.appendingPathComponent("invoices/ubl-invoice.xml")
        try FileManager.default.copyItem(at: sample, to: fixture.root.appendingPathComponent("ubl-invoice.xml"))
        let root = fixture.root.path
        fixture.plugin("supplier-side", permissions: ["chorus.read", "chorus.write"], main: """
            chorus.command{ name = "send", run = function()
              local answer = chorus.invoices.deposit{ file = "\(root)/ubl-invoice.xml" }
              print(chorus.flows.wait(answer.numeroFluxDepot, { timeout = 30, interval = 0.1 }).etatCourantDepotFlux)
            end }
            """)
        fixture.plugin("recipient-side", permissions: ["chorus.read", "chorus.write"], main: """
            chorus.command{ name = "suspend", run = function()
              local received = {}
              for _ = 1, 150 do
                received = chorus.invoices.search{ side = "recipient", statutCourant = "MISE_A_DISPOSITION" }
                if #received > 0 then break end
                chorus.sleep(0.2)
              end
              chorus.invoices.process{ id = received[1].idFacture, status = "SUSPENDUE", motif = "Bon de livraison manquant" }
              print("suspended")
            end }
            """)
        fixture.plugin("auditor", permissions: ["store"], main: """
            chorus.on("invoice.status", function(event)
              chorus.store.set("seen", event.plugin .. " " .. event.status .. " " .. tostring(event.id ~= nil)
                .. " " .. tostring(event.answer ~= nil))
            end)
            chorus.command{ name = "seen", run = function() print(chorus.store.get("seen")) end }
            """)
        let ledgers = LedgerProvider.inMemory()
        var options = PluginHost.Options(
            context: { plugin in
                ChorusLuaContext(
                    clients: ClientProvider(client: plugin.name == "recipient-side" ? recipient : supplier),
                    files: FilePolicy(roots: [root]), ledgers: ledgers)
            },
            storePath: fixture.storePath)
        options.timeout = 60
        let host = PluginHost(catalog: PluginCatalog(searchPath: fixture.searchPath), options: options)
        let sent = await host.command("supplier-side", "send")
        #expect(sent.error == nil)
        #expect(sent.output == "IN_INTEGRE\n")
        let suspended = await host.command("recipient-side", "suspend")
        #expect(suspended.error == nil)
        #expect(suspended.output == "suspended\n")
        #expect(await host.command("auditor", "seen").output == "recipient-side SUSPENDUE true true\n")
    }
}
