import Foundation

/// A credential that is either known or missing, with the error that explains how to provide it.
/// Missing credentials only fail when they are needed (`chorus token` needs no technical account).
public enum Credential<Value: Sendable>: Sendable {
    case present(Value)
    case missing(ChorusError)

    /// The value, or the error explaining what to set.
    public func get() throws(ChorusError) -> Value {
        switch self {
        case .present(let value): return value
        case .missing(let error): throw error
        }
    }

    /// The value if present.
    public var value: Value? {
        if case .present(let value) = self { return value }
        return nil
    }
}

/// Everything a `ChorusClient` needs, usually built by `ProfileResolver`.
public struct ClientConfiguration: Sendable {
    /// Where requests go.
    public var environment: ChorusEnvironment
    /// PISTE application credentials.
    public var application: Credential<ApplicationCredentials>
    /// The own structure's SIRET (profile `siret`, `CHORUS_SIRET`, or the simulator's supplier).
    public var siret: String?
    /// Chorus Pro technical account.
    public var technicalAccount: Credential<TechnicalAccount>
    /// Read timeout of one request, in seconds (deposits of large files need more than searches).
    public var timeout: Double
    /// Retries of reads.
    public var retry: RetryPolicy
    /// Rate and concurrency limits for this environment.
    public var limits: TrafficLimits
    /// Whether write operations may run in production without a per-call confirmation.
    public var allowWrites: Bool
    /// Where tokens are cached between runs (nil: memory only).
    public var tokenCache: TokenDiskCache?
    /// Asked before each write in production when `allowWrites` is false (an interactive session asks
    /// its user); true lets the write go. Nil: such writes are refused.
    public var confirmWrite: (@Sendable (ChorusOperation) async -> Bool)?

    /// Creates a value from its fields.
    public init(
        environment: ChorusEnvironment, application: Credential<ApplicationCredentials>,
        technicalAccount: Credential<TechnicalAccount>, timeout: Double = 60, retry: RetryPolicy = RetryPolicy(),
        limits: TrafficLimits = TrafficLimits(), allowWrites: Bool = false, tokenCache: TokenDiskCache? = nil
    ) {
        self.environment = environment
        self.application = application
        self.technicalAccount = technicalAccount
        self.timeout = timeout
        self.retry = retry
        self.limits = limits
        self.allowWrites = allowWrites
        self.tokenCache = tokenCache
    }

    /// Every secret of this configuration, for the redactor.
    var secrets: [String] {
        var secrets: [String] = []
        if let app = application.value { secrets.append(app.clientSecret) }
        if let account = technicalAccount.value {
            secrets.append(account.password)
            secrets.append(account.headerValue)
        }
        return secrets
    }
}
