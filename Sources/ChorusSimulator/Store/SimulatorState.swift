import Foundation

/// Everything the simulator knows, as one value: saved record by record to `--state FILE` (see
/// ``StateDatabase``) and dumped by the control API. Dates are simulator-clock dates.
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
    public var tokens = RecordTable<String, IssuedToken>()
    /// Deposited flux by `numeroFluxDepot`.
    public var flux = RecordTable<String, Flux>()
    /// Invoices by id.
    public var invoices = RecordTable<Int64, Invoice>()
    /// Uploaded attachments by id.
    public var attachments = RecordTable<Int64, Attachment>()
    /// The contents of deposited files and attachments (not in the JSON of the state: records name them).
    public var files = FileTable()
    /// The next technical id to hand out (invoices, attachments, flux numbers).
    public var nextId: Int64 = 9_000_001
    /// How far the simulator clock is ahead of the wall clock, in seconds.
    public var clockOffset: TimeInterval = 0
    /// Timing and limits.
    public var settings = Settings()
    /// Faults to inject.
    public var faults: [Fault] = []
    /// Due events and used invoice numbers, derived from the rest (not saved).
    var index = StateIndex()

    enum CodingKeys: String, CodingKey {
        case applications, technicalAccounts, structures, engagements, tokens, flux, invoices, attachments, nextId
        case clockOffset, settings, faults
    }

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
    /// OAuth client id.
    public var clientId: String
    /// OAuth client secret.
    public var clientSecret: String
    /// E.g. `APP_SANDBOX_someone@example.org`.
    public var name: String
    /// Subscribed APIs by `ChorusOperation.Group` raw value (`factures`, `structures`...).
    public var subscriptions: [String]
}

/// A Chorus Pro technical account.
public struct TechnicalAccountRecord: Codable, Sendable, Equatable {
    /// Login, `TECH_<n>_<SIRET>@cpro.fr`.
    public var login: String
    /// Password.
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
    /// `idStructureCPP`.
    public var id: Int64
    /// SIRET (`identifiantStructure`).
    public var siret: String
    /// Name (`designationStructure`).
    public var name: String
    /// PUBLIQUE or PRIVEE.
    public var kind: String
    /// A State recipient (destinataireEtat).
    public var isState: Bool = false
    /// Active (inactive ones refuse invoices).
    public var active: Bool = true
    /// Invoices must name a service (`codeServiceDoitEtreRenseigne`).
    public var serviceRequired: Bool = false
    /// Invoices must name an engagement (`numeroEJDoitEtreRenseigne`).
    public var engagementRequired: Bool = false
    /// Either a service or an engagement is enough (State recipients).
    public var engagementOrService: Bool = false
    /// Intra-community VAT number.
    public var vatNumber: String = ""
    /// Street address.
    public var address: String = "1 rue de la Paix"
    /// Postal code.
    public var postalCode: String = "75001"
    /// City.
    public var city: String = "PARIS"
    /// Its services.
    public var services: [Service] = []
    /// Bank details usable in soumettreFacture (suppliers).
    public var bankAccounts: [BankAccount] = []
}

/// A service (service exécutant) of a structure.
public struct Service: Codable, Sendable, Equatable {
    /// `idService`.
    public var id: Int64
    /// Service code (`codeService`).
    public var code: String
    /// Name (`libelleService`).
    public var name: String
    /// Active (inactive ones refuse invoices).
    public var active: Bool = true
    /// This service needs an engagement number on invoices.
    public var engagementRequired: Bool = false
}

/// Bank details of a supplier.
public struct BankAccount: Codable, Sendable, Equatable {
    /// Id to give as `codeCoordonneesBancairesFournisseur`.
    public var id: Int64
    /// Name shown in lists.
    public var name: String
    /// IBAN.
    public var iban: String
}

/// An engagement juridique (purchase commitment) of a recipient.
public struct Engagement: Codable, Sendable, Equatable {
    /// `idEngagementJuridique`.
    public var id: Int64
    /// Engagement number (`numeroEngagementJuridique`).
    public var number: String
    /// Recipient structure.
    public var structureId: Int64
    /// Service exécutant of the engagement.
    public var serviceCode: String
    /// State (`COMMANDE`...).
    public var state: String = "COMMANDE"
    /// Kind of engagement (`BON_DE_COMMANDE`...).
    public var kind: String = "BON_DE_COMMANDE"
    /// Total with VAT.
    public var amountTTC: Double
    /// Notification date as the platform prints it.
    public var notifiedOn: String = "2026-01-15T00:00:00+01:00"
}

/// An access token issued by the token endpoint.
public struct IssuedToken: Codable, Sendable, Equatable {
    /// OAuth client id.
    public var clientId: String
    /// Expiry (simulator clock).
    public var expiresAt: Date
}

/// A deposited flux and how its processing ends.
public struct Flux: Codable, Sendable, Equatable {
    /// `numeroFluxDepot`.
    public var number: String
    /// Declared `syntaxeFlux`.
    public var syntaxe: String
    /// Deposited file name (`nomFichier`).
    public var fileName: String
    /// Deposit time (simulator clock).
    public var depositedAt: Date
    /// When processing starts (IN_EN_COURS_TRAITEMENT_CPP) and when the final state is reached.
    public var processingAt: Date
    /// When the outcome is reached.
    public var finalAt: Date
    /// Login of the depositing account.
    public var login: String
    /// Final state once processed: IN_INTEGRE, IN_INTEGRE_PARTIEL or IN_REJETE.
    public var outcome: String
    /// Errors per invoice (`listeErreurDP`), shown once processed.
    public var dpErrors: [DPError]
    /// Errors of the file (`listeErreurTechnique`), shown once processed.
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
    /// `numeroDP`: the invoice number read in the file.
    public var invoiceNumber: String
    /// `identifiantFournisseur` as written in the file.
    public var supplier: String
    /// `identifiantDestinataire` as written in the file.
    public var recipient: String
    /// `libelleErreurDP`, worded as the platform reports it.
    public var message: String
}

/// A technical error of a flux (`listeErreurTechnique`).
public struct TechnicalError: Codable, Sendable, Equatable {
    /// `codeErreur` (`ERR_XSD_001`...).
    public var code: String
    /// `libelleErreur`.
    public var message: String
    /// `natureErreur`.
    public var nature: String
}

/// An uploaded file.
public struct Attachment: Codable, Sendable, Equatable {
    /// Technical id.
    public var id: Int64
    /// Name.
    public var name: String
    /// Extension, upper case (`PDF`).
    public var ext: String
    /// MIME type.
    public var mime: String
    /// The content (kept apart, in the state's `files`).
    public var file: StoredFile?
    /// Login, `TECH_<n>_<SIRET>@cpro.fr`.
    public var login: String
    /// Attachment type code.
    public var typeCode: String = "PJ_FACTURE"
}
