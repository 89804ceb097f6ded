import ChorusAPI
import ChorusLedger
import ChorusLua
import ChorusSimulator
import ChorusTestSupport
import Foundation
import HostCore
import Logging
import LuaRuntime
import Testing

/// Hooks fire whichever account a call goes through: the run's own, `chorus.as(name, fn)`, or a
/// `chorus.client{profile = name}` table; the event names the account (`account`, nil for the run's own).
@Suite struct PluginHookAccountTests {
    /// A provider giving the simulator's seeded accounts by name: the run's own is the supplier.
    static func accounts(_ session: SimulatorSession, supplier: ChorusClient) -> ClientProvider {
        ClientProvider(accounts: { (account: String?) async throws(ChorusError) -> ChorusClient in
            guard let account, account != "supplier" else { return supplier }
            guard let seeded = session.account(named: account) else {
                throw ChorusError(code: .config, message: "no account '\(account)' in this test")
            }
            var configuration = ClientConfiguration(
                environment: ChorusEnvironment(name: .sim, endpoints: session.endpoints),
                application: .present(session.application), technicalAccount: .present(seeded.technicalAccount))
            configuration.siret = seeded.siret
            return ChorusClient(
                configuration: configuration, transport: AsyncHTTPClientTransport.shared,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        })
    }

    static func host(_ fixture: PluginFixture, clients: ClientProvider) -> PluginHost {
        let root = fixture.root.path
        let ledgers = LedgerProvider.inMemory()
        var options = PluginHost.Options(
            context: { _ in ChorusLuaContext(clients: clients, files: FilePolicy(roots: [root]), ledgers: ledgers) },
            storePath: fixture.storePath)
        options.timeout = 60
        return PluginHost(catalog: PluginCatalog(searchPath: fixture.searchPath), options: options)
    }

    /// A deposit.before policy cannot be bypassed by depositing as another account: the deposit made
    /// through a chorus.client table (and inside chorus.as) is refused before any request, and so is
    /// one made through `chorus.invoices.deposit` kept in a local while the entry loaded, and one made
    /// with `chorus.call` of a deposit operation (by the run's account or through a client table).
    @Test func aDepositBeforeRefusalHoldsThroughAClientTable() async throws {
        let (launcher, supplier, session) = try await InvoiceSyncTests.simulator()
        _ = launcher
        let fixture = PluginFixture()
        let sample = InvoiceSyncTests.examples.appendingPathComponent("invoices/cii-invoice.xml")
        try FileManager.default.copyItem(at: sample, to: fixture.root.appendingPathComponent("cii-invoice.xml"))
        let file = fixture.root.appendingPathComponent("cii-invoice.xml").path
        fixture.plugin("depositor", permissions: ["chorus.read", "chorus.write"], main: """
            -- Captured while the entry loads: the function a run calls later must still fire the hooks.
            local deposit = chorus.invoices.deposit
            chorus.command{ name = "captured", run = function()
              deposit{ file = "\(file)" }
              print("sent")
            end }
            chorus.command{ name = "through-client", run = function()
              local other = chorus.client{ profile = "recipient" }
              other.invoices.deposit{ file = "\(file)" }
              print("sent")
            end }
            -- chorus.call of a deposit operation, by any of its names, as the run's own account or another.
            local request = { fichierFlux = chorus.base64.encode("<x/>"), nomFichier = "raw.xml", syntaxeFlux = "IN_DP_E1_CII_16B" }
            chorus.command{ name = "raw-call", run = function()
              chorus.call("DeposerFluxFacture", request)
              print("sent")
            end }
            chorus.command{ name = "client-call", run = function()
              chorus.client{ profile = "recipient" }.call("factures.deposerPdfFacture", request)
              print("sent")
            end }
            chorus.command{ name = "through-as", run = function()
              chorus.as("recipient", function() chorus.invoices.deposit{ file = "\(file)" } end)
              print("sent")
            end }
            """)
        fixture.plugin("policy", permissions: ["store"], main: """
            chorus.on("deposit.before", function(event)
              chorus.store.update("seen", function(list)
                list = list or {}
                list[#list + 1] = event.plugin .. " " .. tostring(event.account) .. " " .. tostring(event.operation) .. " "
                  .. (event.file and chorus.fs.basename(event.file) or "no file, name " .. event.name)
                return list
              end)
              error("no deposits on Sunday", 0)
            end)
            chorus.command{ name = "seen", run = function() print(table.concat(chorus.store.get("seen") or {}, ", ")) end }
            """)
        let host = Self.host(fixture, clients: Self.accounts(session, supplier: supplier))
        for command in ["through-client", "through-as", "captured", "raw-call", "client-call"] {
            let run = await host.command("depositor", command)
            #expect(run.output == "", "\(command)")
            #expect(run.error == "the deposit was refused by plugin 'policy' (deposit.before): no deposits on Sunday", "\(command)")
        }
        #expect(await host.command("policy", "seen").output
            == "depositor recipient nil cii-invoice.xml, depositor recipient nil cii-invoice.xml, depositor nil nil cii-invoice.xml, "
                + "depositor nil factures.deposerFluxFacture no file, name raw.xml, "
                + "depositor recipient factures.deposerPdfFacture no file, name raw.xml\n")
        // Nothing reached the simulator: no deposit, not even a token.
        #expect(try await InvoiceSyncTests.operations(session) == [])
    }

    /// invoice.status (and flow.final, deposit.after) fire for calls made through a chorus.client
    /// table, naming the account.
    @Test func statusAndFlowHooksFireThroughAClientTable() async throws {
        let (launcher, supplier, session) = try await InvoiceSyncTests.simulator()
        _ = launcher
        let fixture = PluginFixture()
        let sample = InvoiceSyncTests.examples.appendingPathComponent("invoices/ubl-invoice.xml")
        try FileManager.default.copyItem(at: sample, to: fixture.root.appendingPathComponent("ubl-invoice.xml"))
        let file = fixture.root.appendingPathComponent("ubl-invoice.xml").path
        fixture.plugin("both-sides", permissions: ["chorus.read", "chorus.write"], main: """
            chorus.command{ name = "run", run = function()
              local supplier, recipient = chorus.client{ profile = "supplier" }, chorus.client{ profile = "recipient" }
              local answer = supplier.invoices.deposit{ file = "\(file)" }
              print(supplier.flows.wait(answer.numeroFluxDepot, { timeout = 30, interval = 0.1 }).etatCourantDepotFlux)
              local received = {}
              for _ = 1, 150 do
                received = recipient.invoices.search{ side = "recipient", statutCourant = "MISE_A_DISPOSITION" }
                if #received > 0 then break end
                chorus.sleep(0.2)
              end
              recipient.invoices.process{ id = received[1].idFacture, status = "SUSPENDUE", motif = "Bon de livraison manquant" }
              print("suspended")
            end }
            """)
        fixture.plugin("auditor", permissions: ["store"], main: """
            local function note(line)
              chorus.store.update("seen", function(list) list = list or {}; list[#list + 1] = line; return list end)
            end
            chorus.on("deposit.after", function(event)
              note("deposit.after " .. event.plugin .. " " .. tostring(event.account) .. " " .. tostring(event.answer.numeroFluxDepot ~= nil))
            end)
            chorus.on("flow.final", function(event)
              note("flow.final " .. event.plugin .. " " .. tostring(event.account) .. " " .. event.report.etatCourantDepotFlux)
            end)
            chorus.on("invoice.status", function(event)
              note("invoice.status " .. event.plugin .. " " .. tostring(event.account) .. " " .. event.status .. " "
                .. tostring(event.id ~= nil) .. " " .. tostring(event.answer ~= nil))
            end)
            chorus.command{ name = "seen", run = function() print(table.concat(chorus.store.get("seen") or {}, "\\n")) end }
            """)
        let host = Self.host(fixture, clients: Self.accounts(session, supplier: supplier))
        let run = await host.command("both-sides", "run")
        #expect(run.error == nil)
        #expect(run.output == "IN_INTEGRE\nsuspended\n")
        #expect(await host.command("auditor", "seen").output == """
            deposit.after both-sides supplier true
            flow.final both-sides supplier IN_INTEGRE
            invoice.status both-sides recipient SUSPENDUE true true

            """)
        #expect(try await InvoiceSyncTests.operations(session).filter { $0 == "factures.traiterUneFactureRecue" }.count == 1)
    }
}
