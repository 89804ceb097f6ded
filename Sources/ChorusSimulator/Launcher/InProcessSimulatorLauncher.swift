import ChorusAPI
import Foundation
import Logging

/// Starts the simulator inside the current process on an ephemeral loopback port, once, and hands
/// out how to reach it: what `--env sim` (and the default environment) uses. Pass it to
/// `ResolvedSettings.clientConfiguration(simulator:)` and `Doctor(simulator:)`.
public actor InProcessSimulatorLauncher: SimulatorLauncher {
    private var session: SimulatorSession?
    private var serverTask: Task<Void, Error>?
    private let stateFile: URL?
    private let scenario: Scenario?
    /// A scenario to load at start (`CHORUS_SIM_SCENARIO`), so a bad one fails only `sim` sessions.
    private let scenarioArgument: String?
    /// The running server's store, once started (tests and the doctor inspect it).
    public private(set) var store: SimulatorStore?

    /// A launcher for a fresh seeded simulator, or one kept in `stateFile`, with `scenario` applied.
    public init(stateFile: URL? = nil, scenario: Scenario? = nil) {
        self.stateFile = stateFile
        self.scenario = scenario
        self.scenarioArgument = nil
    }

    /// A launcher configured by the environment: `CHORUS_SIM_STATE` (a state file) and
    /// `CHORUS_SIM_SCENARIO` (a preset name or a TOML file), read when the simulator starts.
    public init(environment: [String: String]) {
        self.stateFile = environment["CHORUS_SIM_STATE"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        self.scenario = nil
        self.scenarioArgument = environment["CHORUS_SIM_SCENARIO"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Starts the simulator on the first call; later calls return the same session.
    public func start() async throws(ChorusError) -> SimulatorSession {
        if let session { return session }
        let store: SimulatorStore
        do {
            store = try SimulatorStore.open(stateFile: stateFile)
        } catch {
            throw ChorusError(
                code: .config, message: "the simulator state file cannot be read: \(error)",
                remediation: "Remove or fix the state file.", environment: "sim")
        }
        if let scenario { store.apply(scenario) }
        if let scenarioArgument {
            do {
                store.apply(try Scenario.load(scenarioArgument))
            } catch {
                throw ChorusError(
                    code: .config, message: "CHORUS_SIM_SCENARIO: \(error.message)",
                    remediation: "Name a preset (\(Scenario.presetNames.joined(separator: ", "))) or a TOML file.",
                    environment: "sim")
            }
        }
        let server = SimulatorServer(store: store)
        let port: Int
        do {
            port = try await Self.listen(server, host: "127.0.0.1", port: 0, quiet: true) { await self.keep($0) }
        } catch {
            throw ChorusError(
                code: .environment, message: "the simulator could not start on loopback: \(error)",
                remediation: "Check that the loopback interface is up.", environment: "sim")
        }
        self.store = store
        let started = SimulatorSession.local(host: "127.0.0.1", port: port)
        session = started
        return started
    }

    private func keep(_ task: Task<Void, Error>) { serverTask = task }

    /// Runs `server` in a task and waits until it listens; returns the bound port.
    static func listen(
        _ server: SimulatorServer, host: String, port: Int, quiet: Bool,
        keep: @Sendable (Task<Void, Error>) async -> Void
    ) async throws -> Int {
        let (ports, continuation) = AsyncThrowingStream<Int, Error>.makeStream()
        var logger = Logger(label: "chorus.sim")
        logger.logLevel = quiet ? .error : .info
        let task = Task {
            do {
                try await server.run(host: host, port: port, logger: logger) { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
                throw error
            }
        }
        await keep(task)
        for try await bound in ports { return bound }
        throw CancellationError()
    }
}

extension SimulatorSession {
    /// The session of a simulator listening on `host:port`, with the seed credentials (supplier ALPHA).
    public static func local(host: String, port: Int) -> SimulatorSession {
        let base = "http://\(host):\(port)"
        return SimulatorSession(
            endpoints: Endpoints(tokenURL: URL(string: base + "/api/oauth/token")!, apiBaseURL: URL(string: base)!),
            application: ApplicationCredentials(
                clientId: SimulatorSeed.clientId, clientSecret: SimulatorSeed.clientSecret),
            technicalAccount: TechnicalAccount(
                login: SimulatorSeed.supplierLogin, password: SimulatorSeed.supplierPassword),
            banner: "simulator on \(host):\(port) (seeded qualification data)", siret: SimulatorSeed.supplierSiret,
            accounts: SimulatorSeed.accounts)
    }
}
