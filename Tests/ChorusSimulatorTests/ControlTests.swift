import ChorusSimulator
import Foundation
import JSONValue
import Testing

@Suite("Control API and scenarios")
struct ControlTests {
    @Test func requestLogHasNoSecrets() async throws {
        try await SimHarness.with { sim in
            let token = try await sim.token()
            _ = try await sim.call("/transverses/v1/recuperer/tauxtva", [:], token: token)
            let log = try await sim.control("GET", "/requests?limit=10")
            let entries = try #require(log.json?["requests"]?.arrayValue)
            #expect(entries.count == 2)
            #expect(entries.last?["operation"] == "transverses.recupererTauxTva")
            #expect(entries.last?["login"] == .string(SimulatorSeed.supplierLogin))
            #expect(entries.last?["status"] == 200)
            #expect(!log.text.contains(token))
            #expect(!log.text.contains(SimulatorSeed.supplierPassword))
            #expect(!log.text.contains(SimulatorSeed.clientSecret))
        }
    }

    @Test func stateDumpAndClock() async throws {
        try await SimHarness.with { sim in
            let before = sim.store.now
            let advanced = try await sim.control("POST", "/clock/advance", ["seconds": 3600])
            #expect(advanced.status == 200)
            #expect(sim.store.now.timeIntervalSince(before) >= 3600)
            let refused = try await sim.control("POST", "/clock/advance", ["seconds": -5])
            #expect(refused.status == 400)
            let state = try await sim.control("GET", "/state")
            let structures = state.json?["structures"]?.arrayValue ?? []
            #expect(structures.count == 7)
            #expect(
                (state.json?["clockOffset"]).flatMap {
                    if case .number(let d) = $0 { d } else { $0.integerValue.map(Double.init) }
                } == 3600)
        }
    }

    @Test func unknownControlRouteIs404() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.control("GET", "/nothing")
            #expect(answer.status == 404)
        }
    }

    @Test func notAttachedPresetEmptiesTheRattachements() async throws {
        try await SimHarness.with(scenario: ["preset": "not-attached"]) { sim in
            let health = try await sim.call("/transverses/v1/health-check", nil, method: "GET")
            #expect(health.status == 200)
            let answer = try await sim.call("/utilisateurs/v1/monCompte/recuperer/rattachements", [:])
            #expect(answer.json?["listeStructureRattachement"] == [])
            #expect(answer.json?["parametresRetour"]?["total"] == 0)
        }
    }

    @Test func unknownSiretPresetHidesTheOwnStructure() async throws {
        try await SimHarness.with(scenario: ["preset": "unknown-siret"]) { sim in
            let answer = try await sim.call(
                "/structures/v1/rechercher",
                ["structure": ["identifiantStructure": .string(SimulatorSeed.supplierSiret)]])
            #expect(answer.json?["parametresRetour"]?["total"] == 0)
        }
    }

    @Test func scenarioPostedAtRuntime() async throws {
        try await SimHarness.with { sim in
            let bad = try await sim.control("POST", "/scenario", ["preset": "nope"])
            #expect(bad.status == 400)
            #expect(bad.json?["error"]?.stringValue?.hasPrefix("unknown preset 'nope'") == true)
            let good = try await sim.control("POST", "/scenario", ["preset": "wrong-tech-password"])
            #expect(good.status == 200)
            let answer = try await sim.call("/transverses/v1/health-check", nil, method: "GET")
            #expect(answer.status == 401)
        }
    }

    @Test func tomlScenarioFileSetsDataSettingsAndFaults() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).toml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        [settings]
        token_ttl = 120

        [[structures]]
        siret = "21750001600019"
        name = "MAIRIE DE TEST"
        kind = "PUBLIQUE"
        service_required = true
        services = [{ code = "FINANCES", name = "Direction des finances" }]

        [[technical_accounts]]
        login = "TECH_2_98765432100015@cpro.fr"
        password = "Autre-Compte-1!"
        structures = ["98765432100015"]

        [[faults]]
        operation = "transverses.recupererPays"
        error_rate = 1.0
        status = 502
        """.write(to: file, atomically: true, encoding: .utf8)
        let scenario = try Scenario.load(file.path)
        try await SimHarness.with { sim in
            sim.store.apply(scenario)
            let token = try await sim.tokenRequest(
                "grant_type=client_credentials&client_id=\(SimulatorSeed.clientId)&client_secret=\(SimulatorSeed.clientSecret)"
            )
            #expect(token.json?["expires_in"] == 120)
            let search = try await sim.call(
                "/structures/v1/rechercher", ["structure": ["identifiantStructure": "21750001600019"]],
                as: ("TECH_2_98765432100015@cpro.fr", "Autre-Compte-1!"))
            #expect(search.json?["listeStructures"]?.arrayValue?.first?["designationStructure"] == "MAIRIE DE TEST")
            let faulty = try await sim.call("/transverses/v1/recuperer/pays", [:])
            #expect(faulty.status == 502)
        }
    }

    @Test func scenarioFileErrorsNameTheProblem() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).toml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "[setings]\ntoken_ttl = 1\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: Scenario.Error.self) { try Scenario.load(file.path) }
        do {
            _ = try Scenario.load(file.path)
        } catch {
            #expect(error.message.contains("unknown scenario key 'setings'"))
        }
    }

    /// Malformed TOML that made the previous (C++) TOML parser abort the process is a scenario error.
    @Test func malformedScenarioTOMLIsAnErrorNotACrash() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).toml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "[[faults]]\nstatus = 401\n[{".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: Scenario.Error.self) { try Scenario.load(file.path) }
        do {
            _ = try Scenario.load(file.path)
        } catch {
            #expect(
                error.message
                    == "\(file.path) is not valid TOML: line 3, column 2: unexpected '{': expected a key "
                    + "(letters, digits, '_' and '-', or a quoted string)")
        }
    }
}
