import Foundation
import JSONValue

/// A PISTE access token and what PISTE said about it.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible {
    /// The bearer value (secret).
    public var value: String
    /// `Bearer`.
    public var tokenType: String
    /// Granted scope, e.g. `openid`.
    public var scope: String?
    /// When the token was issued (by our clock).
    public var issuedAt: Date
    /// When PISTE says it expires.
    public var expiresAt: Date

    /// Creates a value from its fields.
    public init(value: String, tokenType: String, scope: String?, issuedAt: Date, expiresAt: Date) {
        self.value = value
        self.tokenType = tokenType
        self.scope = scope
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// Whether the token is still usable at `now`, keeping `margin` seconds in reserve so a request
    /// never leaves with a token that expires on the way.
    public func isValid(at now: Date, margin: Double) -> Bool {
        now.addingTimeInterval(margin) < expiresAt
    }

    public var description: String {
        "AccessToken(<redacted>, type: \(tokenType), scope: \(scope ?? "-"), expires: \(expiresAt))"
    }

    /// Parses a token endpoint answer, or explains why it is not one.
    static func parse(_ response: HTTPResponse, issuedAt: Date, host: String) throws(ChorusError) -> AccessToken {
        let body = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        func notToken(_ what: String) -> ChorusError {
            ChorusError(
                code: .environment, message: "the token endpoint \(host) answered \(what)",
                status: response.status, operation: "token", retryable: false,
                remediation: Remediation.notATokenEndpoint,
                correlationId: response.headers[header: "x-correlationid"])
        }
        if body.isEmpty { throw notToken("HTTP \(response.status) with an empty body") }
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch {
            let kind = body.hasPrefix("<") ? "an HTML page" : "a body that is not JSON"
            let type = response.headers[header: "Content-Type"].map { " (\($0))" } ?? ""
            throw notToken("HTTP \(response.status) with \(kind)\(type)")
        }
        guard case .object = json else { throw notToken("HTTP \(response.status) with JSON that is not an object") }
        guard let value = json["access_token"]?.stringValue, !value.isEmpty else {
            throw notToken("HTTP \(response.status) with JSON that has no access_token")
        }
        let tokenType = json["token_type"]?.stringValue ?? "Bearer"
        // PISTE sends 3600; when the field is missing, assume a short life rather than a long one.
        let lifetime = json["expires_in"]?.integerValue.map(Double.init) ?? 300
        return AccessToken(
            value: value, tokenType: tokenType, scope: json["scope"]?.stringValue,
            issuedAt: issuedAt, expiresAt: issuedAt.addingTimeInterval(max(0, lifetime)))
    }
}

/// What `chorus token` and `chorus.token()` show: never the token itself unless asked.
public struct TokenInfo: Sendable, Equatable {
    /// Environment name.
    public var environment: String
    /// Client ID the token was issued to.
    public var clientId: String
    /// Granted scope.
    public var scope: String?
    /// Token type (`Bearer`).
    public var tokenType: String
    /// Expiry time.
    public var expiresAt: Date
    /// Seconds left at the time of the call.
    public var expiresIn: Int
    /// Whether it came from the memory or disk cache rather than a new request.
    public var fromCache: Bool
    /// The token itself: only filled when explicitly requested.
    public var token: String?
}
