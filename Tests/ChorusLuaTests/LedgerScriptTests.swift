import ChorusAPI
import ChorusLedger
import ChorusLua
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Logging
import LuaRuntime
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `chorus.invoices.deposit` goes through the ledger: a second deposit raises `DUPLICATE` with the
/// earlier flux number; `chorus.ledger.list/get` read the rows; `ledger = false` opts out.
@Suite struct LedgerScriptTests {
    /// A rule's fix, as refusals end.
    func fix(_ rule: String) -> String { CheckRules.rule(rule)?.fix ?? "?" }

    /// An in-process simulator that processes flux at once, and a client of its supplier account.
    static func simulator(faults: [JSONValue] = []) async throws -> (
        InProcessSimulatorLauncher, ChorusClient, SimulatorSession
    ) {
        try await SimulatedSupplier.start(faults: faults)
    }

    /// The operations the simulator served (its request log, `GET /_sim/requests`), oldest first.
    static func operations(_ session: SimulatorSession) async throws -> [String] {
        let url = session.endpoints.apiBaseURL.appendingPathComponent("_sim/requests")
        let (data, _) = try await URLSession.shared.data(
            from: URL(string: url.absoluteString + "?limit=2000")!)
        let log = try JSONValue.parse(Array(data))
        return (log["requests"]?.arrayValue ?? []).compactMap { $0["operation"]?.stringValue }
    }

    @Test func aSecondDepositRaisesDuplicateWithTheEarlierFlux() async throws {
        let (launcher, client, _) = try await Self.simulator()
        let root = ChorusSubprocess.packageRoot.path
        let context = ChorusLuaContext(
            clients: ClientProvider(client: client), files: FilePolicy(roots: [root]))
        let run = await LuaTestRun.run(
            """
            local file = '\(root)/examples/invoices/cii-invoice.xml'
            local first = chorus.invoices.deposit{ file = file }
            local ok, err = pcall(chorus.invoices.deposit, { file = file })
            print(ok, err.code, err.numeroFluxDepot == first.numeroFluxDepot, chorus.errors.is(err, "DUPLICATE"))
            local rows = chorus.ledger.list()
            print(#rows, rows[1].state, rows[1].numeroFluxDepot == first.numeroFluxDepot, rows[1].file, #rows[1].attempts)
            print(#chorus.ledger.list{ state = "uncertain" }, #chorus.ledger.list{ state = { "sent", "checked" } })
            local row = chorus.ledger.get(rows[1].invoice_number)
            print(row.supplier == rows[1].supplier, chorus.ledger.get("NOPE"))
            local again = chorus.invoices.deposit{ file = file, force = true }
            print(again.forced, again.numeroFluxDepot ~= first.numeroFluxDepot)
            local unsafe = chorus.invoices.deposit{ file = file, ledger = false }
            print(unsafe.forced, #chorus.ledger.get(rows[1].invoice_number).attempts)
            print(pcall(chorus.ledger.list, { state = "lost" }))
            """, options: { $0.moduleRoot = root }, libraries: ChorusModule.libraries(context))
        #expect(run.errorMessage == "")
        let states = LedgerState.allCases.map(\.rawValue).joined(separator: ", ")
        #expect(
            run.output == """
                false\tDUPLICATE\ttrue\ttrue
                1\tsent\ttrue\tcii-invoice.xml\t2
                0\t1
                true\tnil
                true\ttrue
                nil\t4
                false\tbad argument #1 to 'list' (unknown state (the states: \(states)))

                """)
        #expect(await launcher.store?.snapshot().flux.count == 3)
    }

    @Test func aScriptDepositChecksTheRecipientLikeChorusDepositOncePerRecipient() async throws {
        let (launcher, client, session) = try await Self.simulator()
        let root = ChorusSubprocess.packageRoot.path
        let context = ChorusLuaContext(
            clients: ClientProvider(client: client), files: FilePolicy(roots: [root]))
        let run = await LuaTestRun.run(
            """
            local dir = '\(root)/examples/invoices/'
            for _, name in ipairs{ "rejected-missing-service.xml", "rejected-unknown-recipient.xml", "cii-invoice.xml" } do
              local ok, err = pcall(chorus.invoices.deposit, { file = dir .. name })
              print(ok, ok and err.numeroFluxDepot:sub(1, 3) or err)
            end
            print(#chorus.ledger.list())
            """, options: { $0.moduleRoot = root }, libraries: ChorusModule.libraries(context))
        #expect(run.errorMessage == "")
        let agreement = "SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement"
        #expect(
            run.output == """
                false\ttest.lua:3: bad argument #1 to 'deposit' ('rejected-missing-service.xml' line 19: [service-required] Le code service est obligatoire pour le destinataire 12345678200028 (balise : \(agreement).BuyerReference.value). Fix: \(fix("service-required")))
                false\ttest.lua:3: bad argument #1 to 'deposit' ('rejected-unknown-recipient.xml' line 16: [recipient-unknown] L'identifiant destinataire de la demande de paiement (balise : AccountingCustomerParty.Party.PartyIdentification.ID.value) n'est pas reference dans notre systeme. Fix: \(fix("recipient-unknown")))
                true\tCPP
                1

                """)
        // Refused before anything was reserved or sent; each structure (the two recipients and the one
        // supplier) looked up once for the run, the unknown recipient found by none.
        #expect(await launcher.store?.snapshot().flux.count == 1)
        let served = try await Self.operations(session)
        #expect(served.filter { $0 == "structures.rechercherStructure" }.count == 3, "\(served)")
        #expect(
            served.filter { $0 == "structures.consulterStructureAvecTVAIntraCom" }.count == 2, "\(served)"
        )
        #expect(served.filter { $0 == "factures.deposerFluxFacture" }.count == 1, "\(served)")
    }

    @Test func aScriptDepositRunsTheRulesOfChorusCheckAndSendsNothingOnAnError() async throws {
        let (launcher, client, session) = try await Self.simulator()
        let root = ChorusSubprocess.packageRoot.path
        let context = ChorusLuaContext(clients: ClientProvider(client: client), files: FilePolicy(roots: [root]))
        let run = await LuaTestRun.run(
            """
            local dir = '\(root)/examples/invoices/broken/'
            for _, name in ipairs{ "payment-means-missing.xml", "invoice-number-too-long.xml" } do
              local ok, err = pcall(chorus.invoices.deposit, { file = dir .. name })
              print(ok, err)
            end
            print(#chorus.ledger.list())
            """, options: { $0.moduleRoot = root }, libraries: ChorusModule.libraries(context))
        #expect(run.errorMessage == "")
        #expect(
            run.output == """
                false\ttest.lua:3: bad argument #1 to 'deposit' (\(try await Self.checkRefusal("payment-means-missing.xml")))
                false\ttest.lua:3: bad argument #1 to 'deposit' (\(try await Self.checkRefusal("invoice-number-too-long.xml")))
                0

                """)
        #expect(run.output.contains("'payment-means-missing.xml' line 30: [payment-means-missing] L'element "))
        #expect(run.output.contains("[invoice-number-too-long] "))
        // Refused before anything was reserved or sent: the simulator received no deposit.
        let served = try await Self.operations(session)
        #expect(!served.contains("factures.deposerFluxFacture"), "\(served)")
        #expect(await launcher.store?.snapshot().flux.count == 0)
    }

    /// The refusal `chorus check` findings make for a broken sample (offline: the content rules).
    static func checkRefusal(_ name: String) async throws -> String {
        let url = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/broken/\(name)")
        let findings = try await InvoiceChecker.check(
            [UInt8](try Data(contentsOf: url)), name: name, today: ChorusDate.day(Date()), lookup: nil)
        return DepositCandidate.refusal(findings) ?? "no error"
    }

    @Test func aScriptDepositsALotThroughTheLedger() async throws {
        let (launcher, client, _) = try await Self.simulator()
        let root = ChorusSubprocess.packageRoot.path
        let context = ChorusLuaContext(clients: ClientProvider(client: client), files: FilePolicy(roots: [root]))
        let run = await LuaTestRun.run(
            """
            local lot = '\(root)/examples/invoices/lot-ubl.zip'
            local d = chorus.invoices.deposit{ file = lot }
            print(d.syntaxeFlux, table.concat(d.invoices, ","))
            for _, row in ipairs(chorus.ledger.list()) do
              print(row.invoice_number, row.state, row.lot, row.file, row.numeroFluxDepot == d.numeroFluxDepot)
            end
            local ok, err = pcall(chorus.invoices.deposit, { file = lot })
            print(ok, err.code, err.numeroFluxDepot == d.numeroFluxDepot)
            local ok2, err2 = pcall(chorus.invoices.deposit, { file = '\(root)/examples/invoices/lot-partial.tar.gz' })
            print(ok2, err2)
            """, options: { $0.moduleRoot = root }, libraries: ChorusModule.libraries(context))
        #expect(run.errorMessage == "")
        #expect(
            run.output == """
                IN_DP_E1_UBL_INVOICE\tFA-UBL-2026-0011,FA-UBL-2026-0012
                FA-UBL-2026-0011\tsent\tlot-ubl.zip\tlot-ubl.zip/FA-UBL-2026-0011.xml\ttrue
                FA-UBL-2026-0012\tsent\tlot-ubl.zip\tlot-ubl.zip/FA-UBL-2026-0012.xml\ttrue
                false\tDUPLICATE\ttrue
                false\ttest.lua:9: bad argument #1 to 'deposit' ('lot-partial.tar.gz/FA-UBL-2026-0022.xml' line 16: [recipient-unknown] L'identifiant destinataire de la demande de paiement (balise : AccountingCustomerParty.Party.PartyIdentification.ID.value) n'est pas reference dans notre systeme. Fix: \(fix("recipient-unknown")))

                """)
        #expect(await launcher.store?.snapshot().flux.count == 1)
    }

    @Test func aDepositCancelledInFlightWhenTheScriptFailsIsUncertainBeforeTheRunReturns() async throws {
        let (_, client, _) = try await Self.simulator(faults: [
            ["operation": "deposerFluxFacture", "latency_ms": 20000]
        ])
        let root = ChorusSubprocess.packageRoot.path
        let ledgers = LedgerProvider.inMemory()
        let context = ChorusLuaContext(
            clients: ClientProvider(client: client), files: FilePolicy(roots: [root]), ledgers: ledgers)
        let run = await LuaTestRun.run(
            """
            chorus.all{
              function() return chorus.invoices.deposit{ file = '\(root)/examples/invoices/ubl-invoice.xml' } end,
              function()
                while #chorus.ledger.list{ state = "reserved" } == 0 do chorus.sleep(0.02) end
                error("boom", 0)
              end,
            }
            """, options: { $0.moduleRoot = root }, libraries: ChorusModule.libraries(context))
        #expect(run.errorMessage.contains("boom"), "\(run.errorMessage)")
        // The deposit in flight was cancelled with the run, and recorded before the run returned.
        let rows = try await ledgers.ledger(for: client).entries()
        #expect(rows.map(\.state) == [.uncertain], "\(rows.map(\.attempts))")
    }
}
