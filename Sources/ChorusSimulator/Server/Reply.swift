import Foundation
import JSONValue

/// A response before it becomes an HTTP response: what handlers return and what they throw.
struct Reply: Error, Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    /// A JSON body.
    static func json(_ value: JSONValue, status: Int = 200) -> Reply {
        Reply(
            status: status, headers: [("Content-Type", "application/json;charset=utf-8")],
            body: value.serializedBytes())
    }

    /// A Chorus business error or validation failure: `{codeRetour, libelle}`.
    static func business(_ codeRetour: Int64, _ libelle: String, status: Int = 400) -> Reply {
        json(["codeRetour": .integer(codeRetour), "libelle": .string(libelle)], status: status)
    }

    /// The request is not valid for this operation (HTTP 400, the platform's validation error).
    static func invalid(_ libelle: String) -> Reply {
        business(20001, libelle)
    }

    /// The gateway's 404 for a path it does not expose.
    static let notFound = Reply(
        status: 404, headers: [("Content-Type", "text/plain;charset=utf-8")], body: Array("API non trouvée".utf8))

    /// The gateway's 401 with its `WWW-Authenticate` challenge, and the Swagger's description of a 401 as
    /// a plain-text body.
    static func unauthorized(error: String, description: String) -> Reply {
        Reply(
            status: 401,
            headers: [
                (
                    "WWW-Authenticate",
                    "Bearer realm=\"PISTE\",error=\"\(error)\",error_description=\"\(description)\""
                ),
                ("Content-Type", "text/plain;charset=utf-8"),
            ],
            body: Array("Problème d'authentification".utf8))
    }

    /// The gateway's 415 for a body that is not JSON, with the Swagger's description as its text.
    static let unsupportedMediaType = Reply(
        status: 415, headers: [("Content-Type", "text/plain;charset=utf-8")],
        body: Array("Format de la requête non supporté".utf8))

    /// The platform's 500 (`Erreur interne du serveur`).
    static let internalError = Reply(
        status: 500, headers: [("Content-Type", "application/json;charset=utf-8")],
        body: Array(#"{"codeRetour":500,"libelle":"Erreur interne du serveur"}"#.utf8))

    /// The gateway's 403 for an API the application did not subscribe (empty body, as observed).
    static let forbidden = Reply(status: 403)

    /// An OAuth2 error of the token endpoint.
    static func oauthError(_ error: String, _ description: String, status: Int = 400) -> Reply {
        json(["error": .string(error), "error_description": .string(description)], status: status)
    }
}
