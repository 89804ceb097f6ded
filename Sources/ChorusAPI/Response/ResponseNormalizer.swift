import JSONValue

/// Smooths the known quirks of Chorus Pro answers, keeping the official field names.
///
/// - A list with one element sometimes arrives as a bare object (AIFE's own report example does it with
///   `listeErreurDP`); for the keys that are lists in the Swagger files and the reference, wrap it.
/// - A SIRET sometimes arrives as a JSON number, losing its leading zeros; emit a 14-digit string.
public enum ResponseNormalizer {
    /// Keys whose value is a list: the array properties of the Factures and Structures Swagger
    /// definitions, and the list keys of the other groups documented in the reference.
    public static let listKeys: Set<String> = [
        // Swagger (Factures, Structures)
        "evenement", "histoAction", "histoStatut", "idUtilisateurCreateur", "lignePoste", "ligneTva",
        "listeDemandePaiement", "listeDestinataire", "listeEspace", "listeFacture", "listeFactures",
        "listeFournisseurs", "listeIdService", "listeIdServiceExecutant", "listeServices", "listeStatutFacture",
        "listeStructureDupliquees", "listeStructures", "listeTypeFacture", "listeTypeFactureTravaux", "pieceJointe",
        "pieceJointeComplementaire", "statutCourant",
        // Reference (Transverses, Utilisateurs, EngagementJuridique, FacturesTravaux)
        "listeErreurDP", "listeErreurTechnique", "listeStructureRattachement", "listeServicesRattache",
        "listeTauxTva", "listeDevises", "listePays", "listeFormatFlux", "listeModeDepot", "listeModePaiement",
        "listeCadreFacturation", "listeCoordonneeBancaire", "listeStatutsPossiblesPourTraitement",
        "listeDestinataires", "listePiecesJointes", "listeEngagementJuridique", "listeFacturesTravaux",
    ]

    /// Keys that hold a SIRET (14 digits) when they are numbers.
    public static let siretKeys: Set<String> = [
        "identifiantStructure", "siret", "siretStructure", "identifiantFournisseur", "identifiantDestinataire",
        "codeDestinataire", "identifiantStructureReceptrice", "identifiant",
    ]

    /// The normalised copy of an answer: single-element lists wrapped, numeric SIRETs as strings.
    public static func normalize(_ value: JSONValue) -> JSONValue {
        normalize(value, wrapLists: true)
    }

    /// The copy of a request payload with numeric SIRETs sent as 14-digit strings (the Swagger types
    /// them as strings; a script may hold them as numbers). Nothing else is changed.
    public static func normalizeRequest(_ value: JSONValue) -> JSONValue {
        normalize(value, wrapLists: false)
    }

    static func normalize(_ value: JSONValue, wrapLists: Bool) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map { normalize($0, wrapLists: wrapLists) })
        case .object(let members):
            // A numeric identifiantStructure is only a SIRET when the type says so (or says nothing).
            let type = members["typeIdentifiantStructure"]?.stringValue
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                var member = normalize(member, wrapLists: wrapLists)
                if wrapLists, listKeys.contains(key), case .object = member { member = .array([member]) }
                if siretKeys.contains(key), type == nil || type == "SIRET", let siret = siretString(member) {
                    member = .string(siret)
                }
                result[key] = member
            }
            return .object(result)
        default:
            return value
        }
    }

    /// A SIRET given as a number, as a 14-digit string with its leading zeros; nil for anything else.
    public static func siretString(_ value: JSONValue) -> String? {
        let digits: String
        switch value {
        case .integer(let n) where n >= 0: digits = String(n)
        case .number(let d) where d >= 0 && d.rounded() == d && d < 1e14: digits = String(Int64(d))
        default: return nil
        }
        guard digits.count <= 14 else { return nil }
        return String(repeating: "0", count: 14 - digits.count) + digits
    }
}
