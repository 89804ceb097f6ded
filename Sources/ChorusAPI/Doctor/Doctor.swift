import Foundation
import JSONValue
import Logging

/// What the doctor may do beyond reading.
public struct DoctorOptions: Sendable {
    /// Deposit a sample invoice and follow it to `IN_INTEGRE` (sandbox and sim only).
    public var depositTest: Bool
    /// Recipient SIRET of the sample invoice (default in sim: a seed recipient without parameters).
    public var recipient: String?
    /// Warn when the technical password expires within this many days.
    public var passwordWarningDays: Int
    /// How long the deposit test may wait for the flux, in seconds.
    public var depositTimeout: Double

    public init(depositTest: Bool = false, recipient: String? = nil, passwordWarningDays: Int = 30, depositTimeout: Double = 300) {
        self.depositTest = depositTest
        self.recipient = recipient
        self.passwordWarningDays = passwordWarningDays
        self.depositTimeout = depositTimeout
    }
}

/// Checks the raccordement step by step (the official onboarding guide's order), and names the
/// first missing step with its fix. Every later step that depends on a failed one is skipped.
public struct Doctor: Sendable {
    let flags: ProfileResolver.Flags
    let environmentVariables: [String: String]
    let transport: any HTTPTransport
    let simulator: (any SimulatorLauncher)?
    let logger: Logger
    let options: DoctorOptions
    let now: @Sendable () -> Date

    public init(
        flags: ProfileResolver.Flags = .init(), environment: [String: String], simulator: (any SimulatorLauncher)?,
        transport: any HTTPTransport = AsyncHTTPClientTransport.shared, options: DoctorOptions = DoctorOptions(), logger: Logger = Logger(label: "chorus.doctor"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.flags = flags
        self.environmentVariables = environment
        self.transport = transport
        self.simulator = simulator
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// Runs every check and returns the report (it never throws: failures are steps).
    public func run() async -> DoctorReport {
        let ladder = Ladder()
        var report = DoctorReport(environment: flags.env ?? environmentVariables["CHORUS_ENV"] ?? "?", profile: flags.profile, steps: [])

        // 1. Configuration.
        let settings: ResolvedSettings
        let configuration: ClientConfiguration
        switch await checkConfiguration() {
        case .failure(let step):
            report.steps = [step] + Ladder.allAfterConfig.map { Ladder.skipped($0, because: "config") }
            return report
        case .success(let (s, c, step)):
            settings = s
            configuration = c
            report.environment = c.environment.name.rawValue
            report.profile = s.profileName
            report.steps.append(step)
        }
        let client = ChorusClient(configuration: configuration, transport: transport, logger: logger)

        // 2–9.
        report.steps.append(await ladder.run(.network, after: report.steps) { await checkNetwork(configuration.environment) })
        report.steps.append(await ladder.run(.token, after: report.steps) { await checkToken(client) })
        report.steps.append(await ladder.run(.subscriptions, after: report.steps) { await checkSubscriptions(client, siret: configuration.siret) })
        report.steps.append(await ladder.run(.technicalAccount, after: report.steps) { await checkTechnicalAccount(client) })
        var structureID: Int64?
        report.steps.append(await ladder.run(.structure, after: report.steps) {
            let (step, id) = await checkStructure(client, siret: configuration.siret, environment: configuration.environment.name)
            structureID = id
            return step
        })
        report.steps.append(await ladder.run(.rattachement, after: report.steps) { await checkRattachement(client, siret: configuration.siret) })
        report.steps.append(await ladder.run(.passwordExpiry, after: report.steps) { await checkPasswordExpiry(client, structureID: structureID) })
        if options.depositTest {
            report.steps.append(await ladder.run(.depositTest, after: report.steps) {
                await checkDeposit(client, siret: configuration.siret, environment: configuration.environment.name)
            })
        }
        return report
    }
}

/// The rungs, their titles and guide steps, and which earlier rungs they need.
struct Ladder {
    enum Rung: String, CaseIterable {
        case config, network, token, subscriptions, technicalAccount = "technical-account", structure, rattachement
        case passwordExpiry = "password-expiry", depositTest = "deposit-test"

        var title: String {
            switch self {
            case .config: return "configuration complete and consistent"
            case .network: return "DNS and TLS to the OAuth and API hosts"
            case .token: return "PISTE token for the application"
            case .subscriptions: return "API subscriptions (CGU accepted)"
            case .technicalAccount: return "technical account accepted (health-check)"
            case .structure: return "structure known in this environment"
            case .rattachement: return "technical account attached to the structure"
            case .passwordExpiry: return "technical account password not about to expire"
            case .depositTest: return "sample invoice deposited and integrated"
            }
        }

        var guideStep: String {
            switch self {
            case .config: return "PISTE application and technical account credentials in the profile"
            case .network: return "PISTE hosts (*.piste.gouv.fr)"
            case .token: return "PISTE: « Applications » → « Authentification » (Client ID, secret)"
            case .subscriptions: return "PISTE: « Modifier l'application » → CGU of each API → « Valider mes choix CGU »"
            case .technicalAccount: return "Chorus Pro: « Raccordements » → « Compte technique » (creation, activation)"
            case .structure: return "Chorus Pro: structure of the profile (matelas de données in qualification)"
            case .rattachement: return "Chorus Pro: « Raccordements » → « Gérer raccordement API » → « Déclarer un raccordement PISTE »"
            case .passwordExpiry: return "Chorus Pro: technical password renewed every 424 days"
            case .depositTest: return "Chorus Pro: deposit of a flux (deposerFluxFacture) followed to IN_INTEGRE"
            }
        }

        /// Rungs that must have passed (ok or warning) for this one to run.
        var needs: [Rung] {
            switch self {
            case .config, .network: return []
            case .token: return [.network]
            case .subscriptions, .technicalAccount: return [.token]
            case .structure: return [.technicalAccount, .subscriptions]
            case .rattachement: return [.technicalAccount]
            case .passwordExpiry: return [.structure]
            case .depositTest: return [.rattachement]
            }
        }
    }

    static var allAfterConfig: [Rung] { [.network, .token, .subscriptions, .technicalAccount, .structure, .rattachement, .passwordExpiry] }

    static func skipped(_ rung: Rung, because failed: String) -> DoctorStep {
        DoctorStep(id: rung.rawValue, title: rung.title, guideStep: rung.guideStep, status: .skipped,
                   cause: "skipped: step '\(failed)' did not pass")
    }

    /// Runs `check` unless a rung it needs failed or was skipped; times it.
    func run(_ rung: Rung, after steps: [DoctorStep], _ check: () async -> DoctorStep) async -> DoctorStep {
        for need in rung.needs {
            if let prior = steps.first(where: { $0.id == need.rawValue }), prior.status == .failed || prior.status == .skipped {
                return Ladder.skipped(rung, because: need.rawValue)
            }
        }
        let start = ContinuousClock.now
        var step = await check()
        let elapsed = ContinuousClock.now - start
        step.durationMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return step
    }
}
