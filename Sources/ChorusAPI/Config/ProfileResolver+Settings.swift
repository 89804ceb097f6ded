import Foundation

extension ProfileResolver {
    /// The settings beside the environment and the credentials.
    struct OtherSettings {
        var appName: String?
        var siret: String?
        var timeout: Double
        var limits: TrafficLimits
        var allowWrites: Bool
    }

    /// `app_name`, `siret` (or `CHORUS_SIRET`), `timeout`, `rate_limit`, `max_concurrency`, `allow_writes`.
    func resolveOtherSettings(
        profile: Profile, entries: inout [ResolvedSettings.Entry]
    ) throws(ChorusError) -> OtherSettings {
        let label = profile.label
        let appName = profile.values["app_name"]?.description
        let siretFromEnvironment = environment["CHORUS_SIRET"]
        let siret = siretFromEnvironment ?? profile.values["siret"]?.description
        entries.append(.init(key: "app_name", value: appName, source: appName == nil ? "default" : label, isSecret: false))
        entries.append(
            .init(
                key: "siret", value: siret,
                source: siretFromEnvironment != nil ? "env CHORUS_SIRET" : (siret == nil ? "default" : label),
                isSecret: false))
        // Bounds keep every value convertible and sensible: a day of timeout, 1000 requests/s, 256 at once.
        let timeout = try number(
            "timeout", profile: profile.values, default: 60, maximum: 86_400, label: label, entries: &entries)
        let rate = try number(
            "rate_limit", profile: profile.values, default: nil, maximum: 1000, label: label, entries: &entries)
        let concurrency = try number(
            "max_concurrency", profile: profile.values, default: 8, maximum: 256, label: label, entries: &entries)
        let allowWrites: Bool
        switch profile.values["allow_writes"] {
        case .bool(let b)?: allowWrites = b
        case nil: allowWrites = false
        default:
            throw ChorusError(
                code: .config, message: "allow_writes in [profiles.\(profile.name ?? "")] must be true or false")
        }
        entries.append(
            .init(
                key: "allow_writes", value: String(allowWrites),
                source: profile.values["allow_writes"] == nil ? "default" : label, isSecret: false))
        return OtherSettings(
            appName: appName, siret: siret, timeout: timeout ?? 60,
            limits: TrafficLimits(requestsPerSecond: rate, maxConcurrentRequests: Int(concurrency ?? 8)),
            allowWrites: allowWrites)
    }
}
