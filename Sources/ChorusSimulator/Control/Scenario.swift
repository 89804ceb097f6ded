import Foundation
import ChorusAPI
import JSONValue

/// Data and faults to set at start (`chorus sim --scenario FILE|PRESET`) or later
/// (`POST /_sim/scenario`). A file is TOML (or JSON with a `.json` extension); docs/simulator.md
/// gives every key. Presets reproduce onboarding failures for the doctor.
public struct Scenario: Sendable {
    /// A scenario that cannot be read, with the reason.
    public struct Error: Swift.Error, CustomStringConvertible {
        /// What is wrong, naming the key or file.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    var presets: [String] = []
    var settings: [String: JSONValue] = [:]
    var faults: [Fault] = []
    var structures: [JSONValue] = []
    var accounts: [JSONValue] = []
    var applications: [JSONValue] = []
    var engagements: [JSONValue] = []

    /// The preset names, each reproducing one onboarding failure.
    public static let presetNames = [
        "no-cgu-structures", "no-cgu-travaux", "wrong-tech-password", "tech-account-inactive", "not-attached", "unknown-siret",
        "password-expiring", "password-expired",
    ]

    /// Reads a scenario from its JSON form.
    public init(json: JSONValue) throws(Error) {
        guard case .object(let members) = json else { throw Error(message: "a scenario is a table of keys") }
        let known: Set = [
            "preset", "presets", "settings", "faults", "structures", "technical_accounts", "applications",
            "engagements",
        ]
        if let unknown = members.keys.first(where: { !known.contains($0) }) {
            throw Error(message: "unknown scenario key '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        if let preset = members["preset"]?.stringValue { presets.append(preset) }
        presets += (members["presets"]?.arrayValue ?? []).compactMap(\.stringValue)
        for preset in presets where !Self.presetNames.contains(preset) {
            throw Error(message: "unknown preset '\(preset)' (known: \(Self.presetNames.joined(separator: ", ")))")
        }
        settings = members["settings"]?.objectValue ?? [:]
        let settingKeys: Set = [
            "token_ttl", "processing_delay", "routing_delay", "max_flux_bytes", "max_attachment_bytes",
        ]
        if let unknown = settings.keys.first(where: { !settingKeys.contains($0) }) {
            throw Error(
                message: "unknown setting '\(unknown)' (known: \(settingKeys.sorted().joined(separator: ", ")))")
        }
        try Self.checkSettings(settings)
        if let list = members["faults"] {
            do {
                faults = try JSONDecoder().decode([Fault].self, from: Data(list.serializedBytes()))
            } catch {
                throw Error(message: "invalid faults: \(error)")
            }
        }
        structures = members["structures"]?.arrayValue ?? []
        accounts = members["technical_accounts"]?.arrayValue ?? []
        applications = members["applications"]?.arrayValue ?? []
        engagements = members["engagements"]?.arrayValue ?? []
    }

    /// A named preset.
    public static func preset(_ name: String) throws(Error) -> Scenario {
        try Scenario(json: ["preset": .string(name)])
    }

    /// Reads `argument`: a preset name, or a TOML (or `.json`) file.
    public static func load(_ argument: String) throws(Error) -> Scenario {
        if presetNames.contains(argument) { return try preset(argument) }
        guard let data = FileManager.default.contents(atPath: argument) else {
            throw Error(
                message: "no scenario file '\(argument)' (and not a preset: \(presetNames.joined(separator: ", ")))")
        }
        let document: JSONValue
        do {
            if argument.lowercased().hasSuffix(".json") {
                document = try JSONValue.parse([UInt8](data))
            } else {
                document = try TOMLReader.parse([UInt8](data))
            }
        } catch let error as TOMLError {
            throw Error(message: "\(argument) is not valid TOML: \(error)")
        } catch {
            throw Error(message: "\(argument): \(error)")
        }
        do {
            return try Scenario(json: document)
        } catch {
            throw Error(message: "\(argument): \(error.message)")
        }
    }

    /// Applies the scenario to `state`: presets first, then data, settings and faults.
    func apply(to state: inout SimulatorState, now: Date) {
        for preset in presets { Self.applyPreset(preset, to: &state, now: now) }
        for entry in structures { upsertStructure(entry, into: &state) }
        for entry in engagements { addEngagement(entry, into: &state) }
        for entry in accounts { upsertAccount(entry, into: &state, now: now) }
        for entry in applications {
            guard let id = entry["client_id"]?.stringValue, let secret = entry["client_secret"]?.stringValue else {
                continue
            }
            let app = PisteApplication(
                clientId: id, clientSecret: secret, name: entry["name"]?.stringValue ?? "APP_SANDBOX_\(id)",
                subscriptions: entry["subscriptions"]?.arrayValue?.compactMap(\.stringValue)
                    ?? SimulatorSeed.allSubscriptions)
            state.applications.removeAll { $0.clientId == id }
            state.applications.append(app)
        }
        if let ttl = settings["token_ttl"]?.integerValue { state.settings.tokenTTL = Int(ttl) }
        if let delay = Self.number(settings["processing_delay"]) { state.settings.processingDelay = delay }
        if let delay = Self.number(settings["routing_delay"]) { state.settings.routingDelay = delay }
        if let size = settings["max_flux_bytes"]?.integerValue { state.settings.maxFluxBytes = Int(size) }
        if let size = settings["max_attachment_bytes"]?.integerValue { state.settings.maxAttachmentBytes = Int(size) }
        if !faults.isEmpty { state.faults = faults }
        state.invalidateIndex()
    }

    /// Range of each setting: a delay or a size out of these would stop the clock or the server.
    static let settingRanges: [String: ClosedRange<Double>] = [
        "token_ttl": 1...(366 * 86_400), "processing_delay": 0...(366 * 86_400), "routing_delay": 0...(366 * 86_400),
        "max_flux_bytes": 1...Double(1 << 30), "max_attachment_bytes": 1...Double(1 << 30),
    ]

    static func checkSettings(_ settings: [String: JSONValue]) throws(Error) {
        for (key, value) in settings {
            guard let range = settingRanges[key] else { continue }
            let integerOnly = key == "token_ttl" || key.hasPrefix("max_")
            guard let number = integerOnly ? value.integerValue.map(Double.init) : Self.number(value),
                number.isFinite, range.contains(number)
            else {
                throw Error(
                    message: "setting '\(key)' must be \(integerOnly ? "an integer" : "a number") between "
                        + "\(Int(range.lowerBound)) and \(Int(range.upperBound))")
            }
        }
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let i)?: return Double(i)
        case .number(let d)?: return d
        default: return nil
        }
    }

    static func applyPreset(_ name: String, to state: inout SimulatorState, now: Date) {
        func updateSupplierAccount(_ change: (inout TechnicalAccountRecord) -> Void) {
            if let index = state.technicalAccounts.firstIndex(where: { $0.login == SimulatorSeed.supplierLogin }) {
                change(&state.technicalAccounts[index])
            }
        }
        switch name {
        case "no-cgu-structures":
            for index in state.applications.indices {
                state.applications[index].subscriptions.removeAll { $0 == "structures" }
            }
        case "no-cgu-travaux":
            for index in state.applications.indices {
                state.applications[index].subscriptions.removeAll { $0 == "facturesTravaux" }
            }
        case "wrong-tech-password":
            updateSupplierAccount { $0.password = "Mot-De-Passe-Renouvele-2027!" }
        case "tech-account-inactive":
            updateSupplierAccount { $0.activeFrom = now.addingTimeInterval(30 * 60) }
        case "not-attached":
            updateSupplierAccount { $0.structureIds = [] }
        case "unknown-siret":
            let id = state.structure(siret: SimulatorSeed.supplierSiret)?.id
            state.structures.removeAll { $0.siret == SimulatorSeed.supplierSiret }
            updateSupplierAccount { account in account.structureIds.removeAll { $0 == id } }
        case "password-expiring":
            updateSupplierAccount { $0.passwordExpiresAt = now.addingTimeInterval(10 * 86_400) }
        case "password-expired":
            updateSupplierAccount { $0.passwordExpiresAt = now.addingTimeInterval(-86_400) }
        default:
            break
        }
    }

    private func upsertStructure(_ entry: JSONValue, into state: inout SimulatorState) {
        guard let siret = entry["siret"]?.stringValue else { return }
        let existing = state.structure(siret: siret)
        var structure =
            existing
            ?? Structure(id: state.takeId(), siret: siret, name: siret, kind: "PUBLIQUE")
        if let name = entry["name"]?.stringValue { structure.name = name }
        if let kind = entry["kind"]?.stringValue { structure.kind = kind }
        if case .bool(let flag)? = entry["state"] { structure.isState = flag }
        if case .bool(let flag)? = entry["active"] { structure.active = flag }
        if case .bool(let flag)? = entry["service_required"] { structure.serviceRequired = flag }
        if case .bool(let flag)? = entry["engagement_required"] { structure.engagementRequired = flag }
        if case .bool(let flag)? = entry["engagement_or_service"] { structure.engagementOrService = flag }
        if let city = entry["city"]?.stringValue { structure.city = city }
        if let code = entry["postal_code"]?.stringValue { structure.postalCode = code }
        for service in entry["services"]?.arrayValue ?? [] {
            guard let code = service["code"]?.stringValue else { continue }
            structure.services.removeAll { $0.code == code }
            var added = Service(id: state.takeId(), code: code, name: service["name"]?.stringValue ?? code)
            if case .bool(let flag)? = service["active"] { added.active = flag }
            if case .bool(let flag)? = service["engagement_required"] { added.engagementRequired = flag }
            structure.services.append(added)
        }
        state.structures.removeAll { $0.siret == siret }
        state.structures.append(structure)
    }

    private func addEngagement(_ entry: JSONValue, into state: inout SimulatorState) {
        guard let number = entry["number"]?.stringValue, let siret = entry["recipient"]?.stringValue,
            let recipient = state.structure(siret: siret)
        else { return }
        state.engagements.append(
            Engagement(
                id: state.takeId(), number: number, structureId: recipient.id,
                serviceCode: entry["service_code"]?.stringValue ?? "", amountTTC: Self.number(entry["amount"]) ?? 0))
    }

    private func upsertAccount(_ entry: JSONValue, into state: inout SimulatorState, now: Date) {
        guard let login = entry["login"]?.stringValue else { return }
        var account =
            state.account(login: login)
            ?? TechnicalAccountRecord(
                login: login, password: "", userId: state.takeId(), structureIds: [],
                activeFrom: now.addingTimeInterval(-86_400), passwordExpiresAt: now.addingTimeInterval(300 * 86_400))
        if let password = entry["password"]?.stringValue { account.password = password }
        if let sirets = entry["structures"]?.arrayValue {
            account.structureIds = sirets.compactMap { $0.stringValue.flatMap { state.structure(siret: $0)?.id } }
        }
        if let seconds = Self.number(entry["active_in_seconds"]) {
            account.activeFrom = now.addingTimeInterval(seconds)
        }
        if let days = Self.number(entry["password_expires_in_days"]) {
            account.passwordExpiresAt = now.addingTimeInterval(days * 86_400)
        }
        state.technicalAccounts.removeAll { $0.login == login }
        state.technicalAccounts.append(account)
    }
}
