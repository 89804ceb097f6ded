import ChorusSimulator
import Foundation
import JSONValue
import Testing

/// Searches read the indexes of invoices by supplier, recipient and status: they follow every change
/// (status, recipient after a recycling), page newest first, and see nothing of other accounts.
@Suite("Search indexes")
struct SearchIndexTests {
    static func numbers(_ answer: SimHarness.Answer) -> [String] {
        answer.json?["listeFactures"]?.arrayValue?.compactMap { $0["numeroFacture"]?.stringValue } ?? []
    }

    @Test func searchesFollowEveryChange() async throws {
        try await SimHarness.with { sim in
            let template = String(decoding: try SimHarness.sample("ubl-invoice.xml"), as: UTF8.self)
            for n in 1...3 {
                let xml = template.replacingOccurrences(of: "FA-UBL-2026-0001", with: "IDX-\(n)")
                _ = try await sim.deposit(Array(xml.utf8), name: "i\(n).xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            }
            try await sim.advance(60)
            let search = "/factures/v1/rechercher/fournisseur"
            let first = try await sim.call(search, ["rechercheFactureParFournisseur": ["nbResultatsParPage": 2]])
            #expect(Self.numbers(first) == ["IDX-3", "IDX-2"])
            #expect(first.json?["parametresRetour"]?["total"] == 3)
            #expect(first.json?["parametresRetour"]?["pages"] == 2)
            let second = try await sim.call(
                search, ["rechercheFactureParFournisseur": ["nbResultatsParPage": 2, "pageResultatDemandee": 2]])
            #expect(Self.numbers(second) == ["IDX-1"])
            let past = try await sim.call(
                search, ["rechercheFactureParFournisseur": ["nbResultatsParPage": 2, "pageResultatDemandee": 3]])
            #expect(Self.numbers(past) == [])
            #expect(past.json?["parametresRetour"]?["total"] == 3)
            // Another supplier's account sees none of them.
            let beta = try await sim.call(search, [:], as: SimHarness.beta)
            #expect(beta.json?["codeRetour"] == 20000)

            // The recipient sends IDX-2 back for recycling: the status index follows.
            let ids = Dictionary(
                uniqueKeysWithValues: (first.json?["listeFactures"]?.arrayValue ?? []).compactMap { row in
                    row["numeroFacture"]?.stringValue.flatMap { n in
                        row["identifiantFactureCPP"]?.integerValue.map { (n, $0) }
                    }
                })
            let recycled = try #require(ids["IDX-2"])
            let back = try await sim.call(
                "/factures/v1/traiter/recue",
                ["idFacture": .integer(recycled), "nouveauStatut": "A_RECYCLER", "motif": "Mauvais service"],
                as: SimHarness.recipient)
            #expect(back.status == 200)
            let byStatus = try await sim.call(search, ["statutCourant": "A_RECYCLER"])
            #expect(Self.numbers(byStatus) == ["IDX-2"])
            let available = try await sim.call(search, ["statutCourant": ["MISE_A_DISPOSITION"]])
            #expect(Self.numbers(available) == ["IDX-3", "IDX-1"])
            let toProcess = try await sim.call("/factures/v1/rechercher/atraiter/fournisseur", [:])
            #expect(Self.numbers(toProcess) == ["IDX-2"])

            // Recycled to another recipient: the recipient index follows.
            let moved = try await sim.call(
                "/factures/v1/recycler",
                [
                    "identifiantFactureCPP": .integer(recycled),
                    "destinataire": [
                        "codeDestinataire": "12345678200028", "codeServiceExecutant": "SERVICE_DEST_SERV_OBL",
                    ],
                ])
            #expect(moved.status == 200, "\(moved.text)")
            try await sim.advance(60)
            let received = "/factures/v1/rechercher/recipiendaire"
            let atNew = try await sim.call(received, ["idDestinataire": 26_073_628], as: SimHarness.recipient)
            #expect(Self.numbers(atNew) == ["IDX-2"])
            let atOld = try await sim.call(received, ["idDestinataire": 26_073_617], as: SimHarness.recipient)
            #expect(Self.numbers(atOld) == ["IDX-3", "IDX-1"])
            let none = try await sim.call("/factures/v1/rechercher/atraiter/fournisseur", [:])
            #expect(none.json?["codeRetour"] == 20000)
        }
    }
}
