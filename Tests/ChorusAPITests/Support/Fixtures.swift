import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Logging

/// Credentials (`TestCredentials`: distinctive strings, so a grep of logs finds any leak) and helpers.
enum Fixture {
    static let clientId = TestCredentials.clientId
    static let clientSecret = TestCredentials.clientSecret
    static let login = TestCredentials.login
    static let password = TestCredentials.password
    static var cproAccount: String { TestCredentials.cproAccount }

    static func configuration(
        _ name: EnvironmentName = .sandbox, endpoints: Endpoints = .sandbox, retry: RetryPolicy = RetryPolicy(),
        limits: TrafficLimits = TrafficLimits(), allowWrites: Bool = false, tokenCache: TokenDiskCache? = nil
    ) -> ClientConfiguration {
        ClientConfiguration(
            environment: ChorusEnvironment(name: name, endpoints: endpoints),
            application: .present(ApplicationCredentials(clientId: clientId, clientSecret: clientSecret)),
            technicalAccount: .present(TechnicalAccount(login: login, password: password)),
            timeout: 30, retry: retry, limits: limits, allowWrites: allowWrites, tokenCache: tokenCache)
    }

    static func client(
        _ transport: FakeTransport, clock: ManualClock = ManualClock(), logger: Logger? = nil,
        configuration: ClientConfiguration = Fixture.configuration()
    ) -> ChorusClient {
        ChorusClient(
            configuration: configuration, transport: transport, clock: clock, jitter: FixedJitter(0.5),
            logger: logger ?? Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func ok(_ json: String = #"{"codeRetour":0,"libelle":"TRA_MSG_00.000"}"#) -> Result<
        HTTPResponse, TransportFailure
    > {
        .success(.json(200, json))
    }

    /// A private temporary directory, removed by the caller.
    static func temporaryDirectory() -> URL { TestCredentials.temporaryDirectory() }

    /// The error thrown by `body`, or nil.
    static func error<T>(_ body: () async throws -> T) async -> ChorusError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? ChorusError
        }
    }
}
