/// The Chorus Pro words that several parts of chorus use, defined once: the client, the simulator,
/// the doctor, the Lua domains (which receive them as tables) and the stubs all read them here, so
/// they cannot disagree.
public enum Vocabulary {
    /// The `syntaxeFlux` values `deposerFluxFacture` accepts: the 13 of the official Swagger
    /// enumeration. (The onboarding guide also names `IN_DP_E3_UBL_INVOICE` for mémoires de
    /// justice; the API schema does not, so it is refused like any invented value.)
    public static let syntaxesFlux = [
        "IN_DP_E1_UBL_INVOICE", "IN_DP_E1_CII", "IN_DP_E1_PES_FACTURE", "IN_DP_E1_XCBL", "IN_DP_E2_UBL_INVOICE_MIN",
        "IN_DP_E2_CII_MIN", "IN_DP_E2_PES_FACTURE_MIN", "IN_DP_E2_CPP_FACTURE_MIN", "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG",
        "IN_DP_PDFARCHIVE_CII_MUG", "IN_DP_E1_CII_16B", "IN_DP_E2_CII_MIN_16B", "IN_DP_E2_CII_FACTURX",
    ]

    /// States of a deposited flux (`etatCourantDepotFlux` / `etatCourantFlux`).
    public enum FlowState {
        /// Seen right after an API deposit.
        public static let waiting = "IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP"
        public static let processing = "IN_EN_COURS_TRAITEMENT_CPP"
        /// Every invoice of the flux was integrated.
        public static let integrated = "IN_INTEGRE"
        /// Some invoices were rejected (`listeErreurDP` names them); the others were integrated.
        public static let partiallyIntegrated = "IN_INTEGRE_PARTIEL"
        /// Nothing was integrated.
        public static let rejected = "IN_REJETE"
        /// The exchange system could not process the flux: deposit it again in full.
        public static let incident = "IN_INCIDENTE"

        /// The states after which a flux no longer changes.
        public static let final = [integrated, partiallyIntegrated, rejected, incident]
    }

    /// The 56 invoice statuses of the Swagger enumeration (`statutFacture`, `statutCourant`,
    /// `nouveauStatut`...).
    public static let invoiceStatuses = [
        "BROUILLON", "A_VALIDER_1", "ERREUR_FOURNISSEUR_SUR_VALIDEUR", "REFUSEE_1", "VALIDEE_1",
        "ABSENCE_VALIDATION_1_HORS_DELAI", "A_VALIDER_2", "ERREUR_COTRAITANT_SUR_VALIDEUR", "REFUSEE_2", "VALIDEE_2",
        "ABSENCE_VALIDATION_2_HORS_DELAI", "DEPOSEE", "ERREUR_FOURNISSEUR_SUR_MOE", "EN_COURS_ACHEMINEMENT",
        "MISE_A_DISPOSITION", "A_RECYCLER", "SUSPENDUE", "REJETEE", "MANDATEE", "MISE_EN_PAIEMENT", "COMPTABILISEE",
        "MISE_A_DISPOSITION_COMPTABLE", "ABANDONNEE", "SUPPRIMEE", "ASSOCIEE", "EN_COURS_TRAITEMENT_PIVOT_S",
        "A_VALIDER_MOE", "REFUSEE_MOE", "EN_ATTENTE_RECYCLAGE_FOURNISSEUR", "ERREUR_MOE_SUR_FOURNISSEUR",
        "ERREUR_MOA_SUR_FOURNISSEUR", "INTERPRETEE_OCR", "COMPLETEE", "ERREUR_FOURNISSEUR_SUR_MOA",
        "ERREUR_MOE_SUR_MOA", "ERREUR_DESTINATAIRE_PD", "ERREUR_DESTINATAIRE_EA", "SERVICE_FAIT", "NON_CONFORME",
        "A_ASSOCIER_MOE", "ERREUR_DE_MOE", "MISE_A_DISPOSITION_MOE", "PRISE_EN_COMPTE_MOE", "A_ASSOCIER_MOA",
        "ERREUR_DE_MOA", "REFUSEE_MOA", "A_ASSOCIER_FOURNISSEUR", "REFUSEE_FOURNISSEUR", "A_COMPLETER",
        "TRANSMISE_MOA", "PRISE_EN_COMPTE_DESTINATAIRE", "REMPLACEE_PAR_A22", "DUPLIQUE_APRES_REFUS",
        "MISE_A_DISPOSITION_MOA", "PRISE_EN_COMPTE_MOA", "TECHNIQUE_INCONNU",
    ]

    /// The statuses a recipient may set with `traiterFactureRecue` (the targets documented for an
    /// invoice made available, plus `PRISE_EN_COMPTE_DESTINATAIRE` and `SERVICE_FAIT` of the usual life).
    public static let recipientProcessingStatuses = [
        "MISE_A_DISPOSITION", "PRISE_EN_COMPTE_DESTINATAIRE", "SERVICE_FAIT", "SUSPENDUE", "REJETEE", "MANDATEE",
        "MISE_EN_PAIEMENT", "COMPTABILISEE", "MISE_A_DISPOSITION_COMPTABLE", "A_RECYCLER",
    ]

    private static let fromAvailable = recipientProcessingStatuses.filter { $0 != "MISE_A_DISPOSITION" }

    /// Where the recipient may move an invoice from each status (what
    /// `recupererEtatsPossiblesPourTraitement` answers): the simulator enforces it, the client explains a
    /// refused status change with it. A status missing here allows no move.
    public static let recipientTransitions: [String: [String]] = [
        "MISE_A_DISPOSITION": fromAvailable,
        "COMPLETEE": fromAvailable,
        "PRISE_EN_COMPTE_DESTINATAIRE": fromAvailable.filter { $0 != "PRISE_EN_COMPTE_DESTINATAIRE" },
        "SERVICE_FAIT": ["SUSPENDUE", "REJETEE", "MANDATEE", "MISE_EN_PAIEMENT", "COMPTABILISEE"],
        "MANDATEE": ["MISE_EN_PAIEMENT", "COMPTABILISEE", "MISE_A_DISPOSITION_COMPTABLE"],
        "MISE_EN_PAIEMENT": ["COMPTABILISEE", "MISE_A_DISPOSITION_COMPTABLE"],
        "MISE_A_DISPOSITION_COMPTABLE": ["COMPTABILISEE"],
    ]

    /// The statuses the recipient may move an invoice to from `status` (empty: none).
    public static func nextStatuses(from status: String) -> [String] { recipientTransitions[status] ?? [] }

    /// Target statuses for which `traiterFactureRecue` requires a `motif`.
    public static let statusesNeedingReason = ["SUSPENDUE", "REJETEE", "A_RECYCLER"]

    /// The `code` of every `chorus.Error` (`ChorusError.Code`), in declaration order.
    public static var errorCodes: [String] { ChorusError.Code.allCases.map(\.rawValue) }
}
