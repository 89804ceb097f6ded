import Foundation

/// One credential as the profile resolution found it: its value, where it came from, and, when an
/// indirection points nowhere, what is wrong with it.
struct ResolvedCredential {
    var value: String?
    var source: String
    var problem: String?

    init(value: String? = nil, source: String, problem: String? = nil) {
        self.value = value
        self.source = source
        self.problem = problem
    }
}

extension ProfileResolver {
    /// What each credential key is, for messages.
    static let credentialNames: [String: String] = [
        "client_id": "PISTE client id", "client_secret": "PISTE client secret",
        "tech_login": "technical account login", "tech_password": "technical account password",
    ]

    /// The PISTE application and the technical account. A missing one becomes an error that fires
    /// only when it is used, so commands that need no credentials still work, and that error names
    /// every missing field of the pair at once.
    func resolveCredentials(
        _ envName: EnvironmentName, profile: Profile, entries: inout [ResolvedSettings.Entry]
    ) throws(ChorusError) -> (Credential<ApplicationCredentials>, Credential<TechnicalAccount>) {
        var credentials: [String: ResolvedCredential] = [:]
        for key in ConfigFile.credentialKeys {
            let resolved =
                envName == .sim
                ? simulatorCredential(key)
                : credential(key, profile: profile.values, profileName: profile.name, profileLabel: profile.label)
            credentials[key] = resolved
            let shown = envName == .sim ? resolved.value ?? "(issued by the simulator)" : resolved.value
            let secret = envName == .sim ? resolved.value != nil && key == "tech_password" : ConfigFile.secretKeys.contains(key)
            entries.append(.init(key: key, value: shown, source: resolved.source, isSecret: secret))
        }
        func pair(_ first: String, _ second: String) -> ChorusError? {
            let keys = [first, second].filter { credentials[$0]?.value == nil }
            guard !keys.isEmpty else { return nil }
            let problems = keys.compactMap { credentials[$0]?.problem }
            if !problems.isEmpty { return ChorusError(code: .config, message: problems.joined(separator: "; ")) }
            return .missingCredentials(
                keys.map { (Self.credentialNames[$0]!, Self.credentialVariables[$0]!, $0) }, profile: profile.name,
                configPath: profile.file?.path)
        }
        let application: Credential<ApplicationCredentials>
        if let error = pair("client_id", "client_secret") {
            application = .missing(error)
        } else {
            application = .present(
                ApplicationCredentials(
                    clientId: credentials["client_id"]!.value!, clientSecret: credentials["client_secret"]!.value!))
        }
        let account: Credential<TechnicalAccount>
        if let error = pair("tech_login", "tech_password") {
            account = .missing(error)
        } else {
            account = .present(
                TechnicalAccount(login: credentials["tech_login"]!.value!, password: credentials["tech_password"]!.value!))
        }
        return (application, account)
    }

    /// In `sim` the simulator issues its own credentials; a technical account given in the environment
    /// (both CHORUS_TECH_LOGIN and CHORUS_TECH_PASSWORD) selects another of its accounts, e.g. the
    /// recipient's, or a wrong password on purpose.
    private func simulatorCredential(_ key: String) -> ResolvedCredential {
        let variable = key == "tech_login" ? "CHORUS_TECH_LOGIN" : key == "tech_password" ? "CHORUS_TECH_PASSWORD" : nil
        if let variable, environment["CHORUS_TECH_LOGIN"] != nil, environment["CHORUS_TECH_PASSWORD"] != nil,
            let value = environment[variable]
        {
            return ResolvedCredential(value: value, source: "env \(variable)")
        }
        return ResolvedCredential(source: "simulator")
    }
}
