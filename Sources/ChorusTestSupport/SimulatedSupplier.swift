import ChorusAPI
import ChorusSimulator
import JSONValue
import Logging

/// An in-process `chorus sim` that processes each flux at once, and a client of its seeded supplier
/// account: the set-up of the tests that deposit and follow invoices for real.
public enum SimulatedSupplier {
    /// Starts the simulator.
    /// - Parameters:
    ///   - scenario: the scenario's other sections (its `settings` are replaced).
    ///   - settings: settings beside the zero processing and routing delays.
    ///   - faults: the scenario's `faults`.
    ///   - timeout: the client's request timeout, in seconds.
    ///   - retry: the client's retry rules for reads.
    public static func start(
        scenario: [String: JSONValue] = [:], settings: [String: JSONValue] = [:], faults: [JSONValue] = [],
        timeout: Double = 60, retry: RetryPolicy = RetryPolicy()
    ) async throws -> (InProcessSimulatorLauncher, ChorusClient, SimulatorSession) {
        var scenario = scenario
        scenario["settings"] = .object(
            settings.merging(["processing_delay": .integer(0), "routing_delay": .integer(0)]) { given, _ in given })
        scenario["faults"] = .array(faults)
        let launcher = InProcessSimulatorLauncher(scenario: try Scenario(json: .object(scenario)))
        let session = try await launcher.start()
        let configuration = ClientConfiguration(
            environment: ChorusEnvironment(name: .sim, endpoints: session.endpoints),
            application: .present(session.application),
            technicalAccount: .present(
                TechnicalAccount(login: SimulatorSeed.supplierLogin, password: SimulatorSeed.supplierPassword)),
            timeout: timeout, retry: retry)
        let client = ChorusClient(
            configuration: configuration, transport: AsyncHTTPClientTransport.shared,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (launcher, client, session)
    }
}
