import Foundation

/// What a running simulator gives the client: its URLs and the credentials it accepts.
public struct SimulatorSession: Sendable {
    /// Token URL and API host on loopback.
    public var endpoints: Endpoints
    /// Application credentials the simulator issues tokens for.
    public var application: ApplicationCredentials
    /// Technical account the simulator accepts.
    public var technicalAccount: TechnicalAccount
    /// One line for the banner, e.g. "simulator on 127.0.0.1:49152 (seeded qualification data)".
    public var banner: String
    /// The SIRET of the structure the technical account belongs to (the profile's `siret` in sim).
    public var siret: String?
    /// Every technical account the simulator was seeded with, by name (`supplier`, `recipient`...),
    /// the first being the default one: what a script reaches with `chorus.as(name, fn)`.
    public var accounts: [SimulatorAccount]

    /// Creates a value from its fields.
    public init(
        endpoints: Endpoints, application: ApplicationCredentials, technicalAccount: TechnicalAccount,
        banner: String, siret: String? = nil, accounts: [SimulatorAccount] = []
    ) {
        self.endpoints = endpoints
        self.application = application
        self.technicalAccount = technicalAccount
        self.banner = banner
        self.siret = siret
        self.accounts = accounts
    }

    /// The seeded account called `name`, if any.
    public func account(named name: String) -> SimulatorAccount? {
        accounts.first { $0.name == name }
    }
}

/// One seeded technical account of a simulator, offered to scripts by name.
public struct SimulatorAccount: Sendable, Equatable {
    /// The name scripts use (`supplier`, `supplier-beta`, `recipient`).
    public var name: String
    /// Its login and password.
    public var technicalAccount: TechnicalAccount
    /// The SIRET of its (first) structure.
    public var siret: String
    /// What it is, in a few words (`FOURNISSEUR ALPHA`).
    public var label: String

    /// Creates a value from its fields.
    public init(name: String, technicalAccount: TechnicalAccount, siret: String, label: String) {
        self.name = name
        self.technicalAccount = technicalAccount
        self.siret = siret
        self.label = label
    }
}

/// Starts a simulator for the `sim` environment. `ChorusAPI` does not depend on the simulator: the
/// program that has one (the CLI) passes its launcher to whatever resolves `sim`.
public protocol SimulatorLauncher: Sendable {
    /// Starts (or reuses) a simulator and returns how to reach it.
    func start() async throws(ChorusError) -> SimulatorSession
}

extension ChorusError {
    /// The error given when `sim` is asked for and no simulator launcher was given.
    public static var simulatorUnavailable: ChorusError {
        ChorusError(
            code: .config,
            message: "the simulator environment (sim) is not available in this build",
            remediation: "Choose a real environment: --env sandbox|prod with credentials (CHORUS_CLIENT_ID, "
                + "CHORUS_CLIENT_SECRET, CHORUS_TECH_LOGIN, CHORUS_TECH_PASSWORD or a profile), or a test server "
                + "with --env custom and CHORUS_OAUTH_URL / CHORUS_API_URL.",
            environment: "sim")
    }
}
