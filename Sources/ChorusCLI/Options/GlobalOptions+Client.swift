import ArgumentParser
import ChorusAPI
import Foundation
import JSONValue

extension GlobalOptions {
    /// Settings from flags, environment variables and the profile.
    func resolveSettings() throws(ChorusError) -> ResolvedSettings {
        try ProfileResolver(flags: .init(profile: profile, env: env, config: config), environment: processEnvironment)
            .resolve()
    }

    /// A client for the resolved environment, announced on stderr (the active environment is always shown).
    func makeClient() async throws(ChorusError) -> ChorusClient {
        let settings = try resolveSettings()
        let configuration = try await settings.clientConfiguration(simulator: ProcessSimulator.launcher)
        for warning in configuration.environment.warnings { printError("chorus: warning: \(warning)") }
        if !quiet { printError("chorus: environment \(configuration.environment)") }
        // The process-wide transport needs no shutdown, so no command (or script) can crash by
        // forgetting one; each request still carries the configured timeout.
        return ChorusClient(configuration: configuration, transport: AsyncHTTPClientTransport.shared, logger: logger("chorus.api"))
    }

    /// Runs `body`, turning a `ChorusError` into its explanation on stderr and its exit code.
    func run(_ body: () async throws(ChorusError) -> Void) async throws {
        do {
            try await body()
        } catch {
            if json {
                printError(Self.errorJSON(error))
            } else {
                printError("chorus: " + error.report.replacingOccurrences(of: "\n", with: "\n       "))
            }
            throw ExitCode(error.exitCode)
        }
    }

    /// The error as one JSON object, the same fields the Lua layer exposes.
    static func errorJSON(_ error: ChorusError) -> String {
        var members: [String: JSONValue] = [
            "code": .string(error.code.rawValue), "message": .string(error.message),
            "exit_code": .integer(Int64(error.exitCode)),
            "retryable": .bool(error.retryable),
        ]
        if let status = error.status { members["status"] = .integer(Int64(status)) }
        if let codeRetour = error.codeRetour { members["codeRetour"] = .integer(Int64(codeRetour)) }
        if let libelle = error.libelle { members["libelle"] = .string(libelle) }
        if let operation = error.operation { members["operation"] = .string(operation) }
        if let remediation = error.remediation { members["remediation"] = .string(remediation) }
        if let correlation = error.correlationId { members["correlationId"] = .string(correlation) }
        if let environment = error.environment { members["environment"] = .string(environment) }
        if let flux = error.fluxNumber { members["numeroFluxDepot"] = .string(flux) }
        return JSONValue.object(["error": .object(members)]).serialized()
    }
}

/// Writes a line to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether stdout is a terminal (pretty output by default).
var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
