import Foundation

extension ProfileResolver {
    /// The PISTE application and the technical account. A missing one becomes an error that fires
    /// only when it is used, so commands that need no credentials still work.
    func resolveCredentials(
        _ envName: EnvironmentName, profile: Profile, entries: inout [ResolvedSettings.Entry]
    ) throws(ChorusError) -> (Credential<ApplicationCredentials>, Credential<TechnicalAccount>) {
        var credentials: [String: (value: String?, source: String)] = [:]
        for key in ConfigFile.credentialKeys {
            if envName == .sim {
                let resolved = simulatorCredential(key)
                credentials[key] = resolved
                let shown = resolved.value ?? "(issued by the simulator)"
                entries.append(
                    .init(key: key, value: shown, source: resolved.source, isSecret: resolved.value != nil && key == "tech_password"))
                continue
            }
            let resolved = try credential(key, profile: profile.values, profileName: profile.name, profileLabel: profile.label)
            credentials[key] = resolved
            entries.append(
                .init(
                    key: key, value: resolved.value, source: resolved.source,
                    isSecret: ConfigFile.secretKeys.contains(key)))
        }
        func missing(_ key: String, _ what: String) -> ChorusError {
            .missingCredential(
                what, variable: Self.credentialVariables[key]!, profileKey: key, profile: profile.name,
                configPath: profile.file?.path)
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
        return (application, account)
    }

    /// In `sim` the simulator issues its own credentials; a technical account given in the environment
    /// (both CHORUS_TECH_LOGIN and CHORUS_TECH_PASSWORD) selects another of its accounts, e.g. the
    /// recipient's, or a wrong password on purpose.
    private func simulatorCredential(_ key: String) -> (value: String?, source: String) {
        let variable = key == "tech_login" ? "CHORUS_TECH_LOGIN" : key == "tech_password" ? "CHORUS_TECH_PASSWORD" : nil
        if let variable, environment["CHORUS_TECH_LOGIN"] != nil, environment["CHORUS_TECH_PASSWORD"] != nil,
            let value = environment[variable]
        {
            return (value, "env \(variable)")
        }
        return (nil, "simulator")
    }
}
