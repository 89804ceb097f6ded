extension Catalog {
    /// Transverses operations, with the paths public clients call (github.com/antoine2116/go-choruspro
    /// `transverses*.go`, github.com/turbo124/piste-gouv-fr `src/Api/ChorusPro/Transverses.php`,
    /// github.com/cnfilms/chorus-api `chorusapi/models/transverses.py`); no official Swagger at hand.
    static let transverses: [ChorusOperation] = [
        t(
            "healthCheck", "health-check", "Check that the API answers for this token and technical account.",
            method: .get),
        t("consulterCR", "consulterCR", "Read the report (compte rendu) of a deposited flux, with a PDF report."),
        t(
            "consulterCRDetaille", "consulterCRDetaille",
            "Read the detailed report of a deposited flux: its state and the errors of each invoice."),
        t(
            "ajouterFichierDansSysteme", "ajouter/fichier",
            "Upload an attachment (10 Mo max) and get its pieceJointeId for soumettreFacture.", write: true),
        t("recupererFormatFlux", "recuperer/formatflux", "List the flux formats (syntaxeFlux) accepted for deposits."),
        t("recupererDevises", "recuperer/devises", "List the currencies."),
        t("recupererPays", "recuperer/pays", "List the countries."),
        t("recupererTauxTva", "recuperer/tauxtva", "List the VAT rate codes (TVA20, TVA5...)."),
        t("recupererMotifsExonerationTva", "recuperer/motifs/exonerationtva", "List the VAT exemption reasons."),
        t("recupererModesDepot", "recuperer/modedepot", "List the deposit modes."),
        t("recupererModesReglement", "recuperer/modereglements", "List the payment methods."),
        t(
            "recupererCadresFacturation", "recuperer/cadrefacturation",
            "List the invoicing frames (cadres de facturation) of a payment-request type."),
        t("recupererTypesDemandePaiement", "recuperer/typedp", "List the payment-request types."),
        t("recupererTypesFactureTravaux", "recuperer/typefacturetravaux", "List the works-invoice types."),
        t(
            "recupererTypesIdentifiantStructure", "recuperer/typeidentifiant/structure",
            "List the structure identifier types (SIRET, TVA, RIDET...)."),
        t("recupererTypesPieceJointe", "recuperer/typespj", "List the attachment types."),
        t(
            "recupererEtatParTypeDemandePaiement", "recuperer/etat/typedp",
            "List the statuses a payment-request type can take."),
        t(
            "recupererEtatsPossiblesPourTraitement", "recuperer/etats/traitement",
            "List the statuses a received invoice can be moved to from its current status."),
        t(
            "recupererMotifsRefusFactureAValider", "recuperer/motifs/refus/Facture/AValider",
            "List the refusal reasons of a validator."),
        t(
            "recupererCoordonneesBancairesValides", "recuperer/coordbanc/valides",
            "List the valid bank details of a structure (their id goes in soumettreFacture)."),
        t(
            "recupererStructuresActivesPourFournisseur", "recuperer/structures/actives/fournisseur",
            "List the active structures the technical account can invoice for."),
        t(
            "recupererStructuresActivesPourDestinataire", "recuperer/structures/actives/destinataire",
            "List the active structures the technical account receives invoices for."),
        t(
            "recupererStructuresActivesPourFactureTravaux", "recuperer/structures/actives/facturetravaux",
            "List the active structures of the technical account for works invoices."),
        t(
            "recupererStructuresPourUtilisateur", "recuperer/structuresPourUtilisateur",
            "List the structures of the current user (deprecated).", deprecated: true),
        t(
            "consulterInformationsSIRET", "consulter/information/siret",
            "Read the INSEE data of a SIRET (not available in qualification)."),
        t("rechercherDestinataire", "rechercher/destinataire", "Search public recipients by identifier or town."),
        t("rechercherPieceJointeStructure", "rechercher/pj/structure", "Search the attachments of a structure."),
        t(
            "rechercherPieceJointeMonCompte", "rechercher/pj/moncompte",
            "Search the attachments of the current account."),
        t("telechargerPieceJointe", "telecharger/pieceJointe", "Download one attachment (base64)."),
        t(
            "telechargerAnnuaireDestinataire", "telecharger/annuaire/destinataire",
            "Download the directory of public recipients (base64)."),
        t(
            "rechercherCategorieSollicitation", "rechercher/categorieSollicitation",
            "List the categories of support requests (sollicitations)."),
        t(
            "rechercherSousCategorieSollicitation", "rechercher/sousCategorieSollicitation",
            "List the sub-categories of a support-request category."),
        t(
            "rechercherServiceExecutant", "rechercher/serviceexecutant",
            "Search executing services (deprecated; use rechercherServicesStructure).", deprecated: true),
        t(
            "detacherPieceJointe", "detacherPieceJointe",
            "Detach an attachment from its object (deprecated).", write: true, deprecated: true),
    ]

    /// Utilisateurs, EngagementJuridique and FacturesTravaux operations found in public clients:
    /// github.com/antoine2116/go-choruspro `utilisateurs_rattachements.go`, github.com/OCA/l10n-france
    /// `l10n_fr_chorus_account/models/res_company.py` (`_chorus_api_check_commitment_number`),
    /// github.com/megalis-bretagne/pastell `connecteur/cpp/lib/CPPWrapper.class.php`.
    static let others: [ChorusOperation] = [
        ChorusOperation(
            .utilisateurs, "recupererRattachementsMonCompte", "/utilisateurs/v1/monCompte/recuperer/rattachements",
            "List the structures and services the technical account is attached to (rattachements).",
            provenance: .reference),
        ChorusOperation(
            .engagementsJuridiques, "rechercherEngagementJuridique", "/engagementsJuridiques/v1/rechercher",
            "Search engagements juridiques (purchase commitments) by number, structure or state.",
            provenance: .reference),
        ChorusOperation(
            .facturesTravaux, "rechercherFactureTravaux", "/facturesTravaux/v1/rechercher",
            "Search works invoices (factures de travaux) by role.", provenance: .reference),
    ]

    private static func t(
        _ id: String, _ tail: String, _ summary: String,
        method: ChorusOperation.Method = .post, write: Bool = false, deprecated: Bool = false
    ) -> ChorusOperation {
        ChorusOperation(
            .transverses, id, "/transverses/v1/" + tail, summary,
            method: method, write: write, deprecated: deprecated, provenance: .reference)
    }
}
