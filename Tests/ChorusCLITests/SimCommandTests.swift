import ChorusTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `--env sim` (and the default environment) start the simulator in-process; `chorus sim` serves it.
@Suite struct SimCommandTests {
    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-sim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// An environment with no configuration and no credentials, so `sim` is the default.
    var environment: [String: String] {
        [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path, "PATH": "/usr/bin:/bin",
        ]
    }

    @Test func tokenWithEnvSim() async throws {
        let outcome = try await ChorusSubprocess.run(["token", "--env", "sim", "--json"], environment: environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(#""client_id":"5f0c2a3e-5e6b-4c1a-9d7e-0000000051a1""#))
        #expect(outcome.stdout.contains(#""expires_in":3"#))
        #expect(outcome.stderr.hasPrefix("chorus: environment sim: http://127.0.0.1:"))
    }

    @Test func callWithEnvSim() async throws {
        let outcome = try await ChorusSubprocess.run(
            [
                "call", "--env", "sim", "structures.rechercherStructure",
                #"{"structure":{"identifiantStructure":"11000201100044"}}"#,
            ],
            environment: environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(
            outcome.stdout
                == #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[{"designationStructure":"DESTINATAIRE ETAT","idStructureCPP":26073700,"identifiantStructure":"11000201100044","statut":"ACTIVE","typeIdentifiantStructure":"SIRET"}],"parametresRetour":{"nbResultatsParPage":10,"pageCourante":1,"pages":1,"total":1}}"#
                + "\n")
    }

    @Test func simIsTheDefaultWithoutConfiguration() async throws {
        let outcome = try await ChorusSubprocess.run(["call", "transverses.healthCheck"], environment: environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(#""statusCode":"OK""#))
        #expect(outcome.stderr.contains("environment sim"))
    }

    @Test func businessErrorOfTheSimulatorExitsWith8() async throws {
        let outcome = try await ChorusSubprocess.run(
            [
                "call", "--env", "sim", "transverses.consulterCRDetaille",
                #"{"numeroFluxDepot":"CPP0010000000000000000000"}"#,
            ],
            environment: environment)
        #expect(outcome.status == 8, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("POQ_MSG_01.003 - Flux introuvable."))
    }

    @Test func scenarioFromTheEnvironmentReachesEnvSim() async throws {
        var environment = environment
        environment["CHORUS_SIM_SCENARIO"] = "tech-account-inactive"
        let outcome = try await ChorusSubprocess.run(
            ["call", "--env", "sim", "transverses.healthCheck"], environment: environment)
        #expect(outcome.status == 6, "\(outcome.stderr)")
        environment["CHORUS_SIM_SCENARIO"] = "no-such-preset"
        let bad = try await ChorusSubprocess.run(
            ["call", "--env", "sim", "transverses.healthCheck"], environment: environment)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("CHORUS_SIM_SCENARIO: no scenario file 'no-such-preset'"))
    }

    @Test func simHelpHasExamples() async throws {
        let outcome = try await ChorusSubprocess.run(["sim", "--help"], environment: environment)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("chorus sim --scenario tech-account-inactive"))
        #expect(outcome.stdout.contains("--state <file>"))
    }

    @Test func unknownScenarioIsAUsageError() async throws {
        let outcome = try await ChorusSubprocess.run(["sim", "--scenario", "no-such-thing"], environment: environment)
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr.hasPrefix("chorus: no scenario file 'no-such-thing' (and not a preset: no-cgu-structures,"))
    }

    @Test func simPrintsURLsCredentialsAndAProfileThenServes() async throws {
        guard let binary = ChorusSubprocess.binary() else {
            Issue.record("chorus is not built")
            return
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sim", "--port", "0"]
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Read until the banner is complete (it ends with the stop hint).
        var text = ""
        while !text.contains("Press Ctrl-C to stop.") {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        #expect(text.contains("client secret     sim-secret-0f9c4b7e2d"))
        #expect(text.contains("TECH_1_98765432100015@cpro.fr / Fournisseur-Alpha-2026!"))
        #expect(text.contains(#"env = "custom""#))
        // A profile for every seeded account.
        for (name, login) in [("supplier", "TECH_1_98765432100015@cpro.fr"), ("supplier-beta", "TECH_1_98765432100023@cpro.fr"),
                              ("recipient", "TECH_1_12345678200051@cpro.fr")] {
            #expect(text.contains("  [profiles.sim-\(name)]\n"), "\(name)")
            #expect(text.contains(#"  tech_login = "\#(login)""#), "\(login)")
        }
        #expect(text.contains("export CHORUS_SIM_RECIPIENT_PASSWORD='Destinataire-2026!'"))
        let port = try #require(
            text.split(separator: "\n").first.flatMap { line in
                line.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }
            }.flatMap { Int($0.split(separator: ":").last ?? "") })
        // The served simulator answers the control API.
        let (data, response) = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(port)/_sim/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix(#"{"flux":0,"invoices":0,"now":"#))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 || process.terminationReason == .uncaughtSignal)
    }
}
