import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// `chorus token`, `chorus call` and `chorus config` run as a subprocess against a loopback server
/// given by CHORUS_OAUTH_URL / CHORUS_API_URL, with a private XDG tree.
@Suite(.serialized) struct ClientCommandsTests {
    func environment(_ server: LoopbackHTTPServer, _ home: URL, extra: [String: String] = [:]) -> [String: String] {
        [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path, "PATH": "/usr/bin:/bin",
            "CHORUS_OAUTH_URL": server.tokenURL.absoluteString, "CHORUS_API_URL": server.baseURL.absoluteString,
            "CHORUS_CLIENT_ID": TestCredentials.clientId, "CHORUS_CLIENT_SECRET": TestCredentials.clientSecret,
            "CHORUS_TECH_LOGIN": TestCredentials.login, "CHORUS_TECH_PASSWORD": TestCredentials.password,
        ].merging(extra) { $1 }
    }

    func withServer(
        api: @escaping LoopbackHTTPServer.Handler,
        token: (@Sendable (HTTPRequest) -> HTTPResponse)? = nil,
        _ body: (LoopbackHTTPServer, URL) async throws -> Void
    ) async throws {
        let server =
            token.map { t in { try await LoopbackHTTPServer.piste(token: t, api: api) } }
            ?? { try await LoopbackHTTPServer.piste(api: api) }
        let running = try await server()
        let home = TestCredentials.temporaryDirectory()
        do {
            try await body(running, home)
        } catch {
            await running.stop()
            try? FileManager.default.removeItem(at: home)
            throw error
        }
        await running.stop()
        try? FileManager.default.removeItem(at: home)
    }

    @Test func tokenShowsExpiryAndScopeButNotTheToken() async throws {
        try await withServer(api: { _ in nil }) { server, home in
            let run = try await ChorusSubprocess.run(["token"], environment: environment(server, home))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("scope:       openid"))
            // Seconds pass between the token answer and the print on a loaded machine: allow a minute.
            let remaining = run.stdout.components(separatedBy: "(in ").dropFirst().first?.split(separator: " ").first
            #expect(remaining.flatMap { Int($0) }.map { (3540...3600).contains($0) } == true, "\(run.stdout)")
            #expect(run.stdout.contains("source:      new token from PISTE"))
            #expect(!run.stdout.contains("loopback-token"))
            #expect(
                run.stderr.contains(
                    "chorus: environment custom: \(server.tokenURL.absoluteString) + \(server.baseURL.absoluteString)"))
            let request = try #require(server.requests.first)
            #expect(request.headers[header: "Content-Type"] == "application/x-www-form-urlencoded")
            #expect(request.bodyText.hasPrefix("grant_type=client_credentials&client_id=\(TestCredentials.clientId)&"))

            // Second run: the 0600 disk cache answers, PISTE is not asked again.
            let again = try await ChorusSubprocess.run(
                ["token", "--show-secret"], environment: environment(server, home))
            #expect(again.stdout.contains("token:       loopback-token"))
            #expect(again.stdout.contains("source:      cache"))
            #expect(server.requests.count == 1)

            let json = try await ChorusSubprocess.run(["token", "--json"], environment: environment(server, home))
            let info = try JSONValue.parse(json.stdout)
            #expect(info["scope"] == "openid")
            #expect(info["from_cache"] == true)
            #expect(info["environment"] == "custom")
            #expect(info["access_token"] == nil)
        }
    }

    @Test func tokenRefusedExitsWith4() async throws {
        try await withServer(api: { _ in nil }, token: { _ in .json(400, #"{"error":"invalid_client"}"#) }) {
            server, home in
            let run = try await ChorusSubprocess.run(["token"], environment: environment(server, home))
            #expect(run.status == 4)
            #expect(
                run.stderr.contains(
                    "chorus: AUTH_APP token (HTTP 400): PISTE refused the application credentials of client id \(TestCredentials.clientId) (HTTP 400, invalid_client)"
                ))
            #expect(!run.stderr.contains(TestCredentials.clientSecret))
        }
    }

    @Test func callPrintsTheJSONAnswerAndSendsTheHeaders() async throws {
        try await withServer(api: { _ in
            .json(
                200,
                #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":{"idStructureCPP":663192,"identifiantStructure":12345678200051}}"#
            )
        }) { server, home in
            let run = try await ChorusSubprocess.run(
                [
                    "call", "structures.rechercherStructure",
                    #"{"structure":{"identifiantStructure":"12345678200051"}}"#,
                ],
                environment: environment(server, home))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout
                    == #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[{"idStructureCPP":663192,"identifiantStructure":"12345678200051"}]}"#
                    + "\n")
            let request = try #require(server.requests.last)
            #expect(request.url.path == "/cpro/structures/v1/rechercher")
            #expect(request.headers[header: "Authorization"] == "Bearer loopback-token")
            #expect(request.headers[header: "cpro-account"] == TestCredentials.cproAccount)
            #expect(request.headers[header: "Content-Type"] == "application/json;charset=utf-8")
            #expect(request.bodyText == #"{"structure":{"identifiantStructure":"12345678200051"}}"#)
        }
    }

    @Test func callReadsThePayloadFromAFileAndPrettyPrints() async throws {
        try await withServer(api: { _ in .json(200, #"{"codeRetour":0,"libelle":"ok"}"#) }) { server, home in
            let file = home.appendingPathComponent("payload.json")
            try #"{"numeroFluxDepot":"CPP0011110000000000001557"}"#.write(to: file, atomically: true, encoding: .utf8)
            let run = try await ChorusSubprocess.run(
                ["call", "consulterCRDetaille", "@\(file.path)", "--pretty"],
                environment: environment(server, home))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "{\n  \"codeRetour\": 0,\n  \"libelle\": \"ok\"\n}\n")
            #expect(server.requests.last?.bodyText == #"{"numeroFluxDepot":"CPP0011110000000000001557"}"#)
        }
    }

    @Test func callErrorsCarryTheirExitCodes() async throws {
        let cases: [(HTTPResponse, Int32, String)] = [
            (
                HTTPResponse(status: 403), 5,
                "chorus: NOT_SUBSCRIBED transverses.recupererPays (HTTP 403): access denied to /cpro/transverses/v1/recuperer/pays (HTTP 403): the application is not allowed on the Transverses API"
            ),
            (
                HTTPResponse(status: 401), 6,
                "chorus: AUTH_ACCOUNT transverses.recupererPays (HTTP 401): the technical account was refused (HTTP 401)"
            ),
            (
                .json(200, #"{"codeRetour":20001,"libelle":"POQ_MSG_01.003 - Flux introuvable."}"#), 8,
                "chorus: BUSINESS transverses.recupererPays (HTTP 200, codeRetour 20001): Chorus Pro refused the request: POQ_MSG_01.003 - Flux introuvable."
            ),
            (
                HTTPResponse(
                    status: 200, headers: [HTTPHeader("Content-Type", "text/html")], body: Array("<html/>".utf8)), 3,
                "chorus: ENVIRONMENT transverses.recupererPays (HTTP 200): the API answered HTTP 200 with a body that is not JSON (text/html)"
            ),
        ]
        for (response, status, line) in cases {
            try await withServer(api: { _ in response }) { server, home in
                let run = try await ChorusSubprocess.run(
                    ["call", "recupererPays"], environment: environment(server, home))
                #expect(run.status == status, "\(run.stderr)")
                #expect(run.stderr.contains(line), "\(run.stderr)")
                for secret in [TestCredentials.clientSecret, TestCredentials.password, TestCredentials.cproAccount, "loopback-token"] {
                    #expect(!run.stderr.contains(secret))
                }
            }
        }
    }

    @Test func badInputIsExplainedWithExit2() async throws {
        try await withServer(api: { _ in nil }) { server, home in
            let env = environment(server, home)
            let unknown = try await ChorusSubprocess.run(["call", "rechercherStructur"], environment: env)
            #expect(unknown.status == 2)
            #expect(
                unknown.stderr.contains(
                    "unknown operation 'rechercherStructur'; did you mean 'structures.rechercherStructure'"))
            let json = try await ChorusSubprocess.run(
                ["call", "recupererPays", "{\n  \"a\": tru\n}"], environment: env)
            #expect(json.status == 2)
            #expect(
                json.stderr.contains(
                    "the JSON argument is not valid JSON: line 2, column 8: invalid literal, expected 'true'"))
            let missing = try await ChorusSubprocess.run(
                ["call", "recupererPays"],
                environment: env.filter { $0.key != "CHORUS_TECH_PASSWORD" })
            #expect(missing.status == 2)
            #expect(
                missing.stderr.contains(
                    "missing technical account password: set CHORUS_TECH_PASSWORD, or tech_password in a profile"))
            #expect(server.requests.filter { $0.url.path.hasPrefix("/cpro") }.isEmpty)
            let profile = try await ChorusSubprocess.run(["token", "--profile", "nope"], environment: env)
            #expect(profile.status == 2)
            #expect(
                profile.stderr.contains(
                    "unknown profile 'nope' (from flag --profile): there is no configuration file at "))
        }
    }

    @Test func configInitThenShowRedactsSecrets() async throws {
        try await withServer(api: { _ in nil }) { server, home in
            var env = environment(server, home)
            env["CHORUS_OAUTH_URL"] = nil
            env["CHORUS_API_URL"] = nil
            let initRun = try await ChorusSubprocess.run(["config", "init"], environment: env)
            #expect(initRun.status == 0, "\(initRun.stderr)")
            let path = home.appendingPathComponent("config/chorus/config.toml").path
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
            let twice = try await ChorusSubprocess.run(["config", "init"], environment: env)
            #expect(twice.status == 2)
            // Variables the template names are not set yet: show still shows, marking what is missing.
            var withoutPassword = env
            withoutPassword["CHORUS_TECH_PASSWORD"] = nil
            let incomplete = try await ChorusSubprocess.run(
                ["config", "show", "--profile", "qualif"], environment: withoutPassword)
            #expect(incomplete.status == 0, "\(incomplete.stderr)")
            #expect(
                incomplete.stdout.contains(
                    "tech_password   = (not set)  [env QUALIF_TECH_PASSWORD (tech_password_env in profile qualif): not set]"))
            #expect(
                incomplete.stdout.contains(
                    "missing: tech_password_env in [profiles.qualif] names the variable QUALIF_TECH_PASSWORD, which is not set"))
            env["QUALIF_TECH_PASSWORD"] = "x"
            let show = try await ChorusSubprocess.run(["config", "show", "--profile", "qualif"], environment: env)
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("client_secret   = <redacted>  [env CHORUS_CLIENT_SECRET]"))
            #expect(show.stdout.contains("client_id       = \(TestCredentials.clientId)  [env CHORUS_CLIENT_ID]"))
            #expect(show.stdout.contains("env             = sandbox  [profile qualif]"))
            #expect(!show.stdout.contains("missing:"))
            #expect(!show.stdout.contains(TestCredentials.clientSecret))
            #expect(!show.stdout.contains(TestCredentials.password))
        }
    }

    @Test func traceLogsOnStderrAreRedacted() async throws {
        let file = "PD94bWwgdmVyc2lvbj0iMS4wIj8+PEludm9pY2U+PC9JbnZvaWNlPg=="
        try await withServer(api: { _ in .json(200, #"{"codeRetour":0,"libelle":"ok","numeroFluxDepot":"CPP001"}"#) }) {
            server, home in
            let run = try await ChorusSubprocess.run(
                ["call", "-vvv", "deposerFluxFacture", #"{"fichierFlux":"\#(file)","nomFichier":"f.xml"}"#],
                environment: environment(server, home))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("factures.deposerFluxFacture 200"))
            #expect(run.stderr.contains("duration_ms="))
            #expect(run.stderr.contains("<56 bytes of base64>"))
            for secret in [TestCredentials.clientSecret, TestCredentials.password, TestCredentials.cproAccount, "loopback-token", file] {
                #expect(!run.stderr.contains(secret), "stderr leaks \(secret.prefix(6))")
            }
        }
    }

    @Test func jsonErrorsAreOneObjectOnStderr() async throws {
        try await withServer(api: { _ in HTTPResponse(status: 403, headers: [HTTPHeader("x-correlationid", "c-9")]) }) {
            server, home in
            let run = try await ChorusSubprocess.run(["call", "--json", "rechercherStructure"],
                                                     environment: environment(server, home))
            #expect(run.status == 5)
            let line = try #require(run.stderr.split(separator: "\n").last.map(String.init))
            let json = try JSONValue.parse(line)
            #expect(json["error"]?["code"] == "NOT_SUBSCRIBED")
            #expect(json["error"]?["exit_code"] == 5)
            #expect(json["error"]?["correlationId"] == "c-9")
            #expect(json["error"]?["operation"] == "structures.rechercherStructure")
        }
    }

    /// --schema and --example say what an operation expects, without calling anything (no credentials).
    @Test func schemaAndExampleDescribeThePayload() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-schema-\(UUID().uuidString)")
        let env = ["XDG_CONFIG_HOME": home.path + "/config", "XDG_CACHE_HOME": home.path + "/cache"]
        let schema = try await ChorusSubprocess.run(["call", "factures.traiterUneFactureRecue", "--schema"], environment: env)
        #expect(schema.status == 0, "\(schema.stderr)")
        #expect(schema.stdout.hasPrefix("factures.traiterUneFactureRecue: request fields, from the official Swagger\n"))
        #expect(schema.stdout.contains("\n  idFacture  integer  REQUIRED\n"))
        #expect(schema.stdout.contains("\n  nouveauStatut  string  REQUIRED  one of BROUILLON, "))
        let example = try await ChorusSubprocess.run(["call", "traiterUneFactureRecue", "--example"], environment: env)
        #expect(example.status == 0)
        #expect(try JSONValue.parse(example.stdout) == ["idFacture": 1, "nouveauStatut": "MISE_EN_PAIEMENT"])
        let json = try await ChorusSubprocess.run(["call", "factures.completerFacture", "--schema", "--json"], environment: env)
        let fields = try JSONValue.parse(json.stdout)["fields"]?.arrayValue ?? []
        #expect(fields.contains { $0["name"] == "identifiantFactureCPP" && $0["required"] == true && $0["type"] == "integer" })
        let unknown = try await ChorusSubprocess.run(["call", "nope", "--example"], environment: env)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown operation 'nope'"))
        // The catalog listing uses the key of chorus.operations().
        let list = try await ChorusSubprocess.run(["call", "--list", "--json"], environment: env)
        let first = try JSONValue.parse(list.stdout).arrayValue?.first
        #expect(first?["id"] == "factures.deposerFluxFacture")
        #expect(first?["name"] == nil)
    }
}
