import ChorusAPI
import ChorusLedger
import ChorusLua
import ChorusSimulator
import ChorusTestSupport
import Foundation
import Logging
import LuaRuntime
import Testing

/// `chorus.invoices.deposit` goes through the ledger: a second deposit raises `DUPLICATE` with the
/// earlier flux number; `chorus.ledger.list/get` read the rows; `ledger = false` opts out.
@Suite struct LedgerScriptTests {
    @Test func aSecondDepositRaisesDuplicateWithTheEarlierFlux() async throws {
        let fast = try Scenario(json: ["settings": ["processing_delay": 0, "routing_delay": 0]])
        let launcher = InProcessSimulatorLauncher(scenario: fast)
        let session = try await launcher.start()
        let configuration = ClientConfiguration(
            environment: ChorusEnvironment(name: .sim, endpoints: session.endpoints),
            application: .present(session.application),
            technicalAccount: .present(
                TechnicalAccount(login: SimulatorSeed.supplierLogin, password: SimulatorSeed.supplierPassword)))
        let client = ChorusClient(
            configuration: configuration, transport: AsyncHTTPClientTransport.shared,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let root = ChorusSubprocess.packageRoot.path
        let context = ChorusLuaContext(clients: ClientProvider(client: client), files: FilePolicy(roots: [root]))
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
}
