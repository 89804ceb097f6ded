import Foundation

/// Where deposits go, as the ledger tells environments apart: the environment name, the API URL and
/// the technical account. The same invoice deposited in qualification and in production is two rows.
public struct LedgerEnvironment: Sendable, Hashable, Codable {
    /// `sim`, `sandbox`, `prod` or `custom`.
    public var name: String
    /// The API host (`https://sandbox-api.piste.gouv.fr`); `sim` for the in-process simulator, whose
    /// port changes at every run.
    public var apiURL: String
    /// The technical account login (`TECH_1_...@cpro.fr`), never its password.
    public var account: String

    /// Creates a value from its fields.
    public init(name: String, apiURL: String, account: String) {
        self.name = name
        self.apiURL = apiURL
        self.account = account
    }

    /// The one string rows are keyed by.
    public var key: String { "\(name) \(apiURL) \(account)" }
}

/// Where an invoice stands in the ledger (docs/ledger.md).
public enum LedgerState: String, Sendable, Codable, CaseIterable {
    /// Passed the pre-deposit checks; nothing sent (or a failed attempt proved nothing was received).
    case checked
    /// About to be sent: committed to disk before the request leaves.
    case reserved
    /// The platform acknowledged the deposit with a `numeroFluxDepot`.
    case sent
    /// The request may have reached the platform but its answer was lost; reconcile before any resend.
    case uncertain
    /// The flow report says `IN_INTEGRE`.
    case integrated
    /// The flow report says `IN_INTEGRE_PARTIEL`.
    case partiallyIntegrated = "partially_integrated"
    /// The flow report says `IN_REJETE`.
    case rejected

    /// The states in which the platform has (or may have) the invoice: sending it again would duplicate it.
    public var isDeposited: Bool { [.sent, .integrated, .partiallyIntegrated].contains(self) }
    /// The states `chorus watch` still follows.
    public var isFinal: Bool { [.integrated, .partiallyIntegrated, .rejected].contains(self) }
}

/// One thing that happened to a ledger row: a deposit attempt, a reconciliation, a forced resend.
public struct LedgerAttempt: Sendable, Equatable, Codable {
    /// When it happened.
    public var at: Date
    /// `deposit`, `reconcile`, `force`, `watch`.
    public var action: String
    /// `sent`, `uncertain`, `failed`, `found`, `absent`, `pending`...
    public var outcome: String
    /// The flux number, the error line, what reconciliation found.
    public var detail: String?
    /// For a reservation, the process that made it (`pid@host`): a reservation whose process is gone
    /// is stale at once instead of after ``DepositLedger/staleAfter``.
    public var owner: String?

    /// Creates a value from its fields.
    public init(at: Date, action: String, outcome: String, detail: String? = nil, owner: String? = nil) {
        self.at = at
        self.action = action
        self.outcome = outcome
        self.detail = detail
        self.owner = owner
    }
}

/// One invoice in one environment: what the file says, where its deposit stands, and every attempt.
public struct LedgerEntry: Sendable, Equatable, Codable {
    /// The store's id (nil before the first save).
    public var id: Int64?
    /// `LedgerEnvironment.key`.
    public var environment: String
    /// The environment name (`sim`, `sandbox`, `prod`, `custom`).
    public var envName: String
    /// The API host.
    public var apiURL: String
    /// The technical account login.
    public var account: String
    /// The invoice number read from the file.
    public var invoiceNumber: String
    /// The supplier's identifier (SIRET) read from the file.
    public var supplierSiret: String
    /// The recipient's identifier (SIRET) read from the file.
    public var recipientSiret: String?
    /// SHA-256 of the file, hex.
    public var contentHash: String
    /// The file name sent as `nomFichier`; in a lot, the invoice's entry (`lot.zip/entry.xml`).
    public var fileName: String
    /// The archive's file name when the invoice was deposited in a lot (its rows share a flux); nil
    /// for an invoice deposited alone.
    public var lot: String?
    /// The `syntaxeFlux` sent.
    public var syntax: String
    /// Where the row stands.
    public var state: LedgerState
    /// `numeroFluxDepot`, once known.
    public var fluxNumber: String?
    /// `dateDepot` as the platform gave it, once known.
    public var depositDate: String?
    /// The last flow state seen (`IN_INTEGRE`...), by `chorus watch`.
    public var flowState: String?
    /// The platform's text for a rejection or a partial integration, per invoice.
    public var report: String?
    /// When the row was created.
    public var createdAt: Date
    /// When the row last changed.
    public var updatedAt: Date
    /// Every attempt, oldest first.
    public var attempts: [LedgerAttempt]

    /// A new row for an invoice that passed the checks.
    public init(
        environment: LedgerEnvironment, invoiceNumber: String, supplierSiret: String, recipientSiret: String?,
        contentHash: String, fileName: String, syntax: String, state: LedgerState = .checked, now: Date
    ) {
        self.id = nil
        self.environment = environment.key
        self.envName = environment.name
        self.apiURL = environment.apiURL
        self.account = environment.account
        self.invoiceNumber = invoiceNumber
        self.supplierSiret = supplierSiret
        self.recipientSiret = recipientSiret
        self.contentHash = contentHash
        self.fileName = fileName
        self.syntax = syntax
        self.lot = nil
        self.state = state
        self.createdAt = now
        self.updatedAt = now
        self.attempts = []
    }

    /// Records an attempt and moves the row to `state`.
    public mutating func record(_ state: LedgerState, _ attempt: LedgerAttempt) {
        self.state = state
        self.updatedAt = attempt.at
        attempts.append(attempt)
    }

    /// The process holding the last reservation (`pid@host`), if recorded.
    public var reservationOwner: String? {
        attempts.last { $0.action == "deposit" || $0.action == "force" }?.owner
    }

    /// When the last deposit request was about to leave (the reservation), if any.
    public var lastReservation: Date? {
        attempts.last { $0.action == "deposit" || $0.action == "force" }?.at
    }
}
