import Foundation
import JSONValue

extension Gateway {
    /// `POST /api/oauth/token`: the OAuth2 client-credentials grant of PISTE. A wrong client id and a
    /// wrong secret get the same 400 `invalid_client`, as on PISTE.
    func token(method: String, contentType: String?, authorization: String?, body: [UInt8]) async -> Outcome {
        guard method == "POST" else {
            return Outcome(reply: .oauthError("invalid_request", "the token endpoint accepts POST only", status: 405))
        }
        let decision = store.drawFaults(for: nil)
        if decision.latencyMs > 0 { try? await Task.sleep(nanoseconds: UInt64(decision.latencyMs) * 1_000_000) }
        if let error = decision.error { return Outcome(reply: error, operation: "token", note: "injected fault") }
        guard (contentType ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            return Outcome(
                reply: .oauthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded"),
                operation: "token", note: "content type \(contentType ?? "none")")
        }
        let form = Self.parseForm(String(decoding: body, as: UTF8.self))
        var clientId = form["client_id"]
        var clientSecret = form["client_secret"]
        // RFC 6749 also allows the client to authenticate with HTTP Basic.
        if clientId == nil, let authorization, authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        {
            clientId = String(text[..<colon]).removingPercentEncoding
            clientSecret = String(text[text.index(after: colon)...]).removingPercentEncoding
        }
        guard let grant = form["grant_type"] else {
            return Outcome(reply: .oauthError("invalid_request", "grant_type is missing"), operation: "token")
        }
        guard grant == "client_credentials" else {
            return Outcome(
                reply: .oauthError("unsupported_grant_type", "grant_type \(grant) is not supported"), operation: "token"
            )
        }
        let scope = form["scope"].flatMap { $0.isEmpty ? nil : $0 } ?? "openid"
        let issued: (token: String, ttl: Int)? = store.write { state, now in
            guard let clientId, let clientSecret,
                let application = state.applications.first(where: { $0.clientId == clientId }),
                application.clientSecret == clientSecret
            else { return nil }
            let token = Self.newToken()
            // Forget expired tokens so the state does not grow without bound.
            state.tokens.removeAll { $0.expiresAt <= now }
            state.tokens[token] = IssuedToken(
                clientId: clientId, expiresAt: now.addingTimeInterval(TimeInterval(state.settings.tokenTTL)))
            return (token, state.settings.tokenTTL)
        }
        guard let issued else {
            return Outcome(
                reply: .oauthError("invalid_client", "Client authentication failed"), operation: "token",
                note: "unknown client id or wrong secret")
        }
        let body: JSONValue = [
            "access_token": .string(issued.token), "token_type": "Bearer", "expires_in": .integer(Int64(issued.ttl)),
            "scope": .string(scope),
        ]
        return Outcome(reply: .json(body), reset: decision.reset, operation: "token", login: clientId)
    }

    /// A 54-character opaque token, the length PISTE tokens have been seen with.
    static func newToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<54).map { _ in alphabet.randomElement()! })
    }

    /// Decodes `application/x-www-form-urlencoded` (`+` is a space).
    static func parseForm(_ text: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            guard let key = parts.first else { continue }
            form[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return form
    }
}
