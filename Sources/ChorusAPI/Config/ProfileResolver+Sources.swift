import Foundation

extension ProfileResolver {
    /// `--profile` > `CHORUS_PROFILE` > `default_profile`; a named profile must exist.
    func selectProfile(file: ConfigFile?, paths: ChorusPaths) throws(ChorusError) -> (String?, String?) {
        let chosen: (name: String, source: String)?
        if let flag = flags.profile, !flag.isEmpty {
            chosen = (flag, "flag --profile")
        } else if let variable = environment["CHORUS_PROFILE"] {
            chosen = (variable, "env CHORUS_PROFILE")
        } else if let name = file?.defaultProfile {
            chosen = (name, "default_profile in \(paths.configFile.path)")
        } else {
            chosen = nil
        }
        guard let chosen else { return (nil, nil) }
        guard let file else {
            throw ChorusError(
                code: .config,
                message: "unknown profile '\(chosen.name)' (from \(chosen.source)): there is "
                    + "no configuration file at \(paths.configFile.path)",
                remediation: "Create one with `chorus config init`, or point --config / CHORUS_CONFIG at it.")
        }
        guard file.profiles[chosen.name] != nil else {
            let names = file.profiles.keys.sorted()
            var message = "unknown profile '\(chosen.name)' (from \(chosen.source)) in \(file.path)"
            message += names.isEmpty ? "; it defines no profile" : "; profiles: \(names.joined(separator: ", "))"
            throw ChorusError(code: .config, message: message)
        }
        return (chosen.name, chosen.source)
    }

    /// `--env` > `CHORUS_ENV` > custom URLs in the environment > profile `env` > profile URLs >
    /// `sim` when nothing is configured > `sandbox`. Production is never a default.
    func selectEnvironment(
        profile: [String: ConfigFile.Value], profileLabel: String
    ) throws(ChorusError) -> (EnvironmentName, String) {
        let urlVariables = ["CHORUS_OAUTH_URL", "CHORUS_API_URL"].filter { environment[$0] != nil }
        func parse(_ text: String, _ source: String) throws(ChorusError) -> EnvironmentName {
            guard let name = EnvironmentName(parsing: text) else {
                throw ChorusError(
                    code: .config,
                    message: "\(source) '\(text)' is not an environment; "
                        + "use sim, sandbox, prod or custom")
            }
            if name != .custom, !urlVariables.isEmpty {
                throw ChorusError(
                    code: .config,
                    message: "\(urlVariables.joined(separator: " and ")) select the custom "
                        + "environment, but \(source) asks for \(name.rawValue); unset them or use --env custom")
            }
            return name
        }
        if let flag = flags.env, !flag.isEmpty { return (try parse(flag, "--env"), "flag --env") }
        if let variable = environment["CHORUS_ENV"] { return (try parse(variable, "CHORUS_ENV"), "env CHORUS_ENV") }
        if !urlVariables.isEmpty { return (.custom, "env \(urlVariables.joined(separator: ", ")) (implies custom)") }
        if case .string(let text)? = profile["env"] {
            guard let name = EnvironmentName(parsing: text) else {
                throw ChorusError(
                    code: .config,
                    message: "env = \"\(text)\" in \(profileLabel) is not an environment; "
                        + "use sim, sandbox, prod or custom")
            }
            return (name, profileLabel)
        }
        if profile["oauth_url"] != nil || profile["api_url"] != nil {
            return (.custom, "\(profileLabel) (oauth_url/api_url)")
        }
        let anyCredential = Self.credentialVariables.values.contains { environment[$0] != nil }
        if profile.isEmpty, !anyCredential { return (.sim, "default (no profile and no credentials)") }
        return (.sandbox, "default (credentials without env)")
    }

    /// A credential: `CHORUS_*` variable > literal profile key > `_file` > `_env`.
    ///
    /// An indirection that points nowhere (an unset `_env` variable, an unreadable or empty `_file`)
    /// is not thrown: it comes back as `problem`, so `chorus config show` still shows everything and
    /// the error fires only when the credential is used.
    func credential(
        _ key: String, profile: [String: ConfigFile.Value], profileName: String?, profileLabel: String
    ) -> ResolvedCredential {
        let variable = Self.credentialVariables[key]!
        if let value = environment[variable] { return ResolvedCredential(value: value, source: "env \(variable)") }
        if let value = profile[key] { return ResolvedCredential(value: value.description, source: profileLabel) }
        let section = "[profiles.\(profileName ?? "")]"
        if let path = profile["\(key)_file"]?.description {
            let expanded = ChorusPaths.expand(path, home: environment["HOME"] ?? "")
            let source = "file \(expanded) (\(key)_file in \(profileLabel))"
            guard let data = FileManager.default.contents(atPath: expanded) else {
                return ResolvedCredential(
                    source: source + ": unreadable",
                    problem: "cannot read \(key)_file \(expanded) (set in \(section))")
            }
            // Secret files usually end with a newline that is not part of the secret.
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            guard !text.isEmpty else {
                return ResolvedCredential(
                    source: source + ": empty", problem: "\(key)_file \(expanded) (set in \(section)) is empty")
            }
            return ResolvedCredential(value: text, source: source)
        }
        if let name = profile["\(key)_env"]?.description {
            let source = "env \(name) (\(key)_env in \(profileLabel))"
            guard let value = environment[name] else {
                return ResolvedCredential(
                    source: source + ": not set",
                    problem: "\(key)_env in \(section) names the variable \(name), which is not set")
            }
            return ResolvedCredential(value: value, source: source)
        }
        return ResolvedCredential(source: "not set")
    }

    /// A URL from its variable or the profile, for the custom environment.
    func url(
        _ key: String, variable: String, profile: [String: ConfigFile.Value], profileLabel: String
    ) throws(ChorusError) -> (url: URL, source: String) {
        let (text, source): (String, String)
        if let value = environment[variable] {
            (text, source) = (value, "env \(variable)")
        } else if let value = profile[key]?.description {
            (text, source) = (value, profileLabel)
        } else {
            throw ChorusError(
                code: .config, message: "the custom environment needs \(variable) (or \(key) in the profile)")
        }
        guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
            throw ChorusError(
                code: .config,
                message: "\(variable == "CHORUS_OAUTH_URL" ? "the token URL" : "the API URL") "
                    + "'\(text)' from \(source) is not an absolute URL")
        }
        return (url, source)
    }

    /// A numeric setting of the profile, positive and at most `maximum`.
    func number(
        _ key: String, profile: [String: ConfigFile.Value], default value: Double?, maximum: Double, label: String,
        entries: inout [ResolvedSettings.Entry]
    ) throws(ChorusError) -> Double? {
        switch profile[key] {
        case nil:
            entries.append(
                .init(
                    key: key, value: value.map { ConfigFile.Value.number($0).description },
                    source: "default", isSecret: false))
            return value
        case .number(let d)? where d > 0 && d <= maximum:
            entries.append(
                .init(key: key, value: ConfigFile.Value.number(d).description, source: label, isSecret: false))
            return d
        default:
            throw ChorusError(
                code: .config, message: "\(key) in \(label) must be a positive number, at most \(ConfigFile.Value.number(maximum))")
        }
    }
}
