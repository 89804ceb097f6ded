import Foundation

/// Resolves settings with the precedence of `docs/configuration.md`:
/// flags > environment variables > profile > defaults.
public struct ProfileResolver: Sendable {
    /// The global options of the command line (DESIGN.md §2).
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

    /// Resolves everything that can be resolved without network; credentials that are missing become
    /// errors that fire only when used.
    public func resolve() throws(ChorusError) -> ResolvedSettings {
        let paths = ChorusPaths.resolve(environment: environment, configFlag: flags.config)
        let file = try ConfigFile.load(at: paths.configFile)
        let (profileName, profileSource) = try selectProfile(file: file, paths: paths)
        let profile = profileName.flatMap { file?.profiles[$0] } ?? [:]
        let profileLabel = profileName.map { "profile \($0)" } ?? "profile"
        var entries: [ResolvedSettings.Entry] = []

        let (envName, envSource) = try selectEnvironment(profile: profile, profileLabel: profileLabel)
        entries.append(.init(key: "env", value: envName.rawValue, source: envSource, isSecret: false))

        // Endpoints
        var endpoints: Endpoints?
        switch envName {
        case .sandbox, .prod:
            if profile["oauth_url"] != nil || profile["api_url"] != nil {
                throw ChorusError(
                    code: .config,
                    message: "oauth_url and api_url in [profiles.\(profileName ?? "")] are only "
                        + "used with env = \"custom\"; remove them or set env = \"custom\"")
            }
            endpoints = envName == .prod ? .prod : .sandbox
            entries.append(
                .init(
                    key: "oauth_url", value: endpoints!.tokenURL.absoluteString, source: "env \(envName.rawValue)",
                    isSecret: false))
            entries.append(
                .init(
                    key: "api_url", value: endpoints!.apiBaseURL.absoluteString, source: "env \(envName.rawValue)",
                    isSecret: false))
        case .custom:
            let oauth = try url("oauth_url", variable: "CHORUS_OAUTH_URL", profile: profile, profileLabel: profileLabel)
            let api = try url("api_url", variable: "CHORUS_API_URL", profile: profile, profileLabel: profileLabel)
            endpoints = Endpoints(tokenURL: oauth.url, apiBaseURL: api.url)
            entries.append(
                .init(key: "oauth_url", value: oauth.url.absoluteString, source: oauth.source, isSecret: false))
            entries.append(.init(key: "api_url", value: api.url.absoluteString, source: api.source, isSecret: false))
        case .sim:
            entries.append(
                .init(
                    key: "oauth_url", value: "(loopback, chosen when the simulator starts)", source: "simulator",
                    isSecret: false))
            entries.append(
                .init(
                    key: "api_url", value: "(loopback, chosen when the simulator starts)", source: "simulator",
                    isSecret: false))
        }

        // Credentials
        var credentials: [String: (value: String?, source: String)] = [:]
        for key in ConfigFile.credentialKeys {
            if envName == .sim {
                // The simulator issues its own credentials; a technical account given in the environment
                // (CHORUS_TECH_LOGIN and CHORUS_TECH_PASSWORD) selects another of its accounts, e.g. the
                // recipient's, or a wrong password on purpose.
                let variable = key == "tech_login" ? "CHORUS_TECH_LOGIN" : key == "tech_password" ? "CHORUS_TECH_PASSWORD" : nil
                if let variable, environment["CHORUS_TECH_LOGIN"] != nil, environment["CHORUS_TECH_PASSWORD"] != nil,
                    let value = environment[variable]
                {
                    credentials[key] = (value, "env \(variable)")
                    entries.append(.init(key: key, value: value, source: "env \(variable)", isSecret: key == "tech_password"))
                    continue
                }
                credentials[key] = (nil, "simulator")
                entries.append(
                    .init(key: key, value: "(issued by the simulator)", source: "simulator", isSecret: false))
                continue
            }
            let resolved = try credential(key, profile: profile, profileName: profileName, profileLabel: profileLabel)
            credentials[key] = resolved
            entries.append(
                .init(
                    key: key, value: resolved.value, source: resolved.source,
                    isSecret: ConfigFile.secretKeys.contains(key)))
        }
        func missing(_ key: String, _ what: String) -> ChorusError {
            .missingCredential(
                what, variable: Self.credentialVariables[key]!, profileKey: key, profile: profileName,
                configPath: file?.path)
        }
        let application: Credential<ApplicationCredentials>
        if let id = credentials["client_id"]?.value, let secret = credentials["client_secret"]?.value {
            application = .present(ApplicationCredentials(clientId: id, clientSecret: secret))
        } else if credentials["client_id"]?.value == nil {
            application = .missing(missing("client_id", "PISTE client id"))
        } else {
            application = .missing(missing("client_secret", "PISTE client secret"))
        }
        let account: Credential<TechnicalAccount>
        if let login = credentials["tech_login"]?.value, let password = credentials["tech_password"]?.value {
            account = .present(TechnicalAccount(login: login, password: password))
        } else if credentials["tech_login"]?.value == nil {
            account = .missing(missing("tech_login", "technical account login"))
        } else {
            account = .missing(missing("tech_password", "technical account password"))
        }

        // Other settings
        let appName = profile["app_name"]?.description
        let appName_ = appName
        let siretFromEnvironment = environment["CHORUS_SIRET"].flatMap { $0.isEmpty ? nil : $0 }
        let siret = siretFromEnvironment ?? profile["siret"]?.description
        entries.append(.init(key: "app_name", value: appName_, source: appName_ == nil ? "default" : profileLabel, isSecret: false))
        entries.append(.init(key: "siret", value: siret,
                             source: siretFromEnvironment != nil ? "env CHORUS_SIRET" : (siret == nil ? "default" : profileLabel),
                             isSecret: false))
        let timeout = try number("timeout", profile: profile, default: 60, label: profileLabel, entries: &entries)
        let rate = try number("rate_limit", profile: profile, default: nil, label: profileLabel, entries: &entries)
        let concurrency = try number(
            "max_concurrency", profile: profile, default: 8, label: profileLabel, entries: &entries)
        let allowWrites: Bool
        switch profile["allow_writes"] {
        case .bool(let b)?: allowWrites = b
        case nil: allowWrites = false
        default:
            throw ChorusError(
                code: .config, message: "allow_writes in [profiles.\(profileName ?? "")] must be true or false")
        }
        entries.append(
            .init(
                key: "allow_writes", value: String(allowWrites),
                source: profile["allow_writes"] == nil ? "default" : profileLabel, isSecret: false))

        var warnings: [String] = []
        if let endpoints {
            warnings = try EnvironmentGuard.validate(name: envName, endpoints: endpoints, appName: appName)
        }
        return ResolvedSettings(
            paths: paths, configFileFound: file != nil, profileName: profileName, profileSource: profileSource,
            environment: envName, environmentSource: envSource, endpoints: endpoints, entries: entries,
            warnings: warnings, application: application, technicalAccount: account, appName: appName, siret: siret,
            timeout: timeout ?? 60,
            limits: TrafficLimits(requestsPerSecond: rate, maxConcurrentRequests: Int(concurrency ?? 8)),
            allowWrites: allowWrites)
    }
}
