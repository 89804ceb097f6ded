import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

@Suite struct RedactionTests {
    @Test func logsNeverContainSecretsTokensOrFileContents() async throws {
        let store = CapturingLogHandler.Store()
        let fileContent = "PD94bWwgdmVyc2lvbj0iMS4wIj8+PEludm9pY2U+U0VDUkVUPC9JbnZvaWNlPg=="
        let calls = Counter()
        let transport = FakeTransport.piste { request in
            if calls.next() == 1 { return .success(HTTPResponse(status: 401)) }
            // a server that echoes what it received must not leak it either
            return .success(
                .json(
                    200,
                    #"{"codeRetour":0,"libelle":"ok","echo":"\#(Fixture.password)","fichierResultat":"\#(fileContent)"}"#
                ))
        }
        let client = Fixture.client(transport, logger: CapturingLogHandler.logger(store))
        _ = try await client.call(
            "deposerFluxFacture",
            payload: [
                "fichierFlux": .string(fileContent), "nomFichier": "facture.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE",
            ])
        _ = try await client.tokenInfo()
        let logs = store.text
        #expect(!logs.isEmpty)
        #expect(logs.contains("factures.deposerFluxFacture 200"))
        #expect(logs.contains("duration_ms="))
        for secret in [Fixture.clientSecret, Fixture.password, Fixture.cproAccount, "token-1", "token-2", fileContent] {
            #expect(!logs.contains(secret), "log leaks \(secret.prefix(6))…")
        }
        #expect(logs.contains("\"fichierFlux\":\"<64 bytes of base64>\""))
        #expect(logs.contains("\"fichierResultat\":\"<64 bytes of base64>\""))
    }

    @Test func credentialsPrintRedacted() {
        let app = ApplicationCredentials(clientId: "id-1", clientSecret: Fixture.clientSecret)
        let account = TechnicalAccount(login: Fixture.login, password: Fixture.password)
        #expect("\(app)" == "ApplicationCredentials(clientId: id-1, clientSecret: <redacted>)")
        #expect(!String(reflecting: account).contains(Fixture.password))
    }

    @Test func errorsEchoingSecretsAreScrubbed() async {
        let transport = FakeTransport.piste { _ in
            .success(.json(400, #"{"codeRetour":1,"libelle":"bad account \#(Fixture.cproAccount)"}"#))
        }
        let e = await Fixture.error { try await Fixture.client(transport).call("recupererPays") }
        #expect(e?.libelle == "bad account <redacted>")
        #expect(e.map { !$0.report.contains(Fixture.cproAccount) } == true)
    }

    @Test func aServerEchoingTheBearerTokenDoesNotLeakIt() async {
        let store = CapturingLogHandler.Store()
        let transport = FakeTransport.piste { request in
            let bearer = request.headers.first { $0.name == "Authorization" }?.value ?? ""
            let token = String(bearer.dropFirst("Bearer ".count))
            return .success(.json(
                401, #"{"codeRetour":401,"libelle":"token \#(token) refused","message":"\#(token)"}"#,
                headers: [HTTPHeader("WWW-Authenticate", #"Bearer error="invalid_token", token="\#(token)""#)]))
        }
        let e = await Fixture.error {
            try await Fixture.client(transport, logger: CapturingLogHandler.logger(store, level: .trace)).call("recupererPays")
        }
        #expect(e != nil)
        for text in [e?.report ?? "", e.map { String(describing: $0) } ?? "", e?.wwwAuthenticate ?? "", e?.libelle ?? "", store.text] {
            #expect(!text.contains("token-1") && !text.contains("token-2"), "leaks the bearer token: \(text)")
        }
        #expect(e?.wwwAuthenticate?.contains("<redacted>") == true)
    }
}
