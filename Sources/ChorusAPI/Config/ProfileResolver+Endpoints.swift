import Foundation

extension ProfileResolver {
    /// The token URL and API host of `envName` (nil for `sim`, whose loopback URLs are chosen when the
    /// simulator starts). Profile URLs are accepted only with `custom`.
    func resolveEndpoints(
        _ envName: EnvironmentName, profile: Profile, entries: inout [ResolvedSettings.Entry]
    ) throws(ChorusError) -> Endpoints? {
        func record(_ key: String, _ value: String, _ source: String) {
            entries.append(.init(key: key, value: value, source: source, isSecret: false))
        }
        switch envName {
        case .sandbox, .prod:
            if profile.values["oauth_url"] != nil || profile.values["api_url"] != nil {
                throw ChorusError(
                    code: .config,
                    message: "oauth_url and api_url in [profiles.\(profile.name ?? "")] are only "
                        + "used with env = \"custom\"; remove them or set env = \"custom\"")
            }
            let endpoints: Endpoints = envName == .prod ? .prod : .sandbox
            record("oauth_url", endpoints.tokenURL.absoluteString, "env \(envName.rawValue)")
            record("api_url", endpoints.apiBaseURL.absoluteString, "env \(envName.rawValue)")
            return endpoints
        case .custom:
            let oauth = try url("oauth_url", variable: "CHORUS_OAUTH_URL", profile: profile.values, profileLabel: profile.label)
            let api = try url("api_url", variable: "CHORUS_API_URL", profile: profile.values, profileLabel: profile.label)
            record("oauth_url", oauth.url.absoluteString, oauth.source)
            record("api_url", api.url.absoluteString, api.source)
            return Endpoints(tokenURL: oauth.url, apiBaseURL: api.url)
        case .sim:
            record("oauth_url", "(loopback, chosen when the simulator starts)", "simulator")
            record("api_url", "(loopback, chosen when the simulator starts)", "simulator")
            return nil
        }
    }
}
