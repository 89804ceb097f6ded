import ChorusAPI
import ChorusSimulator
import Foundation
import JSONValue
import Testing

/// Bad input gets the platform's answer: HTTP 400 with `{codeRetour, libelle}` naming the problem, or
/// a rejected flux whose report words the rejection.
@Suite("Bad input")
struct ValidationTests {
    static func deposit(_ file: String, name: String = "f.xml", syntaxe: String = "IN_DP_E1_UBL_INVOICE") -> JSONValue {
        ["fichierFlux": .string(file), "nomFichier": .string(name), "syntaxeFlux": .string(syntaxe)]
    }

    static func base64(_ name: String) throws -> String {
        Data(try SimHarness.sample(name)).base64EncodedString()
    }

    @Test func malformedJSON() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call("/factures/v1/deposer/flux", nil, rawBody: Array(#"{"nomFichier": "#.utf8))
            #expect(answer.status == 400)
            #expect(answer.json?["codeRetour"] == 20001)
            #expect(
                answer.json?["libelle"]?.stringValue?.hasPrefix("Le corps de la requête n'est pas un JSON valide")
                    == true)
        }
    }

    @Test func bodyMustBeAnObject() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call("/structures/v1/rechercher", [1, 2])
            #expect(answer.status == 400)
            #expect(
                answer.text
                    == #"{"codeRetour":20001,"libelle":"Le corps de la requête doit être un objet JSON (array reçu)."}"#
            )
        }
    }

    @Test func wrongTypes() async throws {
        try await SimHarness.with { sim in
            let id = try await sim.call("/structures/v1/consulter", ["idStructureCPP": "abc"])
            #expect(id.status == 400)
            #expect(
                id.json?["libelle"]
                    == "Le paramètre 'idStructureCPP' n'est pas valide : entier attendu, string reçu.")
            let flag = try await sim.call("/factures/v1/deposer/flux", ["avecSignature": "non"])
            #expect(
                flag.json?["libelle"] == "Le paramètre 'avecSignature' n'est pas valide : booléen attendu, string reçu."
            )
            let nested = try await sim.call("/structures/v1/rechercher", ["structure": ["identifiantStructure": true]])
            #expect(
                nested.json?["libelle"]
                    == "Le paramètre 'structure.identifiantStructure' n'est pas valide : chaîne attendu, boolean reçu.")
        }
    }

    @Test func numbersAreAcceptedWhereClientsSendThem() async throws {
        try await SimHarness.with { sim in
            // Old AIFE examples send the SIRET as a number and ids as strings.
            let search = try await sim.call(
                "/structures/v1/rechercher", ["structure": ["identifiantStructure": 12_345_678_200_051]])
            #expect(search.json?["parametresRetour"]?["total"] == 1)
            let consult = try await sim.call("/structures/v1/consulter", ["idStructureCPP": "26073617"])
            #expect(consult.status == 200)
        }
    }

    @Test func missingRequiredFields() async throws {
        try await SimHarness.with { sim in
            let noFile = try await sim.call(
                "/factures/v1/deposer/flux", ["nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"])
            #expect(noFile.status == 400)
            #expect(noFile.text == #"{"codeRetour":20001,"libelle":"Le paramètre 'fichierFlux' est obligatoire."}"#)
            let noSyntax = try await sim.call(
                "/factures/v1/deposer/flux", ["nomFichier": "f.xml", "fichierFlux": "PEE+"])
            #expect(noSyntax.json?["libelle"] == "Le paramètre 'syntaxeFlux' est obligatoire.")
            let report = try await sim.call("/transverses/v1/consulterCRDetaille", [:])
            #expect(report.json?["libelle"] == "Le paramètre 'numeroFluxDepot' est obligatoire.")
            let processing = try await sim.call(
                "/factures/v1/traiter/recue", ["idFacture": 1], as: SimHarness.recipient)
            #expect(processing.json?["libelle"] == "Le paramètre 'nouveauStatut' est obligatoire.")
        }
    }

    /// One vocabulary: every syntax the client offers is accepted at deposit (its flux may still be
    /// refused when read, as on the platform).
    @Test(arguments: Vocabulary.syntaxesFlux)
    func everySyntaxTheClientOffersIsAccepted(_ syntaxe: String) async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call(
                "/factures/v1/deposer/flux", Self.deposit(try Self.base64("ubl-invoice.xml"), syntaxe: syntaxe))
            #expect(answer.status == 200, "\(syntaxe): \(answer.text)")
            #expect(answer.json?["syntaxeFlux"] == .string(syntaxe))
        }
    }

    @Test(arguments: [
        "IN_DP_E1_UBL_201", "IN_DP_E2_CII_16B", "IN_DP_E3_FACTUR_X_10", "IN_DP_E2_CII_FACTURX_MIN", "IN_DP_E3_UBL_INVOICE",
    ])
    func inventedSyntaxesAreRefused(_ syntaxe: String) async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call(
                "/factures/v1/deposer/flux", Self.deposit(try Self.base64("ubl-invoice.xml"), syntaxe: syntaxe))
            #expect(answer.status == 400)
            #expect(answer.json?["codeRetour"] == 20001)
            #expect(
                answer.json?["libelle"]?.stringValue?.hasPrefix(
                    "La valeur '\(syntaxe)' du paramètre 'syntaxeFlux' n'est pas autorisée. Valeurs possibles : "
                        + "IN_DP_E1_UBL_INVOICE, IN_DP_E1_CII,") == true)
        }
    }

    @Test func unknownEnumValueOfAStatus() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call(
                "/factures/v1/traiter/recue", ["idFacture": 1, "nouveauStatut": "PAYEE"], as: SimHarness.recipient)
            #expect(answer.status == 400)
            #expect(
                answer.json?["libelle"]?.stringValue?.hasPrefix("La valeur 'PAYEE' du paramètre 'nouveauStatut'")
                    == true)
        }
    }

    @Test func invalidBase64() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call("/factures/v1/deposer/flux", Self.deposit("ceci n'est pas du base64 !"))
            #expect(answer.status == 400)
            #expect(
                answer.text
                    == #"{"codeRetour":20001,"libelle":"Le paramètre 'fichierFlux' n'est pas un contenu encodé en base 64 valide."}"#
            )
        }
    }

    @Test func oversizedFile() async throws {
        try await SimHarness.with(scenario: ["settings": ["max_flux_bytes": 1000]]) { sim in
            let answer = try await sim.call(
                "/factures/v1/deposer/flux", Self.deposit(try Self.base64("ubl-invoice.xml")))
            #expect(answer.status == 400)
            #expect(
                answer.text
                    == #"{"codeRetour":20001,"libelle":"GDP_MSG_11.022 - La taille du fichier dépasse la taille maximale autorisée (10 Mo)."}"#
            )
        }
    }

    @Test func oversizedAttachmentAndPDF() async throws {
        try await SimHarness.with(scenario: ["settings": ["max_attachment_bytes": 100]]) { sim in
            let big = Data(repeating: 0x25, count: 101).base64EncodedString()
            let attachment = try await sim.call(
                "/transverses/v1/ajouter/fichier",
                [
                    "pieceJointeFichier": .string(big), "pieceJointeNom": "a.txt", "pieceJointeTypeMime": "text/plain",
                    "pieceJointeExtension": "TXT",
                ])
            #expect(attachment.status == 400)
            #expect(attachment.text == #"{"codeRetour":20003,"libelle":"La pièce jointe ne doit pas dépasser 10Mo."}"#)
            let pdf = try await sim.call(
                "/factures/v1/deposer/pdf",
                ["fichierFacture": .string(big), "nomFichier": "f.pdf", "formatDepot": "PDF_NON_SIGNE"])
            #expect(pdf.status == 413)
            #expect(pdf.bytes.isEmpty)
        }
    }

    @Test func attachmentNameAndExtension() async throws {
        try await SimHarness.with { sim in
            let long = try await sim.call(
                "/transverses/v1/ajouter/fichier",
                [
                    "pieceJointeFichier": "SGVsbG8=", "pieceJointeNom": .string(String(repeating: "n", count: 51)),
                    "pieceJointeTypeMime": "text/plain", "pieceJointeExtension": "TXT",
                ])
            #expect(long.json?["libelle"] == "Le paramètre 'pieceJointeNom' dépasse 50 caractères.")
            let ext = try await sim.call(
                "/transverses/v1/ajouter/fichier",
                [
                    "pieceJointeFichier": "SGVsbG8=", "pieceJointeNom": "a.exe", "pieceJointeTypeMime": "application/x",
                    "pieceJointeExtension": "EXE",
                ])
            #expect(ext.json?["libelle"] == "L'extension 'EXE' n'est pas autorisée pour une pièce jointe.")
        }
    }

    @Test func badFileNames() async throws {
        try await SimHarness.with { sim in
            let file = try Self.base64("ubl-invoice.xml")
            let path = try await sim.call("/factures/v1/deposer/flux", Self.deposit(file, name: "../f.xml"))
            #expect(path.json?["libelle"] == "Le nom de fichier '../f.xml' ne doit pas contenir de chemin.")
            let ext = try await sim.call("/factures/v1/deposer/flux", Self.deposit(file, name: "f.exe"))
            #expect(
                ext.json?["libelle"]
                    == "L'extension du fichier 'f.exe' n'est pas autorisée. Extensions possibles : xml, pdf, zip, tar, tar.gz, tgz."
            )
        }
    }

    /// Deposits `sample` and returns the final report's single DP error message.
    func rejection(
        _ sim: SimHarness, _ sample: String, syntaxe: String = "IN_DP_E1_UBL_INVOICE",
        as account: (String, String) = SimHarness.supplier
    ) async throws -> (state: String?, message: String?) {
        let number = try await sim.deposit(try SimHarness.sample(sample), name: sample, syntaxe: syntaxe, as: account)
        let report = try await sim.finalReport(number, as: account)
        return (
            report["etatCourantDepotFlux"]?.stringValue,
            report["listeErreurDP"]?.arrayValue?.first?["libelleErreurDP"]?.stringValue
        )
    }

    @Test func unknownRecipientRejectsTheFlux() async throws {
        try await SimHarness.with { sim in
            let number = try await sim.deposit(
                try SimHarness.sample("rejected-unknown-recipient.xml"), name: "r.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_REJETE")
            #expect(
                report["listeErreurDP"]
                    == [
                        [
                            "identifiantDestinataire": "99999999999999", "identifiantFournisseur": "98765432100015",
                            "numeroDP": "FA-UBL-2026-0099",
                            "libelleErreurDP": .string(
                                "L'identifiant destinataire de la demande de paiement (balise : "
                                    + "AccountingCustomerParty.Party.PartyIdentification.ID.value) n'est pas reference "
                                    + "dans notre systeme. "),
                        ]
                    ])
            // A rejected flux creates no invoice.
            let search = try await sim.call("/factures/v1/rechercher/fournisseur", ["numeroFluxDepot": .string(number)])
            #expect(
                search.text
                    == #"{"codeRetour":20000,"libelle":"TRA_MSG_00.015 - La recherche n'a retourné aucun résultat"}"#)
        }
    }

    @Test func recipientRequiringAServiceRejectsAnInvoiceWithout() async throws {
        try await SimHarness.with { sim in
            let result = try await rejection(sim, "rejected-missing-service.xml", syntaxe: "IN_DP_E1_CII_16B")
            #expect(result.state == "IN_REJETE")
            #expect(
                result.message
                    == "Le code service est obligatoire pour le destinataire 12345678200028 (balise : "
                    + "SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement.BuyerReference.value). ")
        }
    }

    @Test func recipientRequiringAnEngagementRejectsAnInvoiceWithout() async throws {
        try await SimHarness.with { sim in
            // The plain-recipient UBL sample, readdressed to the recipient that requires an engagement.
            var text = String(decoding: try SimHarness.sample("ubl-invoice.xml"), as: UTF8.self)
            text = text.replacingOccurrences(of: "12345678200051", with: SimulatorSeed.recipientEngagement)
            let number = try await sim.deposit(Array(text.utf8), name: "ej.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_REJETE")
            #expect(
                report["listeErreurDP"]?.arrayValue?.first?["libelleErreurDP"]
                    == "Le numero d'engagement est obligatoire pour le destinataire 12345678200036 (balise : OrderReference.ID.value). "
            )
        }
    }

    @Test func supplierNotAttachedToTheTechnicalAccount() async throws {
        try await SimHarness.with { sim in
            // BETA's account deposits an invoice whose supplier is ALPHA.
            let result = try await rejection(sim, "ubl-invoice.xml", as: SimHarness.beta)
            #expect(result.state == "IN_REJETE")
            #expect(
                result.message
                    == "L'utilisateur n'est pas rattache a la structure fournisseur 98765432100015 de la demande de "
                    + "paiement (balise : AccountingSupplierParty.Party.PartyIdentification.ID.value). ")
        }
    }

    @Test func fileNotMatchingTheDeclaredSyntaxIsATechnicalError() async throws {
        try await SimHarness.with { sim in
            let number = try await sim.deposit(
                try SimHarness.sample("cii-invoice.xml"), name: "c.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_REJETE")
            #expect(
                report["listeErreurTechnique"]
                    == [
                        [
                            "codeErreur": "ERR_XSD_001", "natureErreur": "TECHNIQUE",
                            "libelleErreur":
                                "IRRECEVABILITE: le fichier c.xml n'est pas conforme à la syntaxe déclarée IN_DP_E1_UBL_INVOICE. - ligne: 1 - position: 1",
                        ]
                    ])
        }
    }

    @Test func lotWithOneBadInvoiceIsPartiallyIntegrated() async throws {
        try await SimHarness.with { sim in
            let number = try await sim.deposit(
                try SimHarness.sample("lot-partial.tar.gz"), name: "lot.tar.gz", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL")
            #expect(report["listeErreurDP"]?.arrayValue?.map { $0["numeroDP"] } == ["FA-UBL-2026-0022"])
            let sent = try await sim.call("/factures/v1/rechercher/fournisseur", ["numeroFluxDepot": .string(number)])
            #expect(sent.json?["listeFactures"]?.arrayValue?.map { $0["numeroFacture"] } == ["FA-UBL-2026-0021"])
        }
    }

    @Test func zipLotIsIntegratedWhole() async throws {
        try await SimHarness.with { sim in
            let number = try await sim.deposit(
                try SimHarness.sample("lot-ubl.zip"), name: "lot.zip", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_INTEGRE")
            let sent = try await sim.call("/factures/v1/rechercher/fournisseur", ["numeroFluxDepot": .string(number)])
            #expect(sent.json?["parametresRetour"]?["total"] == 2)
        }
    }

    @Test func duplicateInvoiceNumberIsRejected() async throws {
        try await SimHarness.with { sim in
            let first = try await rejection(sim, "ubl-invoice.xml")
            #expect(first.state == "IN_INTEGRE")
            let second = try await rejection(sim, "ubl-invoice.xml")
            #expect(second.state == "IN_REJETE")
            #expect(
                second.message == "La facture numero FA-UBL-2026-0001 existe deja pour le fournisseur 98765432100015. ")
        }
    }

    static func submission(
        recipient: String = "12345678200051", service: String? = nil, supplier: Int64 = 26_073_801, ttc: Double = 600,
        lines: Bool = true
    ) -> JSONValue {
        var destinataire: [String: JSONValue] = ["codeDestinataire": .string(recipient)]
        if let service { destinataire["codeServiceExecutant"] = .string(service) }
        return [
            "modeDepot": "SAISIE_API", "numeroFactureSaisi": "SAISIE-0001", "dateFacture": "2026-11-05",
            "destinataire": .object(destinataire),
            "fournisseur": ["idFournisseur": .integer(supplier), "codeCoordonneesBancairesFournisseur": 132],
            "cadreDeFacturation": ["codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"],
            "references": [
                "deviseFacture": "EUR", "typeFacture": "FACTURE", "typeTva": "TVA_SUR_DEBIT",
                "modePaiement": "VIREMENT",
            ],
            "lignePoste": lines
                ? [
                    [
                        "lignePosteNumero": 1, "lignePosteReference": "R1", "lignePosteDenomination": "Conseil",
                        "lignePosteQuantite": 10, "lignePosteUnite": "lot", "lignePosteMontantUnitaireHT": 50.0,
                        "lignePosteTauxTva": "TVA20",
                    ]
                ] : [],
            "montantTotal": [
                "montantHtTotal": 500.0, "montantTVA": 100.0, "montantTtcTotal": .number(ttc),
                "montantAPayer": .number(ttc),
            ],
        ]
    }

    @Test func submitIsSynchronous() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call("/factures/v1/soumettre", Self.submission())
            #expect(answer.status == 200)
            #expect(answer.json?["statutFacture"] == "DEPOSEE")
            #expect(answer.json?["identifiantStructure"] == "98765432100015")
            #expect(
                answer.json?["empreinteCertificatDepot"]?.stringValue.flatMap { Data(base64Encoded: $0) }?.count == 32)
            let id = try #require(answer.json?["identifiantFactureCPP"]?.integerValue)
            let consult = try await sim.call(
                "/factures/v1/consulter/fournisseur", ["identifiantFactureCPP": .integer(id)])
            #expect(consult.json?["facture"]?["numeroFacture"] == "SAISIE-0001")
        }
    }

    @Test func submitValidations() async throws {
        try await SimHarness.with { sim in
            let unknown = try await sim.call("/factures/v1/soumettre", Self.submission(recipient: "99999999999999"))
            #expect(
                unknown.text
                    == #"{"codeRetour":20010,"libelle":"Le destinataire 99999999999999 n'est pas référencé dans Chorus Pro."}"#
            )
            let service = try await sim.call(
                "/factures/v1/soumettre", Self.submission(recipient: SimulatorSeed.recipientService))
            #expect(
                service.json?["libelle"]
                    == "Le code service est obligatoire pour le destinataire 12345678200028 (balise : destinataire.codeServiceExecutant)."
            )
            let foreign = try await sim.call("/factures/v1/soumettre", Self.submission(supplier: 26_073_802))
            #expect(foreign.json?["codeRetour"] == 20001)
            #expect(foreign.json?["libelle"]?.stringValue?.hasPrefix("GDP_MSG_11.005") == true)
            let sums = try await sim.call("/factures/v1/soumettre", Self.submission(ttc: 650))
            #expect(sums.json?["codeRetour"] == 20007)
            let noLines = try await sim.call("/factures/v1/soumettre", Self.submission(lines: false))
            #expect(
                noLines.text
                    == #"{"codeRetour":20005,"libelle":"Si le mode de dépôt est SAISIE_API, il doit y avoir au moins une ligne de poste."}"#
            )
            let reserved = try await sim.call("/factures/v1/soumettre", Self.submission(service: "FACTURES_PUBLIQUES"))
            #expect(reserved.json?["codeRetour"] == 20011)
            for answer in [unknown, service, foreign, sums, noLines, reserved] { #expect(answer.status == 400) }
        }
    }

    @Test func transitionsTheRecipientMayNotMake() async throws {
        try await SimHarness.with { sim in
            let submitted = try await sim.call("/factures/v1/soumettre", Self.submission())
            let id = try #require(submitted.json?["identifiantFactureCPP"])
            try await sim.advance(10)
            let suspend = try await sim.call(
                "/factures/v1/traiter/recue", ["idFacture": id, "nouveauStatut": "SUSPENDUE"], as: SimHarness.recipient)
            #expect(suspend.json?["libelle"] == "Le motif est obligatoire pour passer la facture au statut SUSPENDUE.")
            let back = try await sim.call(
                "/factures/v1/traiter/recue", ["idFacture": id, "nouveauStatut": "DEPOSEE"], as: SimHarness.recipient)
            #expect(
                back.json?["libelle"]
                    == "Le passage de la facture SAISIE-0001 du statut MISE_A_DISPOSITION au statut DEPOSEE n'est pas autorisé."
            )
            // The supplier cannot process its own invoice as a recipient.
            let supplier = try await sim.call(
                "/factures/v1/traiter/recue", ["idFacture": id, "nouveauStatut": "MISE_EN_PAIEMENT"])
            #expect(supplier.json?["codeRetour"] == 20000)
        }
    }

    /// completerFacture checks its attachment objects as the platform does: the id is required, members
    /// have their types, no unknown member, and the file must have been uploaded by this account.
    @Test func complementaryAttachmentsAreChecked() async throws {
        try await SimHarness.with { sim in
            func complete(_ attachments: JSONValue) async throws -> (Int, String) {
                let answer = try await sim.call(
                    "/factures/v1/completer", ["identifiantFactureCPP": 1, "pieceJointeComplementaire": attachments])
                return (answer.status, answer.json?["libelle"]?.stringValue ?? "")
            }
            let answer0 = try await complete([["foo": 1]])
            #expect(answer0.0 == 400)
            #expect(answer0.1 == "Le paramètre 'pieceJointeComplementaire[0].pieceJointeComplementaireId' est obligatoire.")
            let answer1 = try await complete([["pieceJointeComplementaireId": "x"]])
            #expect(answer1.0 == 400)
            #expect(answer1.1 == "Le paramètre 'pieceJointeComplementaire[0].pieceJointeComplementaireId' n'est pas valide : entier attendu, string reçu.")
            let answer2 = try await complete([["pieceJointeComplementaireId": 5, "foo": 1]])
            #expect(answer2.0 == 400)
            #expect(answer2.1 == "Le paramètre 'pieceJointeComplementaire[0].foo' n'est pas reconnu.")
            let answer3 = try await complete([["pieceJointeComplementaireId": 999]])
            #expect(answer3.0 == 400)
            #expect(answer3.1 == "La pièce jointe 999 (pieceJointeComplementaire[0].pieceJointeComplementaireId) n'existe pas : déposez-la d'abord avec ajouterFichierDansSysteme.")
            let answer4 = try await complete([5])
            #expect(answer4.0 == 400)
            #expect(answer4.1 == "Le paramètre 'pieceJointeComplementaire[0]' n'est pas valide : objet attendu, number reçu.")
        }
    }
}
