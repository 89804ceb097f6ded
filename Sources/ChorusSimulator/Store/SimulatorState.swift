import Foundation

/// Everything the simulator knows, as one value: saved whole to `--state FILE` and dumped by the
/// control API. Dates are simulator-clock dates.
public struct SimulatorState: Codable, Sendable, Equatable {
    /// PISTE applications (OAuth clients) and the APIs each one subscribed (CGU accepted).
    public var applications: [PisteApplication] = []
    /// Chorus Pro technical accounts.
    public var technicalAccounts: [TechnicalAccountRecord] = []
    /// Structures (recipients and suppliers) with their services.
    public var structures: [Structure] = []
    /// Engagements juridiques.
    public var engagements: [Engagement] = []
    /// Issued access tokens by value.
    public var tokens: [String: IssuedToken] = [:]
    /// Deposited flux by `numeroFluxDepot`.
    public var flux: [String: Flux] = [:]
    /// Invoices by id.
    public var invoices: [Int64: Invoice] = [:]
    /// Uploaded attachments by id.
    public var attachments: [Int64: Attachment] = [:]
    /// The next technical id to hand out (invoices, attachments, flux numbers).
    public var nextId: Int64 = 9_000_001
    /// How far the simulator clock is ahead of the wall clock, in seconds.
    public var clockOffset: TimeInterval = 0
    /// Timing and limits.
    public var settings = Settings()
    /// Faults to inject.
    public var faults: [Fault] = []

    /// Timing and limits of the simulated platform.
    public struct Settings: Codable, Sendable, Equatable {
        /// Lifetime of access tokens, seconds (PISTE: 3600).
        public var tokenTTL: Int = 3600
        /// Seconds a flux waits in each processing step (two steps before the final state).
        public var processingDelay: TimeInterval = 1
        /// Seconds an integrated invoice spends in each automatic status (DEPOSEE, EN_COURS_ACHEMINEMENT).
        public var routingDelay: TimeInterval = 1
        /// Largest decoded file accepted by deposerFluxFacture, bytes.
        public var maxFluxBytes: Int = 10 * 1024 * 1024
        /// Largest attachment or PDF, bytes (ajouter/fichier, deposer/pdf).
        public var maxAttachmentBytes: Int = 10 * 1024 * 1024
    }
}

/// A PISTE application.
public struct PisteApplication: Codable, Sendable, Equatable {
    public var clientId: String
    public var clientSecret: String
    /// E.g. `APP_SANDBOX_someone@example.org`.
    public var name: String
    /// Subscribed APIs by `ChorusOperation.Group` raw value (`factures`, `structures`...).
    public var subscriptions: [String]
}

/// A Chorus Pro technical account.
public struct TechnicalAccountRecord: Codable, Sendable, Equatable {
    public var login: String
    public var password: String
    /// The user id Chorus Pro gives the account (`idUtilisateurCourant`).
    public var userId: Int64
    /// Structures the account is attached to (`idStructureCPP`).
    public var structureIds: [Int64]
    /// When the account becomes usable (accounts work about 30 minutes after creation).
    public var activeFrom: Date
    /// When the password expires (424 days after it was set).
    public var passwordExpiresAt: Date
}

/// A structure of the directory.
public struct Structure: Codable, Sendable, Equatable {
    public var id: Int64
    public var siret: String
    public var name: String
    /// PUBLIQUE or PRIVEE.
    public var kind: String
    /// A State recipient (destinataireEtat).
    public var isState: Bool = false
    public var active: Bool = true
    public var serviceRequired: Bool = false
    public var engagementRequired: Bool = false
    /// Either a service or an engagement is enough (State recipients).
    public var engagementOrService: Bool = false
    public var vatNumber: String = ""
    public var address: String = "1 rue de la Paix"
    public var postalCode: String = "75001"
    public var city: String = "PARIS"
    public var services: [Service] = []
    /// Bank details usable in soumettreFacture (suppliers).
    public var bankAccounts: [BankAccount] = []
}

/// A service (service exécutant) of a structure.
public struct Service: Codable, Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var active: Bool = true
    /// This service needs an engagement number on invoices.
    public var engagementRequired: Bool = false
}

/// Bank details of a supplier.
public struct BankAccount: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var iban: String
}

/// An engagement juridique (purchase commitment) of a recipient.
public struct Engagement: Codable, Sendable, Equatable {
    public var id: Int64
    public var number: String
    /// Recipient structure.
    public var structureId: Int64
    public var serviceCode: String
    public var state: String = "COMMANDE"
    public var kind: String = "BON_DE_COMMANDE"
    public var amountTTC: Double
    public var notifiedOn: String = "2026-01-15T00:00:00+01:00"
}

/// An access token issued by the token endpoint.
public struct IssuedToken: Codable, Sendable, Equatable {
    public var clientId: String
    public var expiresAt: Date
}

/// A deposited flux and how its processing ends.
public struct Flux: Codable, Sendable, Equatable {
    public var number: String
    public var syntaxe: String
    public var fileName: String
    public var depositedAt: Date
    /// When processing starts (IN_EN_COURS_TRAITEMENT_CPP) and when the final state is reached.
    public var processingAt: Date
    public var finalAt: Date
    /// Login of the depositing account.
    public var login: String
    /// Final state once processed: IN_INTEGRE, IN_INTEGRE_PARTIEL or IN_REJETE.
    public var outcome: String
    public var dpErrors: [DPError]
    public var technicalErrors: [TechnicalError]
    /// Invoices to create when the flux is integrated.
    public var pendingInvoices: [Invoice]
    /// Ids of the invoices created from it.
    public var invoiceIds: [Int64] = []
    /// Whether the final state has been applied (invoices created).
    public var settled: Bool = false
}

/// An error about one invoice of a flux (`listeErreurDP`).
public struct DPError: Codable, Sendable, Equatable {
    public var invoiceNumber: String
    public var supplier: String
    public var recipient: String
    public var message: String
}

/// A technical error of a flux (`listeErreurTechnique`).
public struct TechnicalError: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    public var nature: String
}

/// An uploaded file.
public struct Attachment: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var ext: String
    public var mime: String
    public var base64: String
    public var login: String
    public var typeCode: String = "PJ_FACTURE"
}
