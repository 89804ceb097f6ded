import Foundation
import JSONValue

/// The reference lists of Transverses (currencies, VAT rates, deposit modes...): fixed data, each
/// under the list key its clients read.
extension Handlers {
    static let vatRates: [(String, String, Double)] = [
        ("TVA0", "Taux zéro", 0), ("TVA1", "Art 293B(FranchiseEnBase)", 0), ("TVA2_1", "Taux particulier 2,1 %", 2.1),
        ("TVA5", "Taux réduit 5,5 %", 5.5), ("TVA8_5", "Taux DOM 8,5 %", 8.5), ("TVA10", "Taux intermédiaire 10 %", 10),
        ("TVA20", "Taux normal 20 %", 20),
    ]
    static let depositModes = [
        "SAISIE_WEB", "PORTAIL_PDF", "EDI_XML_STRUCT", "EDI_MIXTE", "EDI_PDF_ARCHIVE", "SAISIE_PORTAIL",
        "SAISIE_API", "DEPOT_PDF_PORTAIL", "DEPOT_PDF_SIGNE_PORTAIL", "DEPOT_PDF_API", "DEPOT_PDF_SIGNE_API", "EDI",
        "UPLOAD_PORTAIL", "UPLOAD_API", "EDI_NUMERISATION",
    ]
    static let worksInvoiceTypes = [
        "DP_DE_SOUSTRAITANT_TRAVAUX", "PROJET_DECOMPTE_MENSUEL", "ETAT_ACOMPTE",
        "ETAT_ACOMPTE_VALIDE", "PROJET_DECOMPTE_FINAL", "PROJET_DECOMPTE_GENERAL",
        "PROJET_DECOMPTE_GENERAL_PROCEDURE_TACITE",
        "DECOMPTE_GENERAL", "DECOMPTE_GENERAL_SIGNE", "DECOMPTE_GENERAL_DEFINITIF_TACITE",
        "DECOMPTE_GENERAL_DEFINITIF_PROCEDURE_TACITE",
    ]
    static let languages = ["FR", "EN", "fr", "en"]

    /// A handler answering `key: [{field: value}...]` after checking `codeLangue`.
    static func list(_ key: String, _ field: String, _ values: [String]) -> Handler {
        { _, call throws(Reply) in
            _ = try call.params.enumeration("codeLangue", languages)
            return ok("TRA_MSG_00.000", [key: .array(values.map { .object([field: .string($0)]) })])
        }
    }

    /// A handler answering `key: rows` after checking `codeLangue`.
    static func rows(_ key: String, _ rows: [JSONValue]) -> Handler {
        { _, call throws(Reply) in
            _ = try call.params.enumeration("codeLangue", languages)
            return ok("TRA_MSG_00.000", [key: .array(rows)])
        }
    }

    static let lookups: [String: Handler] = [
        "recupererFormatFlux": list("listeFormatFlux", "formatFlux", syntaxes),
        "recupererDevises": rows(
            "listeDevises",
            [
                ("EUR", "Euro"), ("USD", "Dollar des Etats-Unis"), ("GBP", "Livre sterling"), ("CHF", "Franc suisse"),
                ("XPF", "Franc CFP"),
            ].map { ["codeDevise": .string($0.0), "libelleDevise": .string($0.1)] }),
        "recupererPays": rows(
            "listePays",
            [
                ("FR", "France"), ("BE", "Belgique"), ("DE", "Allemagne"), ("ES", "Espagne"), ("IT", "Italie"),
                ("LU", "Luxembourg"), ("CH", "Suisse"), ("GB", "Royaume-Uni"),
            ].map {
                ["codePays": .string($0.0), "libellePays": .string($0.1)]
            }),
        "recupererTauxTva": rows(
            "listeTauxTva",
            vatRates.map {
                ["codeTauxTva": .string($0.0), "libelleTauxTva": .string($0.1), "valeurTauxTva": .number($0.2)]
            }),
        "recupererMotifsExonerationTva": rows(
            "listeMotifsExonerationTva",
            [
                ("ART_261", "Exonération article 261 du CGI"), ("ART_262", "Exonération article 262 du CGI"),
                ("ART_275", "Achats en franchise article 275 du CGI"), ("AUTOLIQUIDATION", "Autoliquidation"),
            ].map {
                ["codeMotifExonerationTva": .string($0.0), "libelleMotifExonerationTva": .string($0.1)]
            }),
        "recupererModesDepot": list("listeModeDepot", "modeDepot", depositModes),
        "recupererModesReglement": list("listeModePaiement", "modePaiement", paymentModes),
        "recupererCadresFacturation": { _, call throws(Reply) in
            let type = try call.params.enumeration("typeDemandePaiement", paymentRequestTypes) ?? "FACTURE"
            let cadres =
                type == "FACTURE"
                ? Handlers.cadres
                : [
                    "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
                    "A5_ETAT_ACOMPTE_MOE", "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR", "A8_DECOMPTE_GENERAL_DEFINITIF_MOA",
                ]
            return ok(
                "TRA_MSG_00.000",
                ["listeCadreFacturation": .array(cadres.map { ["codeCadreFacturation": .string($0)] })])
        },
        "recupererTypesDemandePaiement": list("listeTypeDemandePaiement", "typeDemandePaiement", paymentRequestTypes),
        "recupererTypesFactureTravaux": list("listeTypeFactureTravaux", "typeFactureTravaux", worksInvoiceTypes),
        "recupererTypesIdentifiantStructure": list(
            "listeTypeIdentifiantStructure", "typeIdentifiantStructure", structureIdentifierTypes),
        "recupererTypesPieceJointe": rows(
            "listeTypePieceJointe",
            [
                (1, "PJ_FACTURE", "Facture"), (2, "PJ_BON_COMMANDE", "Bon de commande"), (3, "PJ_DEVIS", "Devis"),
                (4, "PJ_AUTRE", "Autre"),
            ].map {
                [
                    "idTypePieceJointe": .integer($0.0), "codeTypePieceJointe": .string($0.1),
                    "libelleTypePieceJointe": .string($0.2),
                ]
            }),
        "recupererEtatParTypeDemandePaiement": { _, call throws(Reply) in
            _ = try call.params.enumeration("typeDemandePaiement", paymentRequestTypes)
            return ok(
                "TRA_MSG_00.000",
                ["listeEtatDemandePaiement": .array(invoiceStatuses.map { ["etatDemandePaiement": .string($0)] })])
        },
        "recupererEtatsPossiblesPourTraitement": { _, call throws(Reply) in
            let status = try call.params.enumeration("statutCourant", invoiceStatuses)
            guard let status else { throw call.params.missing("statutCourant") }
            let targets = InvoiceLifecycle.targets(from: status)
            return ok(
                "TRA_MSG_00.000",
                [
                    "listeStatutsPossiblesPourTraitement": .array(
                        targets.map { ["statutPossiblePourTraitement": .string($0)] })
                ])
        },
        "recupererMotifsRefusFactureAValider": rows(
            "listeMotifRefusFactureAValider",
            [
                (1, "MONTANT_ERRONE", "Montant erroné"), (2, "PRESTATION_NON_CONFORME", "Prestation non conforme"),
                (3, "PIECE_MANQUANTE", "Pièce justificative manquante"),
            ].map {
                ["idMotif": .integer($0.0), "codeMotif": .string($0.1), "libelleMotif": .string($0.2)]
            }),
        "rechercherCategorieSollicitation": rows(
            "listeCategorieSollicitation",
            [
                (1, "FACTURATION", "Facturation"), (2, "RACCORDEMENT", "Raccordement EDI et API"),
                (3, "COMPTE", "Gestion de compte"),
            ].map {
                ["idCategorie": .integer($0.0), "codeCategorie": .string($0.1), "libelleCategorie": .string($0.2)]
            }),
        "rechercherSousCategorieSollicitation": { _, call throws(Reply) in
            let category = try call.params.string("codeCategorie") ?? "FACTURATION"
            let all: [String: [String]] = [
                "FACTURATION": ["DEPOT_FACTURE", "SUIVI_FACTURE"], "RACCORDEMENT": ["API_PISTE", "EDI"],
                "COMPTE": ["COMPTE_TECHNIQUE", "RATTACHEMENT"],
            ]
            guard let subs = all[category] else {
                throw Reply.invalid("La valeur '\(category)' du paramètre 'codeCategorie' n'est pas autorisée.")
            }
            return ok(
                "TRA_MSG_00.000",
                ["listeSousCategorieSollicitation": .array(subs.map { ["codeSousCategorie": .string($0)] })])
        },
    ]
}
