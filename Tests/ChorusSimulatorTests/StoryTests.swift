import ChorusSimulator
import Foundation
import JSONValue
import Testing

/// The whole path a supplier and a recipient take, over plain HTTP, as any third-party client would.
@Suite("Full story over HTTP")
struct StoryTests {
    @Test func depositsReachTheRecipientWhoPaysAndTheSupplierSeesIt() async throws {
        try await SimHarness.with { sim in
            // Token, health check, attachments of the technical account, own structure.
            let token = try await sim.token()
            let health = try await sim.call("/transverses/v1/health-check", nil, token: token, method: "GET")
            #expect(health.status == 200)
            let attachments = try await sim.call(
                "/utilisateurs/v1/monCompte/recuperer/rattachements",
                ["parametresRecherche": ["nbResultatsParPage": 100, "pageResultatDemandee": 1]], token: token)
            let attached = attachments.json?["listeStructureRattachement"]?.arrayValue ?? []
            #expect(attached.map { $0["identifiantStructure"] } == [.string(SimulatorSeed.supplierSiret)])
            let search = try await sim.call(
                "/structures/v1/rechercher",
                [
                    "structure": [
                        "identifiantStructure": .string(SimulatorSeed.supplierSiret),
                        "typeIdentifiantStructure": "SIRET",
                    ]
                ],
                token: token)
            #expect(search.json?["parametresRetour"]?["total"] == 1)
            #expect(search.json?["listeStructures"]?.arrayValue?.first?["idStructureCPP"] == 26_073_801)

            // Deposit a Factur-X and a UBL invoice.
            let facturX = try await sim.deposit(
                SimHarness.sample("facturx-invoice.pdf"), name: "facturx-invoice.pdf", syntaxe: "IN_DP_E2_CII_FACTURX")
            let ubl = try await sim.deposit(
                SimHarness.sample("ubl-invoice.xml"), name: "ubl-invoice.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            #expect(facturX.hasPrefix("CPP001") && facturX.count == 25)
            let first = try await sim.call("/transverses/v1/consulterCRDetaille", ["numeroFluxDepot": .string(facturX)])
            // Just deposited; on a heavily loaded machine (the whole suite at once) the simulator's first
            // 2 s step may already have passed in wall time, and the flux is then being processed.
            let firstState = first.json?["etatCourantDepotFlux"]?.stringValue ?? ""
            #expect(["IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP", "IN_EN_COURS_TRAITEMENT_CPP"].contains(firstState))

            // Poll the reports as a client would, letting the simulator clock run.
            for number in [facturX, ubl] {
                var state = ""
                for _ in 0..<20 where state != "IN_INTEGRE" {
                    try await sim.advance(0.5)
                    let report = try await sim.call(
                        "/transverses/v1/consulterCRDetaille", ["numeroFluxDepot": .string(number)])
                    state = report.json?["etatCourantDepotFlux"]?.stringValue ?? ""
                    #expect(report.json?["listeErreurDP"] == nil)
                }
                #expect(state == "IN_INTEGRE")
            }

            // Routing to the recipient takes two more steps.
            try await sim.advance(5)

            // The supplier finds the invoice of the flux; the recipient sees it once made available.
            let sent = try await sim.call(
                "/factures/v1/rechercher/fournisseur", ["numeroFluxDepot": .string(facturX)])
            let row = try #require(sent.json?["listeFactures"]?.arrayValue?.first)
            #expect(row["numeroFacture"] == "FA-FX-2026-0001")
            #expect(row["montantTTC"] == 1500.0)
            let id = try #require(row["identifiantFactureCPP"]?.integerValue)
            let received = try await sim.call(
                "/factures/v1/rechercher/recipiendaire", ["numeroFacture": "FA-FX-2026-0001"], as: SimHarness.recipient)
            #expect(received.json?["total"] == 1)
            let receivedRow = try #require(received.json?["listeFactures"]?.arrayValue?.first)
            #expect(receivedRow["idFacture"] == .integer(id))
            #expect(receivedRow["statut"] == "MISE_A_DISPOSITION")
            #expect(receivedRow["codeServiceExecutant"] == "SERVICE_DEST_SERV_EJ")

            // The recipient downloads it (the deposited PDF comes back) and sets it paid.
            let download = try await sim.call(
                "/factures/v1/telecharger/groupe", ["listeFacture": [["idFacture": .integer(id)]], "format": "PDF"],
                as: SimHarness.recipient)
            let file = try #require(download.json?["fichierResultat"]?.stringValue.flatMap { Data(base64Encoded: $0) })
            #expect([UInt8](file) == (try SimHarness.sample("facturx-invoice.pdf")))
            let paid = try await sim.call(
                "/factures/v1/traiter/recue", ["idFacture": .integer(id), "nouveauStatut": "MISE_EN_PAIEMENT"],
                as: SimHarness.recipient)
            #expect(paid.status == 200)
            #expect(paid.json?["nouveauStatut"] == "MISE_EN_PAIEMENT")

            // The supplier sees the payment in the history.
            let history = try await sim.call("/factures/v1/consulter/historique", ["idFacture": .integer(id)])
            #expect(history.json?["statutCourantCode"] == "MISE_EN_PAIEMENT")
            let codes = history.json?["historiquesDesStatuts"]?["histoStatut"]?.arrayValue?.compactMap {
                $0["histoStatutCode"]?.stringValue
            }
            #expect(codes == ["DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "MISE_EN_PAIEMENT"])
            #expect(history.json?["derniereAction"]?["derniereActionCode"] == "TELECHARGEMENT_FACTURE")
        }
    }

    @Test func defaultDelaysIntegrateAfterTwoSeconds() async throws {
        // Seeded delays are 1 s per step, so a client polling every second sees IN_INTEGRE after about 2 s.
        try await SimHarness.with(defaultDelays: true) { sim in
            let number = try await sim.deposit(
                SimHarness.sample("ubl-invoice.xml"), name: "u.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            var states: [String] = []
            for _ in 0..<3 {
                try await sim.advance(1)
                let report = try await sim.call(
                    "/transverses/v1/consulterCRDetaille", ["numeroFluxDepot": .string(number)])
                states.append(report.json?["etatCourantDepotFlux"]?.stringValue ?? "")
            }
            // Wall time also passes during the calls, so the first poll may already be in the second step.
            #expect(states[0] == "IN_EN_COURS_TRAITEMENT_CPP" || states[0] == "IN_INTEGRE")
            #expect(states[1] == "IN_INTEGRE")
            #expect(states[2] == "IN_INTEGRE")
        }
    }

    @Test func stateFileSurvivesARestart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-sim-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let number = try await SimHarness.with(stateFile: file) { sim in
            try await sim.deposit(SimHarness.sample("ubl-invoice.xml"), name: "u.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
        }
        try await SimHarness.with(stateFile: file) { sim in
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_INTEGRE")
        }
    }

    @Test func resetForgetsEverything() async throws {
        try await SimHarness.with { sim in
            let number = try await sim.deposit(
                SimHarness.sample("ubl-invoice.xml"), name: "u.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let reset = try await sim.control("POST", "/reset")
            #expect(reset.status == 200)
            let report = try await sim.call("/transverses/v1/consulterCRDetaille", ["numeroFluxDepot": .string(number)])
            #expect(report.status == 400)
            #expect(report.text == #"{"codeRetour":20001,"libelle":"POQ_MSG_01.003 - Flux introuvable."}"#)
        }
    }
}
