import Foundation

/// Resolves settings with the precedence of `docs/configuration.md`:
/// flags > environment variables > profile > defaults.
public struct ProfileResolver: Sendable {
    /// The global options of the command line (docs/configuration.md).
    public struct Flags: Sendable {
        /// `--profile NAME`.
        public var profile: String?
        /// `--env sim|sandbox|prod|custom`.
        public var env: String?
        /// `--config PATH`.
        public var config: String?
        /// The flags as given on the command line (nil when absent).
        public init(profile: String? = nil, env: String? = nil, config: String? = nil) {
            self.profile = profile
            self.env = env
            self.config = config
        }
    }

    /// Environment variables per credential key.
    public static let credentialVariables: [String: String] = [
        "client_id": "CHORUS_CLIENT_ID", "client_secret": "CHORUS_CLIENT_SECRET",
        "tech_login": "CHORUS_TECH_LOGIN", "tech_password": "CHORUS_TECH_PASSWORD",
    ]

    /// The command-line flags.
    public var flags: Flags
    /// The environment variables to read (never implicitly the process's).
    public var environment: [String: String]

    /// A resolver for `flags` and the variables of `environment` (empty values count as unset).
    public init(flags: Flags = Flags(), environment: [String: String]) {
        self.flags = flags
        self.environment = environment.filter { !$0.value.isEmpty }
    }

    /// The profile in force, as the resolving steps read it.
    struct Profile {
        var name: String?
        var values: [String: ConfigFile.Value]
        /// `profile NAME`, for the sources shown by `chorus config show`.
        var label: String
        var file: ConfigFile?
    }

    /// Resolves everything that can be resolved without network; credentials that are missing become
    /// errors that fire only when used.
    public func resolve() throws(ChorusError) -> ResolvedSettings {
        let paths = ChorusPaths.resolve(environment: environment, configFlag: flags.config)
        let file = try ConfigFile.load(at: paths.configFile)
        let (profileName, profileSource) = try selectProfile(file: file, paths: paths)
        let profile = Profile(
            name: profileName, values: profileName.flatMap { file?.profiles[$0] } ?? [:],
            label: profileName.map { "profile \($0)" } ?? "profile", file: file)
        var entries: [ResolvedSettings.Entry] = []

        let (envName, envSource) = try selectEnvironment(profile: profile.values, profileLabel: profile.label)
        entries.append(.init(key: "env", value: envName.rawValue, source: envSource, isSecret: false))
        let endpoints = try resolveEndpoints(envName, profile: profile, entries: &entries)
        let (application, account) = try resolveCredentials(envName, profile: profile, entries: &entries)
        let other = try resolveOtherSettings(profile: profile, entries: &entries)

        var warnings: [String] = []
        if let endpoints {
            warnings = try EnvironmentGuard.validate(name: envName, endpoints: endpoints, appName: other.appName)
        }
        return ResolvedSettings(
            paths: paths, configFileFound: file != nil, profileName: profileName, profileSource: profileSource,
            environment: envName, environmentSource: envSource, endpoints: endpoints, entries: entries,
            warnings: warnings, application: application, technicalAccount: account, appName: other.appName,
            siret: other.siret, timeout: other.timeout, limits: other.limits, allowWrites: other.allowWrites)
    }
}
