import Foundation

/// The settings in force after applying flags > environment variables > profile > defaults, each with
/// where it came from. Printing them (`chorus config show`) never shows a secret.
public struct ResolvedSettings: Sendable {
    /// One resolved setting.
    public struct Entry: Sendable, Equatable {
        /// Profile key name (`client_id`, `env`...).
        public var key: String
        /// The value; nil when unset.
        public var value: String?
        /// Where it came from: `flag --env`, `env CHORUS_CLIENT_ID`, `profile qualif`, `file /run/...`, `default`.
        public var source: String
        /// Whether the value is a secret (shown as `<redacted>`).
        public var isSecret: Bool

        /// The value as shown to users.
        public var displayValue: String {
            guard let value else { return "(not set)" }
            return isSecret ? "<redacted>" : value
        }
    }

    /// Paths in force.
    public var paths: ChorusPaths
    /// Whether the configuration file exists.
    public var configFileFound: Bool
    /// The selected profile, if any.
    public var profileName: String?
    /// Why that profile (`flag --profile`, `env CHORUS_PROFILE`, `default_profile`).
    public var profileSource: String?
    /// The environment.
    public var environment: EnvironmentName
    /// Why that environment.
    public var environmentSource: String
    /// Token URL and API host (nil for `sim`, whose URLs are known once it starts).
    public var endpoints: Endpoints?
    /// Every setting with its source, in display order.
    public var entries: [Entry]
    /// Findings of the guardrails to print (retired hosts...).
    public var warnings: [String]

    var application: Credential<ApplicationCredentials>
    var technicalAccount: Credential<TechnicalAccount>
    /// `app_name` of the profile, for the SANDBOX-in-prod guardrail.
    public var appName: String?
    /// `siret` of the profile (the own structure, for the doctor).
    public var siret: String?
    /// Read timeout in seconds.
    public var timeout: Double
    /// Rate and concurrency limits.
    public var limits: TrafficLimits
    /// `allow_writes` of the profile.
    public var allowWrites: Bool

    /// What the credentials still lack, one line per pair (empty when both are complete, and always in
    /// `sim`, where the simulator issues them).
    public var missingCredentials: [String] {
        guard environment != .sim else { return [] }
        var lines: [String] = []
        if case .missing(let error) = application { lines.append(error.message) }
        if case .missing(let error) = technicalAccount { lines.append(error.message) }
        return lines
    }

    /// The entry for `key`.
    public func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }

    /// The configuration of a client for these settings; starts the simulator for `sim`.
    /// - Parameter simulator: the launcher for `sim`; nil when this program has no simulator.
    public func clientConfiguration(simulator: (any SimulatorLauncher)?) async throws(ChorusError) -> ClientConfiguration {
        var environment: ChorusEnvironment
        var application = application
        var technicalAccount = technicalAccount
        var ownSiret = siret
        if self.environment == .sim {
            guard let simulator else { throw ChorusError.simulatorUnavailable }
            let session = try await simulator.start()
            _ = try EnvironmentGuard.validate(name: .sim, endpoints: session.endpoints, appName: nil)
            environment = ChorusEnvironment(
                name: .sim, endpoints: session.endpoints, profileName: profileName,
                warnings: warnings)
            application = .present(session.application)
            if technicalAccount.value == nil { technicalAccount = .present(session.technicalAccount) }
            ownSiret = ownSiret ?? session.siret
        } else {
            guard let endpoints else { throw ChorusError.simulatorUnavailable }
            environment = ChorusEnvironment(
                name: self.environment, endpoints: endpoints, profileName: profileName,
                warnings: warnings)
        }
        environment.warnings = warnings
        var configuration = ClientConfiguration(
            environment: environment, application: application, technicalAccount: technicalAccount,
            timeout: timeout, limits: limits, allowWrites: allowWrites,
            // An in-process simulator lives as long as the process: its tokens mean nothing to the next
            // one and would pile up on disk, one file per ephemeral port.
            tokenCache: self.environment == .sim ? nil : TokenDiskCache(directory: paths.cacheDirectory))
        configuration.siret = ownSiret
        return configuration
    }
}
