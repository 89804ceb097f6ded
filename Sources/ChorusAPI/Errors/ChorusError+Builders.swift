import Foundation
import JSONValue

extension ChorusError {
    /// A credential is missing; names the environment variable and the profile key that would provide it.
    public static func missingCredential(
        _ what: String, variable: String, profileKey: String, profile: String?, configPath: String?
    ) -> ChorusError {
        missingCredentials([(what, variable, profileKey)], profile: profile, configPath: configPath)
    }

    /// Several credentials are missing (e.g. both halves of a pair); names them all at once, each with
    /// its environment variable and profile key, so one edit fixes the configuration.
    public static func missingCredentials(
        _ fields: [(what: String, variable: String, profileKey: String)], profile: String?, configPath: String?
    ) -> ChorusError {
        func list(_ items: [String]) -> String {
            items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
        var advice = "set \(list(fields.map(\.variable)))"
        if let profile {
            let keys = fields.map { "\($0.profileKey) (or \($0.profileKey)_file / \($0.profileKey)_env)" }
            advice += ", or \(list(keys)) in [profiles.\(profile)]"
            if let configPath { advice += " of \(configPath)" }
        } else {
            advice += ", or \(list(fields.map(\.profileKey))) in a profile (see `chorus config init`)"
        }
        return ChorusError(code: .config, message: "missing \(list(fields.map(\.what))): \(advice)")
    }

    /// A JSON argument or file that does not parse.
    public static func invalidJSON(_ error: JSONParseError, source: String) -> ChorusError {
        ChorusError(
            code: .config,
            message: "\(source) is not valid JSON: line \(error.line), column \(error.column): \(error.reason)")
    }

    /// No HTTP response at all.
    /// - Parameters:
    ///   - port: the port that was tried, for "nothing listens on HOST:PORT".
    ///   - attempts: how many times the request was tried; named in the message when more than one.
    public static func transport(
        _ failure: TransportFailure, host: String, port: Int? = nil, attempts: Int = 1, operation: String?,
        environment: String?
    ) -> ChorusError {
        let endpoint = port.map { "\(host):\($0)" } ?? host
        let (code, message, remediation): (Code, String, String)
        switch failure.kind {
        case .dnsFailure:
            (code, message, remediation) = (.network, "cannot resolve host \(host)", Remediation.dns)
        case .tlsFailure:
            (code, message, remediation) = (.network, "TLS handshake with \(host) failed", Remediation.tls)
        case .connectTimeout:
            (code, message, remediation) = (.timeout, "connecting to \(host) timed out", Remediation.timeout)
        case .readTimeout:
            (code, message, remediation) = (.timeout, "\(host) did not answer in time", Remediation.timeout)
        case .connectionRefused where failure.detail == "connection refused":
            (code, message, remediation) = (
                .network, "nothing listens on \(endpoint) (connection refused)", Remediation.connection
            )
        case .connectionRefused:
            (code, message, remediation) = (
                .network, "cannot connect to \(endpoint): \(failure.detail)", Remediation.connection
            )
        case .connectionFailed:
            (code, message, remediation) = (
                .network, "the connection to \(host) dropped: \(failure.detail)",
                Remediation.connectionDropped
            )
        case .cancelled:
            (code, message, remediation) = (.cancelled, "the request to \(host) was cancelled", "")
        case .other:
            (code, message, remediation) = (
                .network, "request to \(host) failed: \(failure.detail)",
                Remediation.connection
            )
        }
        return ChorusError(
            code: code, message: attempts > 1 ? "\(message), \(attempts) attempts" : message, operation: operation,
            remediation: remediation.isEmpty ? nil : remediation, environment: environment)
    }

    /// A write that may have been processed although its answer never came back (docs/errors.md, UNCERTAIN).
    ///
    /// - Parameter cause: what happened, in a few words ("no answer in time", "the connection dropped").
    public static func uncertainWrite(
        operation: String, host: String, cause: String, status: Int? = nil, correlationId: String? = nil,
        environment: String?
    ) -> ChorusError {
        ChorusError(
            code: .uncertain,
            message: "\(operation) may have been processed by \(host) but its answer was lost (\(cause))",
            status: status, operation: operation, retryable: false, remediation: Remediation.uncertain,
            correlationId: correlationId, environment: environment)
    }

    /// Whether a business error means "nothing found" (scripts turn it into `nil`).
    public var isNoResult: Bool {
        guard code == .business else { return false }
        return ReturnCodes.meaning(operationId: operationId, codeRetour: codeRetour, libelle: libelle)?.isNoResult
            ?? false
    }

    private var operationId: String? { operation?.split(separator: ".").last.map(String.init) }
}
