import ChorusAPI
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// Every operation of the official Factures and Structures Swagger files answers with a body that
/// validates against its 200 schema (`ReferenceFiles`; disabled with its reason when they are absent).
/// Operations without a Swagger file (Transverses, Utilisateurs...) are checked for their envelope.
@Suite("Responses against the official Swagger schemas")
struct SchemaTests {
    struct Call {
        var operationId: String
        var body: JSONValue
        var account: (String, String) = SimHarness.supplier
        /// The answer is an error envelope (no validator workflow exists in the seed data).
        var expectError = false
    }

    /// Data every call below needs: a received invoice, a suspended one, one to recycle, a rejected one.
    struct Fixture {
        var received: Int64
        var suspended: Int64
        var recycled: Int64
        var rejected: Int64
        var attachment: Int64
        var flux: String
    }

    func prepare(_ sim: SimHarness) async throws -> Fixture {
        let flux = try await sim.deposit(
            SimHarness.sample("facturx-invoice.pdf"), name: "facturx-invoice.pdf", syntaxe: "IN_DP_E2_CII_FACTURX")
        var ids: [Int64] = []
        for number in ["S-1", "S-2", "S-3"] {
            var body = ValidationTests.submission().objectValue!
            body["numeroFactureSaisi"] = .string(number)
            let answer = try await sim.call("/factures/v1/soumettre", .object(body))
            ids.append(try #require(answer.json?["identifiantFactureCPP"]?.integerValue))
        }
        _ = try await sim.finalReport(flux)
        let sent = try await sim.call("/factures/v1/rechercher/fournisseur", ["numeroFluxDepot": .string(flux)])
        let received = try #require(
            sent.json?["listeFactures"]?.arrayValue?.first?["identifiantFactureCPP"]?.integerValue)
        for (id, status) in zip(ids, ["SUSPENDUE", "A_RECYCLER", "REJETEE"]) {
            let answer = try await sim.call(
                "/factures/v1/traiter/recue",
                ["idFacture": .integer(id), "nouveauStatut": .string(status), "motif": "Test"],
                as: SimHarness.recipient)
            #expect(answer.status == 200)
        }
        let upload = try await sim.call(
            "/transverses/v1/ajouter/fichier",
            [
                "pieceJointeFichier": .string(Data("%PDF-1.4 test".utf8).base64EncodedString()),
                "pieceJointeNom": "pj.pdf",
                "pieceJointeTypeMime": "application/pdf", "pieceJointeExtension": "PDF",
            ])
        let attachment = try #require(upload.json?["pieceJointeId"]?.integerValue)
        return Fixture(
            received: received, suspended: ids[0], recycled: ids[1], rejected: ids[2], attachment: attachment,
            flux: flux)
    }

    func calls(_ f: Fixture) throws -> [Call] {
        let pdf = Data(try SimHarness.sample("facturx-invoice.pdf")).base64EncodedString()
        let ubl = Data(try SimHarness.sample("ubl-credit-note.xml")).base64EncodedString()
        var submission = ValidationTests.submission().objectValue!
        submission["numeroFactureSaisi"] = "S-4"
        return [
            Call(
                operationId: "deposerFluxFacture",
                body: ["fichierFlux": .string(ubl), "nomFichier": "a.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"]),
            Call(operationId: "soumettreFacture", body: .object(submission)),
            Call(
                operationId: "deposerPdfFacture",
                body: ["fichierFacture": .string(pdf), "nomFichier": "f.pdf", "formatDepot": "PDF_NON_SIGNE"]),
            Call(
                operationId: "completerFacture",
                body: ["identifiantFactureCPP": .integer(f.suspended), "commentaire": "Pièce ajoutée"]),
            Call(
                operationId: "recyclerFacture",
                body: [
                    "identifiantFactureCPP": .integer(f.recycled),
                    "destinataire": ["codeDestinataire": "11000201100044", "codeServiceExecutant": "SFACETAT"],
                ]),
            Call(operationId: "corrigerValideurFacture", body: ["idFacture": .integer(f.received)], expectError: true),
            Call(
                operationId: "rechercherFactureParFournisseur",
                body: ["rechercheFactureParFournisseur": ["nbResultatsParPage": 2]]),
            Call(
                operationId: "rechercherFactureRecipiendaire", body: ["paramRecherche": ["pageResultatDemandee": 1]],
                account: SimHarness.recipient),
            Call(operationId: "rechercherFactureParValideur", body: [:]),
            Call(operationId: "rechercherFactureATraiterParValideur", body: [:]),
            Call(operationId: "rechercherFactureATraiterParRecipiendaire", body: [:], account: SimHarness.recipient),
            Call(operationId: "rechercherFactureATraiterParFournisseur", body: [:]),
            Call(operationId: "rechercherDemandePaiement", body: [:]),
            Call(
                operationId: "consulterFactureParFournisseur",
                body: ["identifiantFactureCPP": .integer(f.received), "codeLangue": "FR"]),
            Call(
                operationId: "consulterFactureParRecipiendaire", body: ["identifiantFactureCPP": .integer(f.received)],
                account: SimHarness.recipient),
            Call(
                operationId: "consulterFactureParValideur", body: ["identifiantFactureCPP": .integer(f.received)],
                expectError: true),
            Call(operationId: "consulterHistoriqueFacture", body: ["idFacture": .integer(f.received)]),
            Call(
                operationId: "telechargerGroupeFacture",
                body: [
                    "listeFacture": [["idFacture": .integer(f.received)], ["idFacture": .integer(f.suspended)]],
                    "format": "PIVOT",
                ], account: SimHarness.recipient),
            Call(
                operationId: "traiterUneFactureRecue",
                body: ["idFacture": .integer(f.received), "nouveauStatut": "MANDATEE"], account: SimHarness.recipient),
            Call(
                operationId: "traiterFactureAValider",
                body: ["idFacture": .integer(f.received), "action": "VALIDATION"], expectError: true),
            Call(
                operationId: "traiterFacturesRejetees",
                body: ["listeDemandePaiement": [["idDemandePaiement": .integer(f.rejected)]]]),
            Call(operationId: "recupererStatutsFactureVisiblesParValideur", body: [:]),
            Call(
                operationId: "rechercherStructure",
                body: ["structure": ["typeStructure": "PUBLIQUE"], "restreindreStructuresPrivees": false]),
            Call(
                operationId: "consulterStructureAvecTVAIntraCom",
                body: ["idStructureCPP": 26_073_801, "codeLangue": "FR"]),
            Call(
                operationId: "rechercherServicesStructure",
                body: [
                    "idStructure": 26_073_628, "parametresRechercherServicesStructure": ["nbResultatsParPage": 10000],
                ]),
            Call(operationId: "consulterServiceStructure", body: ["idStructure": 26_073_644, "idService": 10_303]),
            Call(operationId: "listerRattachementsStructureUtilisateur", body: ["idStructure": 26_073_801]),
            Call(
                operationId: "rechercherEspaces", body: ["structure": ["idStructure": 26_073_617]],
                account: SimHarness.recipient),
        ]
    }

    static func swagger(_ name: String) throws -> JSONSchemaCheck {
        JSONSchemaCheck(schema: try #require(ReferenceFiles.swagger(name)), dialect: .swagger2)
    }

    @Test(.enabled(if: ReferenceFiles.available, Comment(rawValue: ReferenceFiles.absence)))
    func everySwaggerOperationAnswersItsSchema() async throws {
        let factures = try Self.swagger("factures.swagger.json")
        let structures = try Self.swagger("structures.swagger.json")
        try await SimHarness.with { sim in
            let fixture = try await prepare(sim)
            let calls = try calls(fixture)
            // Every operation of the two Swagger files is exercised here.
            let swaggerOperations = Catalog.operations.filter { $0.provenance == .swagger }.map(\.operationId)
            #expect(Set(calls.map(\.operationId)) == Set(swaggerOperations))
            for call in calls {
                let operation = try #require(Catalog.find(call.operationId))
                let validator = operation.group == .factures ? factures : structures
                let schema = try #require(validator.responseSchema(of: call.operationId))
                let answer = try await sim.call(operation.path, call.body, as: call.account)
                let json = try #require(answer.json, "\(call.operationId): \(answer.text)")
                #expect(answer.status == (call.expectError ? 400 : 200), "\(call.operationId): \(answer.text)")
                if !call.expectError {
                    #expect(
                        json["codeRetour"] == 0 || json["codeRetour"] == 20000, "\(call.operationId): \(answer.text)")
                }
                let problems = validator.violations(of: json, against: schema)
                #expect(problems.isEmpty, "\(call.operationId): \(problems)")
            }
        }
    }

    @Test(.enabled(if: ReferenceFiles.available, Comment(rawValue: ReferenceFiles.absence)))
    func validatorCatchesWrongShapes() throws {
        let factures = try Self.swagger("factures.swagger.json")
        let schema = try #require(factures.responseSchema(of: "rechercherFactureParFournisseur"))
        #expect(factures.violations(of: ["codeRetour": 0], against: schema) == ["$: missing required member 'libelle'"])
        #expect(
            factures.violations(of:
                ["codeRetour": 0, "libelle": "x", "listeFactures": [["identifiantFactureCPP": "12"]]], against: schema)
                == [#"$.listeFactures[0].identifiantFactureCPP: expected integer, got "12""#])
        #expect(
            factures.violations(of:
                ["codeRetour": 0, "libelle": "x", "listeFactures": [["typeFacture": "DEVIS"]]], against: schema)
                == [#"$.listeFactures[0].typeFacture: "DEVIS" is not one of ["FACTURE","AVOIR","ACOMPTE"]"#])
        #expect(
            factures.violations(of: ["codeRetour": 4_000_000_000, "libelle": "x"], against: schema)
                == ["$.codeRetour: 4000000000 does not fit int32"])
    }

    /// The operations without a Swagger file answer with the envelope on success.
    @Test func everyOtherCatalogOperationAnswers() async throws {
        try await SimHarness.with { sim in
            let fixture = try await prepare(sim)
            let bodies: [String: JSONValue] = [
                "consulterCR": ["numeroFluxDepot": .string(fixture.flux)],
                "consulterCRDetaille": ["numeroFluxDepot": .string(fixture.flux)],
                "ajouterFichierDansSysteme": [
                    "pieceJointeFichier": "SGVsbG8=", "pieceJointeNom": "a.txt", "pieceJointeTypeMime": "text/plain",
                    "pieceJointeExtension": "TXT",
                ],
                "recupererCadresFacturation": ["typeDemandePaiement": "FACTURE"],
                "recupererEtatsPossiblesPourTraitement": ["statutCourant": "MISE_A_DISPOSITION"],
                "recupererCoordonneesBancairesValides": ["idStructure": 26_073_801],
                "consulterInformationsSIRET": ["siretStructure": "12345678200051"],
                "rechercherPieceJointeStructure": ["idStructure": 26_073_801],
                "telechargerPieceJointe": ["pieceJointeId": .integer(fixture.attachment)],
                "rechercherServiceExecutant": ["idStructure": 26_073_628],
                "detacherPieceJointe": ["pieceJointeId": .integer(fixture.attachment)],
                "rechercherEngagementJuridique": ["numeroEngagementJuridique": "147853"],
            ]
            for operation in Catalog.operations where operation.provenance == .reference {
                let answer = try await sim.call(
                    operation.path, operation.method == .get ? nil : bodies[operation.operationId] ?? [:],
                    method: operation.method.rawValue)
                let json = try #require(answer.json, "\(operation.operationId): \(answer.text)")
                #expect(answer.status == 200, "\(operation.operationId): \(answer.text)")
                if operation.operationId == "healthCheck" {
                    #expect(json["statusCode"] == "OK")
                } else if operation.operationId == "rechercherFactureTravaux" {
                    #expect(
                        json == [
                            "codeRetour": 20007, "libelle": "GFT_MSG_01.075 - La recherche n'a retourné aucun résultat",
                        ])
                } else {
                    #expect(json["codeRetour"] == 0, "\(operation.operationId): \(answer.text)")
                    #expect(json["libelle"]?.stringValue != nil)
                }
            }
        }
    }
}
