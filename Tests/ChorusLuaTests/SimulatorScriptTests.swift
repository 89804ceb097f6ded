import ChorusAPI
import ChorusLua
import ChorusSimulator
import ChorusTestSupport
import Foundation
import Logging
import LuaRuntime
import Testing

/// Every function of the `chorus` module, called from Lua against the in-process simulator: the
/// supplier deposits and submits, the recipient processes, the supplier completes and recycles.
@Suite struct SimulatorScriptTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-sim-lua-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Runs `source` as `login` on the simulator started by `launcher`.
    func run(_ source: String, on launcher: InProcessSimulatorLauncher, login: String, password: String) async throws -> LuaTestRun {
        let session = try await launcher.start()
        let configuration = ClientConfiguration(
            environment: ChorusEnvironment(name: .sim, endpoints: session.endpoints),
            application: .present(session.application),
            technicalAccount: .present(TechnicalAccount(login: login, password: password)))
        let client = ChorusClient(configuration: configuration, transport: AsyncHTTPClientTransport.shared,
                                  logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let context = ChorusLuaContext(clients: ClientProvider(client: client),
                                       files: FilePolicy(roots: [folder.path, ChorusSubprocess.packageRoot.path]))
        let root = ChorusSubprocess.packageRoot.path
        return await LuaTestRun.run("local ROOT = '\(root)'\nlocal OUT = '\(folder.path)'\n" + source, options: { $0.moduleRoot = root },
                                    libraries: ChorusModule.libraries(context))
    }

    @Test func everyFunctionAgainstTheSimulator() async throws {
        let fast = try Scenario(json: ["settings": ["processing_delay": 0, "routing_delay": 0]])
        let launcher = InProcessSimulatorLauncher(scenario: fast)

        let supplier = try await run("""
            local env = chorus.env()
            print("env", env.name, env.api_url:match("^http://127.0.0.1:%d+$") ~= nil, env.profile)
            local t = chorus.token()
            print("token", t.scope, t.expires_in > 0, t.token_type)
            print("health", chorus.health().statusCode)
            print("operations", #chorus.operations() >= 60)
            print("call", #chorus.call("transverses.recupererPays", { codeLangue = "FR" }).listePays > 0)

            -- structures
            local plain = chorus.structures.find("12345678200051")
            print("find", math.type(plain), chorus.structures.find("99999999999999"))
            print("search", #chorus.structures.search{ identifiantStructure = "12345678200028" })
            print("get", chorus.structures.get(plain).informationGenerales.identifiantStructure)
            local service_recipient = chorus.structures.find("12345678200028")
            local services = chorus.structures.services(service_recipient)
            print("services", #services > 0, services[1].codeService ~= nil)
            print("requirements", chorus.structures.requirements("12345678200036").requires)

            -- lookups, account, commitments, works invoices, attachments
            print("lookups", #chorus.lookups.vat_rates() > 0, #chorus.lookups.currencies() > 0, #chorus.lookups.countries() > 0,
              #chorus.lookups.payment_modes() > 0, #chorus.lookups.flux_formats() > 0, #chorus.lookups.deposit_modes() > 0,
              #chorus.lookups.vat_exemptions() >= 0, #chorus.lookups.next_statuses("MISE_A_DISPOSITION") > 0)
            local rattachements = chorus.account.structures()
            print("account", #rattachements, rattachements[1].identifiantStructure)
            print("commitments", type(chorus.commitments.search{ numeroEngagementJuridique = "EJ-NOPE" }))
            print("works", #chorus.works_invoices.search{})
            chorus.fs.write(OUT .. "/note.pdf", "%PDF-1.4 attachment")
            print("attachment", math.type(chorus.attachments.add{ file = OUT .. "/note.pdf" }))

            -- deposits and flows
            local d = chorus.invoices.deposit{ file = ROOT .. "/examples/invoices/ubl-invoice.xml" }
            local report = chorus.flows.wait(d.numeroFluxDepot, { interval = 0.1, timeout = 30 })
            print("deposit", d.syntaxeFlux, report.etatCourantDepotFlux, chorus.flows.report(d.numeroFluxDepot).etatCourantDepotFlux)
            print("unknown flux", chorus.flows.report("CPP0019999999999999999999"))
            local created = chorus.flows.invoices(d.numeroFluxDepot)
            print("flow invoices", #created)
            local id = created[1].identifiantFactureCPP
            print("get invoice", chorus.invoices.get(id).numeroFacture ~= nil, chorus.invoices.get(123456789))
            print("history", chorus.invoices.history(id).historiquesDesStatuts.histoStatut[1].histoStatutCode)
            local n = 0
            for _ in chorus.invoices.each{ numeroFluxDepot = d.numeroFluxDepot } do n = n + 1 end
            print("each", n, #chorus.invoices.search{ numeroFluxDepot = d.numeroFluxDepot })

            -- submit (SAISIE_API)
            local me = chorus.structures.find("98765432100015")
            local s = chorus.invoices.submit{
              idUtilisateurCourant = 0, numeroFactureSaisi = "SAISIE-1", dateFacture = chorus.time.date(),
              destinataire = { codeDestinataire = "12345678200051" },
              fournisseur = { idFournisseur = me },
              cadreDeFacturation = { codeCadreFacturation = "A1_FACTURE_FOURNISSEUR" },
              references = { deviseFacture = "EUR", typeFacture = "FACTURE", typeTva = "TVA_SUR_DEBIT", modePaiement = "VIREMENT" },
              lignePoste = { { lignePosteNumero = 1, lignePosteDenomination = "Conseil", lignePosteQuantite = 1,
                lignePosteMontantUnitaireHT = 100, lignePosteTauxTva = "TVA20" } },
              montantTotal = { montantHtTotal = 100, montantTVA = 20, montantTtcTotal = 120, montantAPayer = 120 },
            }
            print("submit", s.numeroFacture)
            """, on: launcher, login: SimulatorSeed.supplierLogin, password: SimulatorSeed.supplierPassword)
        #expect(supplier.errorMessage == "")
        #expect(supplier.output == """
            env\tsim\ttrue\tnil
            token\topenid\ttrue\tBearer
            health\tOK
            operations\ttrue
            call\ttrue
            find\tinteger\tnil
            search\t1
            get\t12345678200051
            services\ttrue\ttrue
            requirements\tengagement
            lookups\ttrue\ttrue\ttrue\ttrue\ttrue\ttrue\ttrue\ttrue
            account\t1\t98765432100015
            commitments\ttable
            works\t0
            attachment\tinteger
            deposit\tIN_DP_E1_UBL_INVOICE\tIN_INTEGRE\tIN_INTEGRE
            unknown flux\tnil
            flow invoices\t1
            get invoice\ttrue\tnil
            history\tDEPOSEE
            each\t1\t1
            submit\tSAISIE-1

            """)

        // The recipient sees both invoices, downloads them, and moves them on.
        let recipient = try await run("""
            local received = chorus.invoices.search{ side = "recipient", statutCourant = "MISE_A_DISPOSITION" }
            print("received", #received)
            local ids = {}
            for i, f in ipairs(received) do ids[i] = f.idFacture end
            table.sort(ids)
            local saved = chorus.invoices.download{ ids = { ids[1] }, to = OUT }
            -- Named by invoice number.
            print("download", saved.file == OUT .. "/FA-UBL-2026-0001.pdf", saved.size > 0)
            print("bytes", chorus.invoices.download{ ids = ids, format = "PIVOT" }:sub(1, 2))
            print("get", chorus.invoices.get(ids[1], { side = "recipient" }).numeroFacture ~= nil)
            print("suspend", chorus.invoices.process{ id = ids[1], status = "SUSPENDUE", motif = "Bon de commande manquant" }.nouveauStatut)
            print("recycle-ready", chorus.invoices.process{ id = ids[2], status = "A_RECYCLER", motif = "Mauvais service" }.nouveauStatut)
            print(ids[1], ids[2])
            """, on: launcher, login: SimulatorSeed.recipientLogin, password: SimulatorSeed.recipientPassword)
        #expect(recipient.errorMessage == "")
        let lines = recipient.output.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(6)) == ["received\t2", "download\ttrue\ttrue", "bytes\tPK", "get\ttrue", "suspend\tSUSPENDUE", "recycle-ready\tA_RECYCLER"])
        let ids = lines.last?.split(separator: "\t").map(String.init) ?? []

        // The supplier completes the suspended invoice and recycles the other.
        let followUp = try await run("""
            print("complete", chorus.invoices.complete{ id = \(ids.first ?? "0"), comment = "Bon de commande joint" }.identifiantFactureCPP == \(ids.first ?? "0"))
            print("recycle", chorus.invoices.recycle{ id = \(ids.last ?? "0"), recipient = "12345678200051", comment = "Autre service" }.identifiantFactureCPP == \(ids.last ?? "0"))
            """, on: launcher, login: SimulatorSeed.supplierLogin, password: SimulatorSeed.supplierPassword)
        #expect(followUp.errorMessage == "")
        #expect(followUp.output == "complete\ttrue\nrecycle\ttrue\n")
    }
}
