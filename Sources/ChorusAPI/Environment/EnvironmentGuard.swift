import Foundation

/// The environment guardrails (docs/configuration.md), checked before any request leaves: one environment per pair of
/// URLs, plain HTTP only on loopback, production never reached by accident.
public enum EnvironmentGuard {
    /// Which PISTE environment a host belongs to, if it is a PISTE host.
    enum Family: String { case sandbox, prod }

    static func family(ofHost host: String) -> (family: Family?, retired: Bool) {
        let host = host.lowercased()
        let retired = host.hasSuffix(".aife.economie.gouv.fr") || host == "aife.economie.gouv.fr"
        let piste = host.hasSuffix(".piste.gouv.fr")
        guard retired || piste else { return (nil, false) }
        let first = host.split(separator: ".").first.map(String.init) ?? ""
        switch first {
        case "sandbox-oauth", "sandbox-api": return (.sandbox, retired)
        case "oauth", "api": return (.prod, retired)
        default: return (nil, retired)
        }
    }

    /// Whether `host` is a loopback name or address, where plain `http://` is acceptable.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host.hasPrefix("127.")
    }

    /// Checks `endpoints` for environment `name`; returns warnings, throws when the pair must be refused.
    /// - Parameter appName: the PISTE application name of the profile, if known (for the SANDBOX check).
    public static func validate(
        name: EnvironmentName, endpoints: Endpoints, appName: String?
    ) throws(ChorusError) -> [String] {
        var warnings: [String] = []
        var families: [(label: String, host: String, family: Family?)] = []
        for (label, url) in [("token URL", endpoints.tokenURL), ("API URL", endpoints.apiBaseURL)] {
            guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
                throw ChorusError(
                    code: .config, message: "the \(label) '\(url.absoluteString)' is not an absolute URL",
                    environment: name.rawValue)
            }
            switch scheme {
            case "https": break
            case "http" where isLoopback(host): break
            case "http":
                throw ChorusError(
                    code: .config,
                    message:
                        "the \(label) \(url.absoluteString) uses plain http:// on a non-loopback host; use https://",
                    remediation: "Plain HTTP would send the client secret and the technical account in clear text. "
                        + "It is allowed only for 127.0.0.1, ::1 and localhost (a local test server).",
                    environment: name.rawValue)
            default:
                throw ChorusError(
                    code: .config, message: "the \(label) \(url.absoluteString) must start with https://",
                    environment: name.rawValue)
            }
            let (family, retired) = family(ofHost: host)
            if retired {
                let modern = host.lowercased().replacingOccurrences(of: "aife.economie.gouv.fr", with: "piste.gouv.fr")
                warnings.append(
                    "\(host) is a retired PISTE host name (*.aife.economie.gouv.fr, decommissioned in "
                        + "2023 without redirection); use \(modern)")
            }
            families.append((label, host, family))
        }
        let known = families.compactMap { entry in entry.family.map { (entry.label, entry.host, $0) } }
        if known.count == 2, known[0].2 != known[1].2 {
            throw ChorusError(
                code: .environment,
                message: "the token URL host \(known[0].1) is a \(known[0].2.rawValue) host but the API host "
                    + "\(known[1].1) is a \(known[1].2.rawValue) host; both must belong to one environment",
                remediation:
                    "A token of one PISTE environment is refused by the other. Use --env sandbox or --env prod "
                    + "instead of mixing CHORUS_OAUTH_URL / CHORUS_API_URL.",
                environment: name.rawValue)
        }
        for (label, host, family) in known {
            switch (name, family) {
            case (.sandbox, .prod), (.prod, .sandbox):
                throw ChorusError(
                    code: .environment,
                    message: "environment \(name.rawValue) cannot use the \(label) \(host), a \(family.rawValue) host",
                    environment: name.rawValue)
            case (.custom, .prod), (.sim, .prod):
                throw ChorusError(
                    code: .config,
                    message:
                        "the \(label) \(host) is a production PISTE host; production must be named with --env prod "
                        + "(or env = \"prod\" in the profile)",
                    environment: name.rawValue)
            default: break
            }
        }
        let reachesProd = name == .prod || known.contains { $0.2 == .prod }
        if reachesProd, let appName, appName.uppercased().hasPrefix("APP_SANDBOX_") {
            throw ChorusError(
                code: .config,
                message: "the application \(appName) is a PISTE SANDBOX application; it cannot be used in production",
                remediation: "On piste.gouv.fr, « Créer une application » for production, accept the Production CGU of "
                    + "the Chorus Pro APIs, declare the raccordement on chorus-pro.gouv.fr, and put the new client id, "
                    + "secret and app_name in a prod profile.",
                environment: name.rawValue)
        }
        return warnings
    }
}
