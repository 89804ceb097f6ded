import ChorusAPI
import ChorusTestSupport
import Foundation
import Testing

/// Every test works in its own temporary XDG tree: the real home is never read.
final class ConfigSandbox {
    let root = Fixture.temporaryDirectory()
    var configURL: URL { root.appendingPathComponent("config/chorus/config.toml") }
    var baseEnvironment: [String: String] {
        [
            "HOME": root.appendingPathComponent("home").path,
            "XDG_CONFIG_HOME": root.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": root.appendingPathComponent("cache").path,
        ]
    }
    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ text: String, mode: Int = 0o600) throws {
        try FileManager.default.createDirectory(
            at: configURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: configURL, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: configURL.path)
    }

    func resolve(_ extra: [String: String] = [:], flags: ProfileResolver.Flags = .init()) throws(ChorusError)
        -> ResolvedSettings
    {
        try ProfileResolver(flags: flags, environment: baseEnvironment.merging(extra) { $1 }).resolve()
    }

    func error(_ extra: [String: String] = [:], flags: ProfileResolver.Flags = .init()) -> ChorusError? {
        do {
            _ = try resolve(extra, flags: flags)
            return nil
        } catch { return error }
    }
}

@Suite struct ConfigTests {
    let qualif = """
        default_profile = "qualif"
        [profiles.qualif]
        env = "sandbox"
        client_id = "profile-client"
        client_secret_env = "QUALIF_SECRET"
        tech_login = "TECH_1_12345678200051@cpro.fr"
        tech_password_file = "%PASSWORD_FILE%"
        app_name = "APP_SANDBOX_me@example.org"
        [profiles.other]
        env = "prod"
        """

    func sandboxWithQualif() throws -> ConfigSandbox {
        let box = ConfigSandbox()
        let passwordFile = box.root.appendingPathComponent("tech_password")
        try "from-file-password\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        try box.write(qualif.replacingOccurrences(of: "%PASSWORD_FILE%", with: passwordFile.path))
        return box
    }

    @Test func nothingConfiguredMeansTheSimulator() throws {
        let settings = try ConfigSandbox().resolve()
        #expect(settings.environment == .sim)
        #expect(settings.environmentSource == "default (no profile and no credentials)")
        #expect(!settings.configFileFound)
    }

    @Test func credentialsWithoutEnvMeanSandboxNeverProd() throws {
        let settings = try ConfigSandbox().resolve(["CHORUS_CLIENT_ID": "x"])
        #expect(settings.environment == .sandbox)
        #expect(settings.endpoints == .sandbox)
    }

    @Test func profileValuesWithTheirSources() throws {
        let box = try sandboxWithQualif()
        let settings = try box.resolve(["QUALIF_SECRET": "secret-from-env"])
        #expect(settings.profileName == "qualif")
        #expect(settings.profileSource == "default_profile in \(box.configURL.path)")
        #expect(settings.environment == .sandbox)
        #expect(settings.entry("client_id")?.value == "profile-client")
        #expect(settings.entry("client_id")?.source == "profile qualif")
        #expect(settings.entry("client_secret")?.source == "env QUALIF_SECRET (client_secret_env in profile qualif)")
        #expect(settings.entry("client_secret")?.displayValue == "<redacted>")
        #expect(settings.entry("tech_password")?.value == "from-file-password")
        #expect(settings.entry("tech_password")?.source.hasPrefix("file ") == true)
    }

    @Test func environmentVariablesBeatTheProfileAndFlagsBeatVariables() throws {
        let box = try sandboxWithQualif()
        let settings = try box.resolve(
            ["QUALIF_SECRET": "s", "CHORUS_CLIENT_ID": "env-client", "CHORUS_ENV": "prod"],
            flags: .init(env: "sandbox"))
        #expect(settings.entry("client_id")?.value == "env-client")
        #expect(settings.entry("client_id")?.source == "env CHORUS_CLIENT_ID")
        #expect(settings.environment == .sandbox)
        #expect(settings.environmentSource == "flag --env")
        let byVariable = try box.resolve(["QUALIF_SECRET": "s", "CHORUS_PROFILE": "other"])
        #expect(byVariable.profileName == "other")
        #expect(byVariable.environment == .prod)
        let byFlag = try box.resolve(
            ["CHORUS_PROFILE": "other", "QUALIF_SECRET": "s"], flags: .init(profile: "qualif"))
        #expect(byFlag.profileName == "qualif")
    }

    @Test func customURLsImplyTheCustomEnvironment() throws {
        let settings = try ConfigSandbox().resolve([
            "CHORUS_OAUTH_URL": "http://127.0.0.1:9000/api/oauth/token", "CHORUS_API_URL": "http://127.0.0.1:9000",
        ])
        #expect(settings.environment == .custom)
        #expect(settings.endpoints?.apiBaseURL.absoluteString == "http://127.0.0.1:9000")
        let conflict = ConfigSandbox().error(["CHORUS_API_URL": "http://127.0.0.1:9000"], flags: .init(env: "prod"))
        #expect(
            conflict?.message
                == "CHORUS_API_URL select the custom environment, but --env asks for prod; unset them or use --env custom"
        )
        let half = ConfigSandbox().error(["CHORUS_API_URL": "http://127.0.0.1:9000"])
        #expect(half?.message == "the custom environment needs CHORUS_OAUTH_URL (or oauth_url in the profile)")
    }

    @Test func literalSecretInAReadableFileIsRefusedWithTheChmod() throws {
        let box = ConfigSandbox()
        try box.write("[profiles.p]\nclient_secret = \"literal\"\n", mode: 0o644)
        let e = box.error(["CHORUS_PROFILE": "p"])
        #expect(e?.code == .config)
        #expect(e?.exitCode == 2)
        #expect(
            e?.message
                == "\(box.configURL.path) holds a literal client_secret (in [profiles.p]) but other users can read it (mode 0644); run: chmod 600 \(box.configURL.path)"
        )
        #expect(e.map { !$0.report.contains("literal\"") } == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: box.configURL.path)
        #expect(try box.resolve(["CHORUS_PROFILE": "p"]).entry("client_secret")?.value == "literal")
    }

    @Test func unknownProfileListsTheKnownOnes() throws {
        let box = try sandboxWithQualif()
        let e = box.error(flags: .init(profile: "qualf"))
        #expect(
            e?.message
                == "unknown profile 'qualf' (from flag --profile) in \(box.configURL.path); profiles: other, qualif")
        let none = ConfigSandbox().error(["CHORUS_PROFILE": "x"])
        #expect(
            none?.message.hasPrefix("unknown profile 'x' (from env CHORUS_PROFILE): there is no configuration file at ")
                == true)
    }

    @Test func unknownKeysAndDoubleSecretsAreRefused() throws {
        let box = ConfigSandbox()
        try box.write("[profiles.p]\nclient_secret_fle = \"/x\"\n")
        #expect(
            box.error()?.message
                == "unknown key 'client_secret_fle' in [profiles.p] of \(box.configURL.path); did you mean 'client_secret_file'?"
        )
        try box.write("[profiles.p]\ntech_password_env = \"A\"\ntech_password_file = \"/x\"\n")
        #expect(
            box.error()?.message
                == "[profiles.p] of \(box.configURL.path) sets tech_password_file and tech_password_env; keep only one way to give tech_password"
        )
    }

    @Test func invalidTOMLGivesThePosition() throws {
        let box = ConfigSandbox()
        try box.write("[profiles.p]\nenv = \n")
        let message = box.error()?.message ?? ""
        #expect(message == "\(box.configURL.path) is not valid TOML: line 2, column 7: expected a value")
    }

    /// `[{` aborted the process (an assertion in the C++ TOML parser used before): now a CONFIG error.
    @Test func malformedHeadersAreConfigErrorsNotCrashes() throws {
        let box = ConfigSandbox()
        for text in ["[{", "[", "[a", "[profiles.p]\nenv = \"\\u\"", "a = 1\na = 2"] {
            try box.write(text)
            let error = box.error()
            #expect(error?.code == .config, "\(text)")
            #expect(error?.message.hasPrefix("\(box.configURL.path) is not valid TOML: line ") == true, "\(text)")
        }
        try box.write("[{")
        #expect(
            box.error()?.message
                == "\(box.configURL.path) is not valid TOML: line 1, column 2: unexpected '{': expected a key "
                + "(letters, digits, '_' and '-', or a quoted string)")
    }

    @Test func indirectionsThatPointNowhereAreShownAndFailOnlyWhenUsed() async throws {
        let box = ConfigSandbox()
        try box.write("[profiles.p]\nenv = \"sandbox\"\nclient_id = \"id\"\nclient_secret_env = \"NOPE\"\n")
        var settings = try box.resolve(["CHORUS_PROFILE": "p"])
        #expect(settings.entry("client_secret")?.source == "env NOPE (client_secret_env in profile p): not set")
        #expect(settings.entry("client_secret")?.displayValue == "(not set)")
        var configuration = try await settings.clientConfiguration(simulator: nil)
        var e = await Fixture.error { try configuration.application.get() }
        #expect(e?.message == "client_secret_env in [profiles.p] names the variable NOPE, which is not set")
        #expect(settings.missingCredentials.first == e?.message)

        try box.write("[profiles.p]\nenv = \"sandbox\"\ntech_login = \"l\"\ntech_password_file = \"/nonexistent/secret\"\n")
        settings = try box.resolve(["CHORUS_PROFILE": "p"])
        #expect(settings.entry("tech_password")?.source == "file /nonexistent/secret (tech_password_file in profile p): unreadable")
        configuration = try await settings.clientConfiguration(simulator: nil)
        e = await Fixture.error { try configuration.technicalAccount.get() }
        #expect(e?.message == "cannot read tech_password_file /nonexistent/secret (set in [profiles.p])")
    }

    @Test func missingCredentialNamesTheVariableAndTheProfileKey() async throws {
        let box = ConfigSandbox()
        try box.write("[profiles.p]\nenv = \"sandbox\"\nclient_id = \"id\"\n")
        let settings = try box.resolve(["CHORUS_PROFILE": "p"])
        let configuration = try await settings.clientConfiguration(simulator: nil)
        let e = await Fixture.error { try configuration.application.get() }
        #expect(
            e?.message
                == "missing PISTE client secret: set CHORUS_CLIENT_SECRET, or client_secret (or client_secret_file / client_secret_env) in [profiles.p] of \(box.configURL.path)"
        )
    }

    @Test func bothHalvesOfAPairMissingAreNamedAtOnce() async throws {
        let box = ConfigSandbox()
        try box.write("[profiles.p]\nenv = \"sandbox\"\nclient_id = \"id\"\nclient_secret = \"s\"\n")
        let settings = try box.resolve(["CHORUS_PROFILE": "p"])
        let configuration = try await settings.clientConfiguration(simulator: nil)
        let e = await Fixture.error { try configuration.technicalAccount.get() }
        #expect(
            e?.message
                == "missing technical account login and technical account password: set CHORUS_TECH_LOGIN and "
                + "CHORUS_TECH_PASSWORD, or tech_login (or tech_login_file / tech_login_env) and tech_password "
                + "(or tech_password_file / tech_password_env) in [profiles.p] of \(box.configURL.path)")
        #expect(settings.missingCredentials == [e?.message ?? ""])
    }

    @Test func simWithoutASimulatorSaysWhatToUseInstead() async throws {
        let settings = try ConfigSandbox().resolve()
        let e = await Fixture.error { try await settings.clientConfiguration(simulator: nil) }
        #expect(e?.code == .config)
        #expect(e?.message == "the simulator environment (sim) is not available in this build")
        #expect(e?.remediation?.contains("--env sandbox|prod") == true)
        #expect(e?.remediation?.contains("CHORUS_OAUTH_URL / CHORUS_API_URL") == true)
    }

    @Test func simUsesTheLauncherEndpointsAndCredentials() async throws {
        struct Launcher: SimulatorLauncher {
            func start() async throws(ChorusError) -> SimulatorSession {
                SimulatorSession(
                    endpoints: Endpoints(
                        tokenURL: URL(string: "http://127.0.0.1:5555/api/oauth/token")!,
                        apiBaseURL: URL(string: "http://127.0.0.1:5555")!),
                    application: ApplicationCredentials(clientId: "sim-id", clientSecret: "sim-secret"),
                    technicalAccount: TechnicalAccount(login: "TECH_1_SIM@cpro.fr", password: "sim"),
                    banner: "simulator")
            }
        }
        let configuration = try await ConfigSandbox().resolve().clientConfiguration(simulator: Launcher())
        #expect(configuration.environment.name == .sim)
        #expect(configuration.environment.endpoints.apiBaseURL.absoluteString == "http://127.0.0.1:5555")
        #expect(configuration.application.value?.clientId == "sim-id")
    }

    @Test func initWritesAPrivateTemplateAndRefusesToOverwrite() throws {
        let box = ConfigSandbox()
        try ConfigTemplate.write(to: box.configURL, force: false)
        let mode = try FileManager.default.attributesOfItem(atPath: box.configURL.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        do {
            try ConfigTemplate.write(to: box.configURL, force: false)
            Issue.record("expected a refusal")
        } catch {
            #expect(
                error.message == "\(box.configURL.path) already exists; not overwriting it (use --force to replace it)")
        }
        try ConfigTemplate.write(to: box.configURL, force: true)
        // The template names no default profile: until it is edited, chorus stays on the simulator.
        let untouched = try box.resolve()
        #expect(untouched.profileName == nil)
        #expect(untouched.environment == .sim)
        // Its profile resolves once its variables are set.
        let settings = try box.resolve(
            ["QUALIF_CLIENT_SECRET": "a", "QUALIF_TECH_PASSWORD": "b"], flags: .init(profile: "qualif"))
        #expect(settings.missingCredentials.isEmpty)
        #expect(settings.profileName == "qualif")
        #expect(settings.environment == .sandbox)
        #expect(settings.appName == "APP_SANDBOX_me@example.org")
    }

    @Test func sandboxAppInAProdProfileIsRefused() throws {
        let box = ConfigSandbox()
        try box.write("[profiles.p]\nenv = \"prod\"\napp_name = \"APP_SANDBOX_me@example.org\"\n")
        #expect(
            box.error(["CHORUS_PROFILE": "p"])?.message
                == "the application APP_SANDBOX_me@example.org is a PISTE SANDBOX application; it cannot be used in production"
        )
    }

    @Test func pathsFollowXDGAndOverrides() {
        let paths = ChorusPaths.resolve(environment: ["HOME": "/h", "XDG_CACHE_HOME": "/c"], configFlag: nil)
        #expect(paths.configFile.path == "/h/.config/chorus/config.toml")
        #expect(paths.cacheDirectory.path == "/c/chorus")
        #expect(paths.stateDirectory.path == "/h/.local/state/chorus")
        #expect(
            ChorusPaths.resolve(environment: ["HOME": "/h", "CHORUS_CONFIG": "/e.toml"], configFlag: "~/f.toml")
                .configFile.path == "/h/f.toml")
        #expect(
            ChorusPaths.resolve(environment: ["HOME": "/h", "CHORUS_CONFIG": "/e.toml"]).configFile.path == "/e.toml")
    }

    @Test func configuredClientUsesTheResolvedEnvironmentAndCredentials() async throws {
        let box = ConfigSandbox()
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let client = try await ChorusClient.configured(
            environment: box.baseEnvironment.merging([
                "CHORUS_OAUTH_URL": "http://127.0.0.1:1/api/oauth/token", "CHORUS_API_URL": "http://127.0.0.1:1",
                "CHORUS_CLIENT_ID": "id", "CHORUS_CLIENT_SECRET": "secret", "CHORUS_TECH_LOGIN": "TECH_1_X@cpro.fr",
                "CHORUS_TECH_PASSWORD": "pw",
            ]) { $1 },
            simulator: nil, transport: transport)
        #expect(client.environment.name == .custom)
        _ = try await client.call("recupererPays")
        #expect(transport.tokenRequests[0].url.absoluteString == "http://127.0.0.1:1/api/oauth/token")
        #expect(transport.apiRequests[0].url.absoluteString == "http://127.0.0.1:1/cpro/transverses/v1/recuperer/pays")
        #expect(transport.apiRequests[0].headers[header: "cpro-account"] == "VEVDSF8xX1hAY3Byby5mcjpwdw==")
        // the token landed in the private cache of this XDG tree
        let cached = try FileManager.default.contentsOfDirectory(atPath: box.root.appendingPathComponent("cache/chorus").path)
        #expect(cached.count == 1 && cached[0].hasPrefix("token-custom-"))
    }
}
