import Foundation

/// The four environments (docs/configuration.md).
public enum EnvironmentName: String, Sendable, CaseIterable {
    /// The offline simulator, started in-process on a loopback port.
    case sim
    /// PISTE sandbox = Chorus Pro qualification.
    case sandbox
    /// PISTE production. Never implied: it must be named.
    case prod
    /// Explicit URLs (a test server, a proxy).
    case custom

    /// Parses `sim|sandbox|prod|custom`, also accepting the portal words `qualif` and `production`.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "sim", "simulator": self = .sim
        case "sandbox", "qualif", "qualification": self = .sandbox
        case "prod", "production": self = .prod
        case "custom": self = .custom
        default: return nil
        }
    }
}

/// The two URLs the client needs.
public struct Endpoints: Sendable, Equatable {
    /// The full OAuth2 token URL, e.g. `https://sandbox-oauth.piste.gouv.fr/api/oauth/token`.
    public var tokenURL: URL
    /// The API host, e.g. `https://sandbox-api.piste.gouv.fr`; operation paths are `/cpro/...` below it.
    public var apiBaseURL: URL

    /// Creates a value from its fields.
    public init(tokenURL: URL, apiBaseURL: URL) {
        self.tokenURL = tokenURL
        self.apiBaseURL = apiBaseURL
    }

    /// The PISTE sandbox (Chorus Pro qualification).
    public static let sandbox = Endpoints(
        tokenURL: URL(string: "https://sandbox-oauth.piste.gouv.fr/api/oauth/token")!,
        apiBaseURL: URL(string: "https://sandbox-api.piste.gouv.fr")!)

    /// PISTE production.
    public static let prod = Endpoints(
        tokenURL: URL(string: "https://oauth.piste.gouv.fr/api/oauth/token")!,
        apiBaseURL: URL(string: "https://api.piste.gouv.fr")!)

    /// The URL of an operation path (e.g. `/cpro/factures/v1/deposer/flux`) on the API host.
    public func url(forPath path: String) -> URL {
        var base = apiBaseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + path)!
    }
}

/// The environment a client talks to, as shown to users (never holds secrets).
public struct ChorusEnvironment: Sendable, Equatable, CustomStringConvertible {
    /// `sim`, `sandbox`, `prod` or `custom`.
    public var name: EnvironmentName
    /// Token URL and API host.
    public var endpoints: Endpoints
    /// The profile the settings came from, if any.
    public var profileName: String?
    /// Non-fatal findings of the guardrails (e.g. a retired host), to print once.
    public var warnings: [String]

    /// Creates a value from its fields.
    public init(name: EnvironmentName, endpoints: Endpoints, profileName: String? = nil, warnings: [String] = []) {
        self.name = name
        self.endpoints = endpoints
        self.profileName = profileName
        self.warnings = warnings
    }

    /// `sandbox (profile qualif): https://sandbox-oauth... + https://sandbox-api...`
    public var description: String {
        var text = name.rawValue
        if let profileName { text += " (profile \(profileName))" }
        return text + ": \(endpoints.tokenURL.absoluteString) + \(endpoints.apiBaseURL.absoluteString)"
    }
}
