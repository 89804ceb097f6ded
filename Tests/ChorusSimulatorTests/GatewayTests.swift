import ChorusSimulator
import Foundation
import JSONValue
import Testing

@Suite("PISTE gateway")
struct GatewayTests {
    static let form =
        "grant_type=client_credentials&client_id=\(SimulatorSeed.clientId)&client_secret=\(SimulatorSeed.clientSecret)"

    @Test func tokenSuccessHasTheOAuthShape() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.tokenRequest(Self.form + "&scope=openid")
            #expect(answer.status == 200)
            let json = try #require(answer.json)
            #expect(json["token_type"] == "Bearer")
            #expect(json["expires_in"] == 3600)
            #expect(json["scope"] == "openid")
            #expect(json["access_token"]?.stringValue?.count == 54)
        }
    }

    @Test func tokenTTLComesFromTheScenario() async throws {
        try await SimHarness.with(scenario: ["settings": ["token_ttl": 60]]) { sim in
            let answer = try await sim.tokenRequest(Self.form)
            #expect(answer.json?["expires_in"] == 60)
        }
    }

    @Test func unknownClientAndWrongSecretGetTheSameInvalidClient() async throws {
        try await SimHarness.with { sim in
            let unknown = try await sim.tokenRequest(
                "grant_type=client_credentials&client_id=nobody&client_secret=\(SimulatorSeed.clientSecret)")
            let wrong = try await sim.tokenRequest(
                "grant_type=client_credentials&client_id=\(SimulatorSeed.clientId)&client_secret=wrong")
            for answer in [unknown, wrong] {
                #expect(answer.status == 400)
                #expect(
                    answer.text == #"{"error":"invalid_client","error_description":"Client authentication failed"}"#)
            }
        }
    }

    @Test func tokenRequestErrors() async throws {
        try await SimHarness.with { sim in
            let noGrant = try await sim.tokenRequest("client_id=x&client_secret=y")
            #expect(noGrant.status == 400)
            #expect(noGrant.json?["error"] == "invalid_request")
            let otherGrant = try await sim.tokenRequest("grant_type=password&client_id=x")
            #expect(otherGrant.status == 400)
            #expect(otherGrant.json?["error"] == "unsupported_grant_type")
            let json = try await sim.tokenRequest(Self.form, contentType: "application/json")
            #expect(json.status == 400)
            #expect(json.json?["error"] == "invalid_request")
        }
    }

    @Test func tokenAcceptsHTTPBasicClientAuthentication() async throws {
        try await SimHarness.with { sim in
            let basic = Data("\(SimulatorSeed.clientId):\(SimulatorSeed.clientSecret)".utf8).base64EncodedString()
            let answer = try await sim.raw(
                "POST", "/api/oauth/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(basic)")],
                body: Array("grant_type=client_credentials".utf8))
            #expect(answer.status == 200)
        }
    }

    @Test func missingBearerIs401WithThePISTEChallenge() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.raw(
                "GET", "/cpro/transverses/v1/health-check",
                headers: [("cpro-account", SimHarness.cproAccount(SimHarness.supplier))])
            #expect(answer.status == 401)
            #expect(
                answer.headers["www-authenticate"]
                    == #"Bearer realm="PISTE",error="invalid_token",error_description="access token is missing""#)
            #expect(answer.headers["content-type"] == "text/plain;charset=utf-8")
            #expect(answer.text == "Problème d'authentification")
        }
    }

    @Test func invalidBearerIs401() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call("/transverses/v1/health-check", nil, token: "forged", method: "GET")
            #expect(answer.status == 401)
            #expect(
                answer.headers["www-authenticate"]
                    == #"Bearer realm="PISTE",error="invalid_token",error_description="access token is invalid""#)
        }
    }

    @Test func expiredBearerIs401() async throws {
        try await SimHarness.with { sim in
            let token = try await sim.token()
            let expired = try await sim.control("POST", "/tokens/expire")
            #expect(expired.json?["expired"] == 1)
            let answer = try await sim.call("/transverses/v1/health-check", nil, token: token, method: "GET")
            #expect(answer.status == 401)
            #expect(
                answer.headers["www-authenticate"]
                    == #"Bearer realm="PISTE",error="invalid_token",error_description="access token expired""#)
        }
    }

    @Test func tokenExpiresOnTheSimulatorClock() async throws {
        try await SimHarness.with { sim in
            let token = try await sim.token()
            try await sim.advance(3601)
            let answer = try await sim.call("/transverses/v1/health-check", nil, token: token, method: "GET")
            #expect(answer.status == 401)
        }
    }

    @Test func healthCheckAnswersExactly() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call("/transverses/v1/health-check", nil, method: "GET")
            #expect(answer.status == 200)
            #expect(
                answer.text
                    == #"{"body":"L'API CPRO est actuellement disponible et fonctionnel.","statusCode":"OK","statusCodeValue":200}"#
            )
        }
    }

    @Test func apiNotSubscribedIs403WithEmptyBody() async throws {
        try await SimHarness.with(scenario: ["preset": "no-cgu-structures"]) { sim in
            let structures = try await sim.call("/structures/v1/rechercher", [:])
            #expect(structures.status == 403)
            #expect(structures.bytes.isEmpty)
            let health = try await sim.call("/transverses/v1/health-check", nil, method: "GET")
            #expect(health.status == 200)
        }
    }

    static let refused = #"Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects""#

    @Test(arguments: ["wrong-tech-password", "tech-account-inactive", "password-expired"])
    func technicalAccountRefusalsAre401(_ preset: String) async throws {
        try await SimHarness.with(scenario: ["preset": .string(preset)]) { sim in
            let answer = try await sim.call("/transverses/v1/health-check", nil, method: "GET")
            #expect(answer.status == 401)
            #expect(answer.headers["www-authenticate"] == Self.refused)
            // The request log says which refusal it was, though the answer does not.
            let log = try await sim.control("GET", "/requests?limit=1")
            let note = log.json?["requests"]?.arrayValue?.last?["note"]?.stringValue ?? ""
            let expected = [
                "wrong-tech-password": "wrong technical login or password",
                "tech-account-inactive": "technical account not active yet",
                "password-expired": "technical account password expired",
            ][preset]
            #expect(note == expected)
        }
    }

    @Test func missingOrMalformedCproAccountIs401() async throws {
        try await SimHarness.with { sim in
            let token = try await sim.token()
            let missing = try await sim.raw(
                "GET", "/cpro/transverses/v1/health-check", headers: [("Authorization", "Bearer \(token)")])
            #expect(missing.status == 401)
            #expect(missing.headers["www-authenticate"] == Self.refused)
            let notBase64 = try await sim.raw(
                "GET", "/cpro/transverses/v1/health-check",
                headers: [("Authorization", "Bearer \(token)"), ("cpro-account", "TECH_1@cpro.fr:secret")])
            #expect(notBase64.status == 401)
        }
    }

    @Test func passwordExpiringSoonStillWorksAndShowsTheDate() async throws {
        try await SimHarness.with(scenario: ["preset": "password-expiring"]) { sim in
            let answer = try await sim.call("/structures/v1/consulter", ["idStructureCPP": 26_073_801])
            #expect(answer.status == 200)
            let expiry = answer.json?["informationGenerales"]?["dateExpirationMotPasseCompteTech"]?.stringValue
            let date = try #require(expiry.flatMap { ISO8601DateFormatter().date(from: String($0.prefix(19)) + "Z") })
            #expect(date.timeIntervalSince(sim.store.now) < 11 * 86_400)
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.call("/transverses/v1/recuperer/tauxtva", [:], contentType: "text/plain")
            #expect(answer.status == 415)
            #expect(answer.headers["x-correlationid"]?.count == 36)
        }
    }

    @Test func unknownPathsAre404() async throws {
        try await SimHarness.with { sim in
            let unknownAPI = try await sim.raw("POST", "/cpro/inconnue/v1/x")
            #expect(unknownAPI.status == 404)
            #expect(unknownAPI.text == "API non trouvée")
            let outside = try await sim.raw("GET", "/index.html")
            #expect(outside.status == 404)
            let unknownOperation = try await sim.call("/factures/v1/consulter/cr", [:])
            #expect(unknownOperation.status == 404)
            let wrongMethod = try await sim.call("/factures/v1/deposer/flux", nil, method: "GET")
            #expect(wrongMethod.status == 404)
        }
    }

    @Test func injectedServerErrors() async throws {
        try await SimHarness.with(
            scenario: [
                "faults": [["operation": "transverses.recupererTauxTva", "error_rate": 1.0, "status": 503, "times": 1]]
            ]
        ) { sim in
            let first = try await sim.call("/transverses/v1/recuperer/tauxtva", [:])
            #expect(first.status == 503)
            #expect(first.text == #"{"codeRetour":500,"libelle":"Erreur interne du serveur"}"#)
            let second = try await sim.call("/transverses/v1/recuperer/tauxtva", [:])
            #expect(second.status == 200)
        }
    }

    @Test func injectedRateLimitCarriesRetryAfter() async throws {
        try await SimHarness.with { sim in
            let set = try await sim.control(
                "PUT", "/faults", ["faults": [["operation": "*", "rate_limit_rate": 1.0, "retry_after": 7]]])
            #expect(set.status == 200)
            let answer = try await sim.call("/transverses/v1/recuperer/pays", [:])
            #expect(answer.status == 429)
            #expect(answer.headers["retry-after"] == "7")
            _ = try await sim.control("DELETE", "/faults")
            let after = try await sim.call("/transverses/v1/recuperer/pays", [:])
            #expect(after.status == 200)
        }
    }

    @Test func oneElementListQuirk() async throws {
        try await SimHarness.with(scenario: [
            "faults": [["operation": "structures.rechercherStructure", "one_element_list": true]]
        ]) {
            sim in
            let answer = try await sim.call(
                "/structures/v1/rechercher", ["structure": ["identifiantStructure": "12345678200051"]])
            #expect(answer.json?["listeStructures"]?["idStructureCPP"] == 26_073_617)
        }
    }

    @Test func connectionResetLosesTheResponseButKeepsTheEffect() async throws {
        try await SimHarness.with(
            scenario: ["faults": [["operation": "factures.deposerFluxFacture", "reset_rate": 1.0, "times": 1]]]
        ) { sim in
            let bytes = try SimHarness.sample("ubl-invoice.xml")
            await #expect(throws: (any Error).self) {
                _ = try await sim.deposit(bytes, name: "f.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            }
            #expect(sim.store.snapshot().flux.count == 1)
        }
    }

    @Test func tokenEndpointFaults() async throws {
        try await SimHarness.with(scenario: [
            "faults": [["operation": "token", "error_rate": 1.0, "status": 502, "times": 1]]
        ]) {
            sim in
            let failed = try await sim.tokenRequest(Self.form)
            #expect(failed.status == 502)
            let retried = try await sim.tokenRequest(Self.form)
            #expect(retried.status == 200)
        }
    }

    @Test func invalidFaultsAreRefused() async throws {
        try await SimHarness.with { sim in
            let answer = try await sim.control("PUT", "/faults", ["faults": [["error_rate": 2.0]]])
            #expect(answer.status == 400)
        }
    }
}
