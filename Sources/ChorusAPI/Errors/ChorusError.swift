/// A failure of the Chorus Pro client, classified so that a script, the CLI and the doctor can act on it.
///
/// Every field is a plain value (strings, integers, booleans) so the Lua layer can copy it into a
/// `chorus.Error` table without knowing Swift types. Messages never contain secrets: the builders in
/// this module only ever interpolate host names, operation ids, HTTP statuses and server `libelle`s.
public struct ChorusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure (docs/errors.md), which decides the exit code and whether a retry can help.
    public enum Code: String, Sendable, CaseIterable {
        /// The host could not be reached: DNS, refused connection, TLS, reset.
        case network = "NETWORK"
        /// The environment is inconsistent: mixed hosts, a URL that is not a PISTE endpoint, wrong answers.
        case environment = "ENVIRONMENT"
        /// PISTE refused the application credentials (client id / secret) at the token endpoint.
        case authApp = "AUTH_APP"
        /// A valid token was refused with 403: the application has not subscribed to this API (CGU).
        case notSubscribed = "NOT_SUBSCRIBED"
        /// The technical account (`cpro-account`) was refused with 401.
        case authAccount = "AUTH_ACCOUNT"
        /// The structure (SIRET) is not known in this environment.
        case structure = "STRUCTURE"
        /// Chorus Pro answered with a business error (`codeRetour` ≠ 0).
        case business = "BUSINESS"
        /// The gateway asked us to slow down (429).
        case rateLimited = "RATE_LIMITED"
        /// The server failed (5xx) or answered something that is not JSON.
        case server = "SERVER"
        /// No answer in time.
        case timeout = "TIMEOUT"
        /// The caller cancelled the request.
        case cancelled = "CANCELLED"
        /// Bad configuration or usage: missing credential, unknown profile or operation, invalid JSON.
        case config = "CONFIG"
        /// A write whose request may have reached the platform but whose answer was lost (a timeout after
        /// the request was sent, a connection dropped after it was written, a cancelled or killed process):
        /// it may have been processed, so it must be reconciled, never blindly sent again.
        case uncertain = "UNCERTAIN"
        /// Refused by the deposit ledger: this invoice was already sent in this environment, or the same
        /// invoice number of the same supplier was sent with a different content.
        case duplicate = "DUPLICATE"

        /// The process exit code (docs/errors.md) for this class of failure.
        public var exitCode: Int32 {
            switch self {
            case .config: return 2
            case .network, .environment, .timeout, .rateLimited, .server: return 3
            case .authApp: return 4
            case .notSubscribed: return 5
            case .authAccount: return 6
            case .structure: return 7
            case .business: return 8
            case .cancelled: return 1
            // Not 3: a job that retries on "network" exit codes would resend a deposit that may have arrived.
            case .uncertain, .duplicate: return 9
            }
        }

        /// Whether repeating the same request later can succeed without changing anything.
        public var isTransient: Bool {
            switch self {
            case .network, .timeout, .rateLimited, .server: return true
            default: return false
            }
        }
    }

    /// The class of failure.
    public var code: Code
    /// One readable line saying what happened (no secrets).
    public var message: String
    /// The HTTP status, when a response was received.
    public var status: Int?
    /// Chorus Pro `codeRetour`, when the body carried one.
    public var codeRetour: Int?
    /// Chorus Pro `libelle` (or the OAuth `error` / `error_description`), when the body carried one.
    public var libelle: String?
    /// The operation, as `group.operationId` (e.g. `factures.deposerFluxFacture`), or `token`.
    public var operation: String?
    /// Whether the client may repeat the request (it never does so for writes).
    public var retryable: Bool
    /// Likely cause and what to do, in the words of the PISTE and Chorus Pro portals.
    public var remediation: String?
    /// The `x-correlationid` response header, to quote to the support desk.
    public var correlationId: String?
    /// The `WWW-Authenticate` header of a 401, which says which credential was refused.
    public var wwwAuthenticate: String?
    /// The environment name (`sim`, `sandbox`, `prod`, `custom`) the request was aimed at.
    public var environment: String?
    /// The `numeroFluxDepot` an error is about: the earlier deposit of an invoice the ledger refused.
    public var fluxNumber: String?

    /// Creates an error; prefer the static builders of `ChorusError+Builders.swift`.
    public init(
        code: Code, message: String, status: Int? = nil, codeRetour: Int? = nil, libelle: String? = nil,
        operation: String? = nil, retryable: Bool? = nil, remediation: String? = nil,
        correlationId: String? = nil, wwwAuthenticate: String? = nil, environment: String? = nil
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.codeRetour = codeRetour
        self.libelle = libelle
        self.operation = operation
        self.retryable = retryable ?? code.isTransient
        self.remediation = remediation
        self.correlationId = correlationId
        self.wwwAuthenticate = wwwAuthenticate
        self.environment = environment
    }

    /// The process exit code (docs/errors.md).
    public var exitCode: Int32 { code.exitCode }

    /// One line: `CODE [operation] (HTTP n, codeRetour n): message`.
    public var description: String {
        var head = code.rawValue
        if let operation { head += " \(operation)" }
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let codeRetour { details.append("codeRetour \(codeRetour)") }
        if !details.isEmpty { head += " (\(details.joined(separator: ", ")))" }
        return "\(head): \(message)"
    }

    /// The full explanation for a terminal: the line, the remediation and the support details.
    public var report: String {
        var lines = [description]
        if let remediation { lines.append("  fix: \(remediation)") }
        if let environment { lines.append("  environment: \(environment)") }
        if let wwwAuthenticate { lines.append("  WWW-Authenticate: \(wwwAuthenticate)") }
        if let correlationId { lines.append("  x-correlationid: \(correlationId)") }
        return lines.joined(separator: "\n")
    }
}
