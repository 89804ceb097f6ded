import ArgumentParser
import ChorusAPI
import ChorusSimulator
import Foundation
import Logging

/// `chorus sim`: runs the PISTE + Chorus Pro simulator as a server, for other tools and clients.
struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the offline PISTE + Chorus Pro simulator as an HTTP server.",
        discussion: """
            Serves the PISTE token endpoint (/api/oauth/token), the Chorus Pro API (/cpro/...) with seeded qualification-like data, and a control API (/_sim/, loopback only). Prints the URLs, the credentials and a profile to paste. Stop it with Ctrl-C. Seed data, faults and scenarios: docs/simulator.md.

            SCENARIO is a TOML file, or a preset reproducing an onboarding failure: \(Scenario.presetNames.joined(separator: ", ")).

            Examples:
              chorus sim
              chorus sim --port 9000 --state /tmp/sim-state.sqlite
              chorus sim --scenario tech-account-inactive
              chorus sim --scenario faults.toml
              curl -s localhost:8080/_sim/requests
            """)

    @Option(name: .long, help: "Port to listen on (0: any free port).")
    var port: Int = 8080

    @Option(name: .long, help: "Address to listen on. Keep loopback unless you mean to share the simulator.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Keep the state in this file (SQLite) across restarts.", valueName: "file"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp("Scenario file (TOML) or preset name.", valueName: "file|preset"))
    var scenario: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let loaded: Scenario?
        do {
            loaded = try scenario.map { name throws(Scenario.Error) in try Scenario.load(name) }
        } catch {
            printError("chorus: \(error.message)")
            throw ExitCode(ExitStatus.usage)
        }
        let store: SimulatorStore
        do {
            store = try SimulatorStore.open(stateFile: state.map { URL(fileURLWithPath: $0) })
        } catch {
            printError("chorus: cannot read the state file \(state ?? ""): \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        if let loaded { store.apply(loaded) }
        let server = SimulatorServer(store: store)
        let host = self.host
        let statePath = state
        do {
            // Server logs go to stderr, so stdout carries only the banner.
            var logger = Logger(label: "chorus.sim") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .warning
            try await server.runUntilSignalled(host: host, port: port, logger: logger) { bound in
                // Written at once (not line-buffered print) so a pipe reader sees it while the server runs.
                FileHandle.standardOutput.write(
                    Data((Self.banner(host: host, port: bound, state: statePath) + "\n").utf8))
            }
        } catch {
            printError("chorus: the simulator could not serve on \(host):\(port): \(error)")
            throw ExitCode(3)
        }
    }

    /// A `[profiles.sim-NAME]` block for every seeded account (`chorus.as("sim-recipient", fn)` then
    /// reaches it from a script run against this server), with the export its password needs.
    static func profiles(base: String) -> String {
        SimulatorSeed.accounts.map { account in
            let variable = "CHORUS_SIM_" + account.name.uppercased().replacingOccurrences(of: "-", with: "_") + "_PASSWORD"
            return """
                  # \(account.label): export \(variable)='\(account.technicalAccount.password)'
                  [profiles.sim-\(account.name)]
                  env = "custom"
                  oauth_url = "\(base)/api/oauth/token"
                  api_url = "\(base)"
                  client_id = "\(SimulatorSeed.clientId)"
                  client_secret_env = "CHORUS_SIM_SECRET"
                  tech_login = "\(account.technicalAccount.login)"
                  tech_password_env = "\(variable)"
                  siret = "\(account.siret)"
                  app_name = "\(SimulatorSeed.applicationName)"
                """
        }.joined(separator: "\n\n")
    }

    static func banner(host: String, port: Int, state: String?) -> String {
        let shown = host.contains(":") ? "[\(host)]" : host
        let base = "http://\(shown):\(port)"
        return """
            chorus sim: PISTE + Chorus Pro simulator listening on \(base) \
            (state: \(state ?? "in memory"))
              token URL  \(base)/api/oauth/token
              API host   \(base)   (operations under /cpro/...)
              control    \(base)/_sim/   (state, requests, reset, clock/advance, faults, scenario)

            Credentials
              PISTE application   \(SimulatorSeed.applicationName)
                client id         \(SimulatorSeed.clientId)
                client secret     \(SimulatorSeed.clientSecret)
              technical accounts (login / password)
                supplier ALPHA \(SimulatorSeed.supplierSiret)   \(SimulatorSeed.supplierLogin) / \(SimulatorSeed.supplierPassword)
                supplier BETA  \(SimulatorSeed.secondSupplierSiret)   \(SimulatorSeed.secondSupplierLogin) / \(SimulatorSeed.secondSupplierPassword)
                recipients (all five)       \(SimulatorSeed.recipientLogin) / \(SimulatorSeed.recipientPassword)

            Profiles to paste into config.toml, one per seeded account (then: export \
            CHORUS_SIM_SECRET=\(SimulatorSeed.clientSecret) and each password variable below)
            \(profiles(base: base))

            Press Ctrl-C to stop.
            """
    }
}
