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
    /// - Parameter confirmWrite: asked before a write in production without `allow_writes` (the REPL).
    func makeClient(confirmWrite: (@Sendable (ChorusOperation) async -> Bool)? = nil) async throws(ChorusError) -> ChorusClient {
        let settings = try resolveSettings()
        var configuration = try await settings.clientConfiguration(simulator: ProcessSimulator.launcher)
        configuration.confirmWrite = confirmWrite
        for warning in configuration.environment.warnings { printError("chorus: warning: \(warning)") }
        if !quiet { printError("chorus: environment \(configuration.environment)") }
        // The process-wide transport needs no shutdown, so no command (or script) can crash by
        // forgetting one; each request still carries the configured timeout.
        return ChorusClient(configuration: configuration, transport: AsyncHTTPClientTransport.shared, logger: logger("chorus.api"))
    }

    /// The client of another technical account, by name, for `chorus.as(name, fn)`: in the simulator,
    /// one of its seeded accounts (`supplier`, `supplier-beta`, `recipient`); otherwise (or for another
    /// name) a profile of the configuration, which must aim at the same environment as the run.
    func makeClient(
        account name: String, confirmWrite: (@Sendable (ChorusOperation) async -> Bool)? = nil
    ) async throws(ChorusError) -> ChorusClient {
        let settings = try resolveSettings()
        var configuration: ClientConfiguration
        if settings.environment == .sim {
            configuration = try await settings.clientConfiguration(simulator: ProcessSimulator.launcher)
            let session = try await ProcessSimulator.launcher.start()
            if let account = session.account(named: name) {
                configuration.technicalAccount = .present(account.technicalAccount)
                configuration.siret = account.siret
                configuration.environment.profileName = name
                return ChorusClient(configuration: configuration, transport: AsyncHTTPClientTransport.shared, logger: logger("chorus.api"))
            }
            let names = session.accounts.map(\.name)
            guard (try? ProfileResolver(flags: .init(profile: name, env: nil, config: config), environment: processEnvironment).resolve()) != nil else {
                throw ChorusError(
                    code: .config,
                    message: "no account named '\(name)': the simulator's seeded accounts are \(names.joined(separator: ", "))",
                    remediation: "Use one of the simulator's accounts (chorus sim lists them), or the name of a profile of your configuration.",
                    environment: "sim")
            }
        }
        let other = try ProfileResolver(flags: .init(profile: name, env: nil, config: config), environment: processEnvironment).resolve()
        // One run, one environment: a profile aimed elsewhere (production from a sandbox run) is refused.
        guard other.environment == settings.environment else {
            throw ChorusError(
                code: .config,
                message: "profile '\(name)' is for the \(other.environment.rawValue) environment, but this run uses \(settings.environment.rawValue)",
                remediation: "Give chorus.as the name of a profile of the same environment; a script reaches one environment only.",
                environment: settings.environment.rawValue)
        }
        configuration = try await other.clientConfiguration(simulator: ProcessSimulator.launcher)
        configuration.confirmWrite = confirmWrite
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
