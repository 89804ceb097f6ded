import Foundation
import JSONValue

/// Removes secrets and file contents from what is logged or shown.
///
/// Two layers: structural (known header names and JSON keys are always masked) and textual (every
/// known secret value, and its `cpro-account` base64 form, is replaced wherever it appears), so a
/// server that echoes a credential in an error message cannot leak it either.
public struct Redactor: Sendable {
    /// Header names whose values are secret.
    public static let secretHeaders: Set<String> = [
        "authorization", "cpro-account", "cookie", "set-cookie",
        "proxy-authorization",
    ]
    /// JSON keys whose values are secrets.
    public static let secretKeys: Set<String> = [
        "client_secret", "access_token", "refresh_token", "id_token",
        "password", "tech_password", "motDePasse",
    ]
    /// JSON keys whose values are base64 file contents: logged as their size only.
    public static let fileKeys: Set<String> = [
        "fichierFlux", "fichierFacture", "pieceJointeFichier", "fichierResultat",
        "fichierCR", "pieceJointe", "contenuFichier", "fichier",
    ]

    private let secrets: [String]

    /// A redactor that also masks each value of `secrets` (empty strings and very short ones are ignored,
    /// since masking "a" everywhere would make logs unreadable without protecting anything).
    public init(secrets: [String] = []) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// This redactor, also masking `more` (the bearer token the client obtained, which no
    /// configuration knows but a server may echo in an error body or `WWW-Authenticate`).
    public func adding(_ more: [String]) -> Redactor {
        Redactor(secrets: secrets + more)
    }

    /// `text` with every known secret replaced by `<redacted>`.
    public func scrub(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return text
    }

    /// Headers as `name: value` lines with secret values masked.
    public func headers(_ headers: [HTTPHeader]) -> String {
        headers.map { header in
            let secret = Self.secretHeaders.contains(header.name.lowercased())
            let value = secret ? (header.value.hasPrefix("Bearer ") ? "Bearer <redacted>" : "<redacted>") : header.value
            return "\(header.name): \(scrub(value))"
        }.joined(separator: ", ")
    }

    /// A JSON body with secrets masked and file contents replaced by their size.
    public func json(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                if Self.secretKeys.contains(key) {
                    result[key] = "<redacted>"
                } else if Self.fileKeys.contains(key), case .string(let content) = member {
                    result[key] = .string("<\(content.utf8.count) bytes of base64>")
                } else {
                    result[key] = json(member)
                }
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(json))
        case .string(let text):
            return .string(scrub(text))
        default:
            return value
        }
    }

    /// A body for a trace log: redacted JSON, or a note on its size when it is not JSON.
    public func body(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "<empty>" }
        if let json = try? JSONValue.parse(bytes) { return scrub(self.json(json).serialized()) }
        return "<\(bytes.count) bytes, not JSON>"
    }
}
