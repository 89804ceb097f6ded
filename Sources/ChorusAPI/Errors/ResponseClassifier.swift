import Foundation
import JSONValue

/// Turns an API response into a JSON result or a classified error.
enum ResponseClassifier {
    static func classify(
        _ response: HTTPResponse, operation: ChorusOperation, environment: String
    ) -> Result<JSONValue, ChorusError> {
        let correlation = response.headers[header: "x-correlationid"] ?? response.headers[header: "x-correlation-id"]
        // The bytes are parsed as they are (JSON allows whitespace around the value); only a body that
        // is not JSON is read as text, to tell a blank one (whitespace of any kind) from the rest.
        let json = response.body.isEmpty ? nil : try? JSONValue.parse(response.body)
        let blank = json == nil && response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let codeRetour = json?["codeRetour"]?.integerValue.map(Int.init)
        let libelle = json?["libelle"]?.stringValue
        func error(
            _ code: ChorusError.Code, _ message: String, remediation: String?, retryable: Bool? = nil,
            libelle overrideLibelle: String? = nil
        ) -> Result<JSONValue, ChorusError> {
            .failure(
                ChorusError(
                    code: code, message: message, status: response.status, codeRetour: codeRetour,
                    libelle: overrideLibelle ?? libelle, operation: operation.qualifiedName,
                    retryable: retryable.map { $0 && !operation.isWrite }, remediation: remediation,
                    correlationId: correlation, wwwAuthenticate: response.headers[header: "WWW-Authenticate"],
                    environment: environment))
        }
        switch response.status {
        case 200..<300:
            guard !blank else { return .success(.null) }
            guard let json else {
                return error(
                    .environment,
                    "the API answered HTTP \(response.status) with a body that is not JSON"
                        + contentTypeNote(response), remediation: Remediation.notJSON)
            }
            if let codeRetour, codeRetour != 0 { return business(response, operation, environment, json, correlation) }
            return .success(ResponseNormalizer.normalize(json))
        case 400:
            if json != nil, codeRetour != nil || libelle != nil {
                return business(response, operation, environment, json!, correlation)
            }
            let detail = json.flatMap(gatewayMessage) ?? (blank ? "an empty body" : "a body that is not JSON")
            return error(
                .business, "the API refused the request as malformed (HTTP 400): \(detail)",
                remediation: Remediation.business, libelle: json.flatMap(gatewayMessage))
        case 401:
            return error(
                .authAccount, "the technical account was refused (HTTP 401)",
                remediation: Remediation.technicalAccount)
        case 403:
            return error(
                .notSubscribed,
                "access denied to \(operation.fullPath) (HTTP 403): the application is not allowed on the "
                    + "\(operation.subscription) API",
                remediation: Remediation.notSubscribed(api: operation.subscription))
        case 404:
            return error(
                .environment, "the API host does not know \(operation.fullPath) (HTTP 404)",
                remediation: Remediation.notFound)
        case 408, 504:
            return error(.timeout, "the gateway timed out (HTTP \(response.status))", remediation: Remediation.timeout)
        case 413:
            return error(.business, "the payload is too large (HTTP 413)", remediation: Remediation.tooLarge)
        case 415:
            return error(
                .environment, "the gateway refused the Content-Type (HTTP 415)",
                remediation: Remediation.unsupportedMediaType)
        case 429:
            return error(.rateLimited, "too many requests (HTTP 429)", remediation: Remediation.rateLimited)
        default:
            let what = json == nil && !blank ? " with a body that is not JSON" : ""
            return error(
                .server, "the server failed (HTTP \(response.status))\(what)", remediation: Remediation.server,
                retryable: response.status >= 500)
        }
    }

    /// `codeRetour` ≠ 0, under HTTP 200 or 400.
    static func business(
        _ response: HTTPResponse, _ operation: ChorusOperation, _ environment: String, _ json: JSONValue,
        _ correlation: String?
    ) -> Result<JSONValue, ChorusError> {
        let codeRetour = json["codeRetour"]?.integerValue.map(Int.init)
        let libelle = json["libelle"]?.stringValue
        let meaning = ReturnCodes.meaning(operationId: operation.operationId, codeRetour: codeRetour, libelle: libelle)
        var message = "Chorus Pro refused the request"
        if let libelle { message += ": \(libelle)" }
        if let meaning { message += " (\(meaning.meaning))" }
        let structure = meaning?.isStructureUnknown ?? false
        var remediation = structure ? Remediation.structureUnknown : Remediation.business
        if operation.operationId == "traiterUneFactureRecue", let libelle, let from = refusedTransitionSource(libelle) {
            remediation = Remediation.refusedStatusChange(from: from)
        }
        return .failure(
            ChorusError(
                code: structure ? .structure : .business, message: message, status: response.status,
                codeRetour: codeRetour, libelle: libelle, operation: operation.qualifiedName, retryable: false,
                remediation: remediation,
                correlationId: correlation, environment: environment))
    }

    /// The current status named by a refused status change ("... du statut MANDATEE au statut REJETEE n'est
    /// pas autorisé"). The wording is the simulator's; the platform's exact text is not public, so any
    /// libelle naming a known status after "du statut" is read the same way.
    static func refusedTransitionSource(_ libelle: String) -> String? {
        guard let range = libelle.range(of: "du statut ") else { return nil }
        let status = libelle[range.upperBound...].prefix { $0.isLetter || $0 == "_" }
        return Vocabulary.invoiceStatuses.contains(String(status)) ? String(status) : nil
    }

    /// The message of a gateway-style JSON error (`error`, `message`, `Description`...).
    static func gatewayMessage(_ json: JSONValue) -> String? {
        for key in ["error_description", "message", "Description", "error", "libelle"] {
            if let text = json[key]?.stringValue, !text.isEmpty { return text }
        }
        return nil
    }

    static func contentTypeNote(_ response: HTTPResponse) -> String {
        response.headers[header: "Content-Type"].map { " (\($0))" } ?? ""
    }
}
