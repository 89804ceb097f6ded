import Foundation

/// The PISTE application credentials (OAuth2 client id and secret). Printing one never shows the secret.
public struct ApplicationCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The Client ID (a UUID on PISTE); not secret, used in cache keys and messages.
    public var clientId: String
    /// The secret key.
    public var clientSecret: String

    /// Creates a value from its fields.
    public init(clientId: String, clientSecret: String) {
        self.clientId = clientId
        self.clientSecret = clientSecret
    }

    public var description: String { "ApplicationCredentials(clientId: \(clientId), clientSecret: <redacted>)" }
    public var debugDescription: String { description }
}

/// The Chorus Pro technical account (compte technique) sent in `cpro-account`. Printing one never
/// shows the password.
public struct TechnicalAccount: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The login, `TECH_<n>_<SIRET>@cpro.fr`.
    public var login: String
    /// The password (rotates every 424 days).
    public var password: String

    /// Creates a value from its fields.
    public init(login: String, password: String) {
        self.login = login
        self.password = password
    }

    /// The `cpro-account` header value: base64 of the UTF-8 bytes of `login:password`.
    /// It is reversible, so it is treated as a secret everywhere.
    public var headerValue: String { Data("\(login):\(password)".utf8).base64EncodedString() }

    public var description: String { "TechnicalAccount(login: \(login), password: <redacted>)" }
    public var debugDescription: String { description }
}
