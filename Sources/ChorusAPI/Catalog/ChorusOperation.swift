/// One Chorus Pro operation: where it lives, how it is called, and what it needs.
public struct ChorusOperation: Sendable, Hashable, CustomStringConvertible {
    /// The PISTE API product an operation belongs to; each one is subscribed (CGU accepted) separately.
    public enum Group: String, Sendable, CaseIterable {
        case factures
        case structures
        case transverses
        case utilisateurs
        case engagementsJuridiques
        case facturesTravaux

        /// The API name as shown in the PISTE catalogue, for « Consentement CGU API » and 403 diagnosis.
        public var subscription: String {
            switch self {
            case .factures: return "Factures"
            case .structures: return "Structures"
            case .transverses: return "Transverses"
            case .utilisateurs: return "Utilisateurs"
            case .engagementsJuridiques: return "EngagementJuridique"
            case .facturesTravaux: return "FacturesTravaux"
            }
        }
    }

    /// HTTP method; every operation is POST with a JSON body except the health check.
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }

    /// Where the entry comes from, so readers know how far to trust it.
    public enum Provenance: String, Sendable {
        /// The official Swagger file of the API.
        case swagger
        /// Paths as public clients call them (github.com/antoine2116/go-choruspro,
        /// github.com/turbo124/piste-gouv-fr, github.com/cnfilms/chorus-api, github.com/OCA/l10n-france,
        /// github.com/megalis-bretagne/pastell), no official Swagger at hand.
        case reference
    }

    /// The API product.
    public let group: Group
    /// The official operationId (Swagger), or the conventional name for operations without a Swagger.
    public let operationId: String
    /// HTTP method.
    public let method: Method
    /// Path below `/cpro`, e.g. `/factures/v1/deposer/flux`.
    public let path: String
    /// What the operation does, in one line.
    public let summary: String
    /// Whether the operation changes state in Chorus Pro; writes are never retried automatically.
    public let isWrite: Bool
    /// Other names people use for it (names of the reference or of other clients).
    public let aliases: [String]
    /// Deprecated by AIFE or by the clients that document it.
    public let isDeprecated: Bool
    /// Where the entry comes from.
    public let provenance: Provenance

    init(
        _ group: Group, _ operationId: String, _ path: String, _ summary: String,
        method: Method = .post, write: Bool = false, aliases: [String] = [], deprecated: Bool = false,
        provenance: Provenance
    ) {
        self.group = group
        self.operationId = operationId
        self.method = method
        self.path = path
        self.summary = summary
        self.isWrite = write
        self.aliases = aliases
        self.isDeprecated = deprecated
        self.provenance = provenance
    }

    /// `group.operationId`, the name scripts and `chorus call` use, e.g. `factures.deposerFluxFacture`.
    public var qualifiedName: String { "\(group.rawValue).\(operationId)" }

    /// The PISTE API subscription this operation needs.
    public var subscription: String { group.subscription }

    /// The full path on the API host, e.g. `/cpro/factures/v1/deposer/flux`.
    public var fullPath: String { "/cpro" + path }

    public var description: String { "\(qualifiedName) (\(method.rawValue) \(fullPath))" }
}
