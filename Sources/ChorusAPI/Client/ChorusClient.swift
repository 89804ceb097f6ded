import Foundation
import JSONValue
import Logging

/// The Chorus Pro client: the only code that talks to PISTE. The Lua module, the doctor and the
/// ledger call operations through it.
///
/// ```swift
/// let client = ChorusClient(configuration: config, transport: AsyncHTTPClientTransport.shared)
/// let found = try await client.call("structures.rechercherStructure", payload: [
///     "structure": ["identifiantStructure": "12345678200051", "typeIdentifiantStructure": "SIRET"]])
/// ```
public final class ChorusClient: Sendable {
    /// Where requests go (name, hosts, profile); never holds secrets.
    public let environment: ChorusEnvironment
    let configuration: ClientConfiguration
    let transport: any HTTPTransport
    let tokens: Credential<TokenProvider>
    let gate: RequestGate
    let clock: any ChorusClock
    let jitter: any JitterSource
    let logger: Logger
    let redactor: Redactor
    /// The technical account's `cpro-account` value, encoded once (it goes with every request).
    let accountHeader: String?

    /// - Parameters:
    ///   - transport: how requests are sent (`AsyncHTTPClientTransport`, or a fake in tests).
    ///   - clock: time source for token expiry, backoff and rate limiting.
    ///   - jitter: randomness of the backoff.
    ///   - logger: one `info` line per request; redacted bodies at `trace`.
    public init(
        configuration: ClientConfiguration, transport: any HTTPTransport, clock: any ChorusClock = SystemClock(),
        jitter: any JitterSource = SystemJitter(), logger: Logger = Logger(label: "chorus.api")
    ) {
        self.environment = configuration.environment
        self.configuration = configuration
        self.transport = transport
        self.clock = clock
        self.jitter = jitter
        self.logger = logger
        self.redactor = Redactor(secrets: configuration.secrets)
        if case .present(let account) = configuration.technicalAccount {
            accountHeader = account.headerValue
        } else {
            accountHeader = nil
        }
        self.gate = RequestGate(limits: configuration.limits, clock: clock)
        switch configuration.application {
        case .present(let app):
            tokens = .present(
                TokenProvider(
                    environmentName: configuration.environment.name.rawValue,
                    tokenURL: configuration.environment.endpoints.tokenURL, credentials: app, transport: transport,
                    clock: clock, diskCache: configuration.tokenCache, timeout: min(configuration.timeout, 30),
                    retry: configuration.retry, jitter: jitter, logger: logger))
        case .missing(let error):
            tokens = .missing(error)
        }
    }

    /// Calls `operation` (`factures.deposerFluxFacture`, or the bare operationId) with `payload`
    /// (official field names) and returns the answer with list and SIRET quirks normalised.
    /// - Parameter allowWrite: confirms a write operation in production when the profile does not set
    ///   `allow_writes` (e.g. after asking the user).
    /// - Throws: `ChorusError`; a `codeRetour` ≠ 0 is an error even under HTTP 200.
    public func call(
        _ operation: String, payload: JSONValue = .object([:]), allowWrite: Bool = false
    ) async throws(ChorusError) -> JSONValue {
        try await call(Catalog.operation(named: operation), payload: payload, allowWrite: allowWrite)
    }

    /// Calls a catalog operation.
    public func call(
        _ operation: ChorusOperation, payload: JSONValue = .object([:]), allowWrite: Bool = false
    ) async throws(ChorusError) -> JSONValue {
        try await authorizeWrite(operation, allowWrite: allowWrite)
        let body: [UInt8]
        switch operation.method {
        case .get: body = []
        case .post:
            guard case .object = payload else {
                if case .null = payload { return try await perform(operation, body: Array("{}".utf8)) }
                throw ChorusError(
                    code: .config,
                    message: "the payload of \(operation.qualifiedName) must be a JSON "
                        + "object, not \(payload.typeName)", operation: operation.qualifiedName)
            }
            body = ResponseNormalizer.normalizeRequest(payload).serializedBytes()
        }
        return try await perform(operation, body: body)
    }

    /// Lets a write through outside production, with `allow_writes`, with `allowWrite`, or once the
    /// configuration's `confirmWrite` said yes; refuses it otherwise, before any request.
    func authorizeWrite(_ operation: ChorusOperation, allowWrite: Bool) async throws(ChorusError) {
        guard operation.isWrite, environment.name == .prod, !(configuration.allowWrites || allowWrite) else { return }
        if let confirm = configuration.confirmWrite {
            if await confirm(operation) { return }
            throw ChorusError(
                code: .config, message: "\(operation.qualifiedName) changes data in production; the write was not confirmed",
                operation: operation.qualifiedName,
                remediation: "Answer y when asked to confirm the write, or set allow_writes = true in the prod profile.",
                environment: environment.name.rawValue)
        }
        throw ChorusError(
            code: .config,
            message: "\(operation.qualifiedName) changes data in production; unattended writes need "
                + "allow_writes = true in the profile",
            operation: operation.qualifiedName,
            remediation:
                "Add allow_writes = true to the prod profile, or confirm the write (chorus call --allow-write).",
            environment: environment.name.rawValue)
    }

    /// The technical account's login (never its password), when the configuration has one: the ledger
    /// keys deposits by it.
    public var technicalAccountLogin: String? {
        if case .present(let account) = configuration.technicalAccount { return account.login }
        return nil
    }

    /// `GET /cpro/transverses/v1/health-check`: proves the token and the technical account are accepted.
    public func health() async throws(ChorusError) -> JSONValue {
        try await call("transverses.healthCheck")
    }

    /// The current token's expiry and scope (fetching one if needed); the token itself only when asked.
    public func tokenInfo(includeToken: Bool = false) async throws(ChorusError) -> TokenInfo {
        let provider = try tokens.get()
        let (token, fromCache) = try await provider.token()
        return TokenInfo(
            environment: environment.name.rawValue, clientId: provider.clientId, scope: token.scope,
            tokenType: token.tokenType, expiresAt: token.expiresAt,
            expiresIn: max(0, Int(token.expiresAt.timeIntervalSince(clock.now()))), fromCache: fromCache,
            token: includeToken ? token.value : nil)
    }

    /// Token requests this client has sent to PISTE (diagnostics and tests).
    public func tokenRequestsSent() async -> Int {
        guard let provider = tokens.value else { return 0 }
        return await provider.requestsSent
    }

    /// Releases the transport's connections.
    public func shutdown() async {
        await transport.shutdown()
    }
}

extension ChorusClient {
    /// A client for the settings in force (flags > environment variables > profile > defaults).
    /// - Parameters:
    ///   - flags: the global options (`--profile`, `--env`, `--config`).
    ///   - environment: the environment variables to read (pass `ProcessInfo.processInfo.environment`).
    ///   - simulator: starts the simulator when the settings choose `sim`; nil when there is none.
    ///   - transport: defaults to `AsyncHTTPClientTransport.shared`, which needs no shutdown.
    public static func configured(
        flags: ProfileResolver.Flags = .init(), environment: [String: String], simulator: (any SimulatorLauncher)?,
        transport: any HTTPTransport = AsyncHTTPClientTransport.shared,
        logger: Logger = Logger(label: "chorus.api")
    ) async throws(ChorusError) -> ChorusClient {
        let settings = try ProfileResolver(flags: flags, environment: environment).resolve()
        let configuration = try await settings.clientConfiguration(simulator: simulator)
        return ChorusClient(configuration: configuration, transport: transport, logger: logger)
    }
}
