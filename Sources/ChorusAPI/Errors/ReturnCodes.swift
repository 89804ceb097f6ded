/// Meanings of the Chorus Pro `libelle` message codes and `codeRetour` values seen in public sources.
///
/// `codeRetour` numbers are per service (20001 means different things on different operations), so the
/// message code in `libelle` (e.g. `POQ_MSG_01.003`) is the better key; a few entries are per operation.
public enum ReturnCodes {
    /// A known meaning of a business answer.
    public struct Meaning: Sendable, Equatable {
        /// What the code means, in English.
        public let meaning: String
        /// The answer is "nothing found", which scripts treat as `nil` rather than a failure.
        public let isNoResult: Bool
        /// The answer says a structure is unknown in this environment.
        public let isStructureUnknown: Bool

        init(_ meaning: String, noResult: Bool = false, structureUnknown: Bool = false) {
            self.meaning = meaning
            self.isNoResult = noResult
            self.isStructureUnknown = structureUnknown
        }
    }

    /// Codes that mean success (`codeRetour` 0) as printed in `libelle`.
    public static let successLibelles: Set<String> = ["TRA_MSG_00.000", "GCU_MSG_01_000", "CODE PAR DEFAUT"]

    /// Meanings keyed by message code (the `XXX_MSG_nn.nnn` prefix of `libelle`).
    public static let byMessageCode: [String: Meaning] = [
        "TRA_MSG_00.015": Meaning("the search returned no result", noResult: true),
        "GFT_MSG_01.075": Meaning("the works-invoice search returned no result", noResult: true),
        "POQ_MSG_01.003": Meaning(
            "flux not found: no deposit with this numeroFluxDepot in this environment",
            noResult: true),
        "GDP_MSG_11.022": Meaning("the deposited file is too large (10 Mo per file)"),
        "GDP_MSG_11.008": Meaning("the invoice (demande de paiement) does not exist", noResult: true),
        "GDP_MSG_11.005": Meaning("this user has no right to submit for this structure"),
        "GDP_MSG_11.033": Meaning("the invoice is not in status SUSPENDUE, so it cannot be completed"),
    ]

    /// Meanings keyed by `operationId` and `codeRetour`, for answers whose libelle carries no message code.
    public static let byOperation: [String: [Int: Meaning]] = [
        "ajouterFichierDansSysteme": [20003: Meaning("the attachment is larger than 10 Mo")],
        "rechercherFactureRecipiendaire": [20000: Meaning("the search returned no result", noResult: true)],
        "rechercherFactureTravaux": [20007: Meaning("the search returned no result", noResult: true)],
    ]

    /// The meaning of a business answer, if known.
    public static func meaning(operationId: String?, codeRetour: Int?, libelle: String?) -> Meaning? {
        if let libelle, let code = messageCode(in: libelle), let meaning = byMessageCode[code] { return meaning }
        if let operationId, let codeRetour, let meaning = byOperation[operationId]?[codeRetour] { return meaning }
        if let libelle, looksLikeStructureUnknown(libelle) {
            return Meaning("the structure is not known in this environment", structureUnknown: true)
        }
        if let libelle, folded(libelle).contains("aucun resultat") {
            return Meaning("the search returned no result", noResult: true)
        }
        return nil
    }

    /// The `XXX_MSG_nn.nnn` code at the start of a libelle, if any.
    static func messageCode(in libelle: String) -> String? {
        let token = libelle.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" }).first.map(String.init)
        guard let token, token.contains("_MSG_") else { return nil }
        return token
    }

    /// Structure-unknown messages are only known as free text; match their usual wording.
    static func looksLikeStructureUnknown(_ libelle: String) -> Bool {
        let text = folded(libelle)
        guard text.contains("structure") || text.contains("siret") || text.contains("destinataire") else {
            return false
        }
        return ["inconnu", "introuvable", "n'existe pas", "n'est pas reference", "non trouve", "not found"]
            .contains(where: text.contains)
    }

    /// Lower-cased, accents removed, so "référencé" matches "reference".
    static func folded(_ text: String) -> String {
        let map: [Character: Character] = [
            "é": "e", "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "î": "i", "ï": "i", "ô": "o",
            "ù": "u", "û": "u", "ç": "c", "’": "'",
        ]
        return String(text.lowercased().map { map[$0] ?? $0 })
    }
}
