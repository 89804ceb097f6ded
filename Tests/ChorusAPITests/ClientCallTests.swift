import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

@Suite struct ClientCallTests {
    @Test func everyCallCarriesBearerAccountAndJSONHeaders() async throws {
        let transport = FakeTransport.piste { _ in
            Fixture.ok(#"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[]}"#)
        }
        let client = Fixture.client(transport)
        let result = try await client.call(
            "structures.rechercherStructure",
            payload: ["structure": ["identifiantStructure": "12345678200051"]])
        #expect(result["codeRetour"] == .integer(0))
        let request = try #require(transport.apiRequests.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "https://sandbox-api.piste.gouv.fr/cpro/structures/v1/rechercher")
        #expect(
            request.headers == [
                HTTPHeader("Authorization", "Bearer token-1"),
                HTTPHeader("cpro-account", Fixture.cproAccount),
                HTTPHeader("Content-Type", "application/json;charset=utf-8"),
                HTTPHeader("Accept", "application/json"),
            ])
        // base64 of the UTF-8 bytes of login:password, non-ASCII password included
        #expect(
            String(decoding: Data(base64Encoded: Fixture.cproAccount)!, as: UTF8.self)
                == "TECH_1_12345678200051@cpro.fr:pässwörd-Secret-42")
        #expect(request.bodyText == #"{"structure":{"identifiantStructure":"12345678200051"}}"#)
    }

    @Test func everyRequestHasTheBearerNotOnlyTheFirst() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let client = Fixture.client(transport)
        for _ in 0..<3 { _ = try await client.call("recupererTauxTva") }
        #expect(
            transport.apiRequests.map { $0.headers[header: "Authorization"] }
                == Array(repeating: "Bearer token-1", count: 3))
        #expect(transport.tokenRequests.count == 1)
    }

    @Test func healthCheckIsAGetWithoutBody() async throws {
        let transport = FakeTransport.piste { _ in
            Fixture.ok(#"{"statusCodeValue":200,"statusCode":"OK","body":"disponible"}"#)
        }
        let result = try await Fixture.client(transport).health()
        #expect(result["statusCode"] == "OK")
        let request = try #require(transport.apiRequests.first)
        #expect(request.method == "GET")
        #expect(request.url.path == "/cpro/transverses/v1/health-check")
        #expect(request.body.isEmpty)
    }

    @Test func nullPayloadSendsAnEmptyObject() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        _ = try await Fixture.client(transport).call("transverses.recupererTauxTva", payload: .null)
        #expect(transport.apiRequests[0].bodyText == "{}")
    }

    @Test func a401DropsTheTokenAndReplaysOnce() async throws {
        let calls = Counter()
        let transport = FakeTransport.piste { _ in
            calls.next() == 1 ? .success(HTTPResponse(status: 401)) : Fixture.ok()
        }
        _ = try await Fixture.client(transport).call("recupererTauxTva")
        #expect(
            transport.apiRequests.map { $0.headers[header: "Authorization"] } == ["Bearer token-1", "Bearer token-2"])
        #expect(transport.tokenRequests.count == 2)
    }

    @Test func secondConsecutive401IsTheTechnicalAccountAndIsNotReplayedAgain() async throws {
        let transport = FakeTransport.piste { _ in
            .success(
                HTTPResponse(
                    status: 401,
                    headers: [
                        HTTPHeader(
                            "WWW-Authenticate",
                            #"Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects""#
                        ),
                        HTTPHeader("x-correlationid", "corr-123"),
                    ]))
        }
        let error = await Fixture.error { try await Fixture.client(transport).call("recupererTauxTva") }
        #expect(transport.apiRequests.count == 2)
        #expect(error?.code == .authAccount)
        #expect(error?.exitCode == 6)
        #expect(error?.status == 401)
        #expect(error?.operation == "transverses.recupererTauxTva")
        #expect(error?.correlationId == "corr-123")
        #expect(error?.wwwAuthenticate?.contains("login or password incorrects") == true)
        #expect(error?.message == "the technical account was refused (HTTP 401)")
        #expect(error?.remediation?.contains("424 days") == true)
        #expect(error?.remediation?.contains("« Déclarer un raccordement PISTE »") == true)
    }

    @Test func writesAreNeverRetried() async throws {
        let transport = FakeTransport.piste { _ in .success(HTTPResponse(status: 503)) }
        let clock = ManualClock()
        let error = await Fixture.error {
            try await Fixture.client(transport, clock: clock).call(
                "factures.deposerFluxFacture",
                payload: [
                    "fichierFlux": "UEsDBA==", "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE",
                ])
        }
        #expect(transport.apiRequests.count == 1)
        #expect(clock.sleeps.isEmpty)
        #expect(error?.code == .server)
        #expect(error?.retryable == false)
    }

    @Test func writesAreNotRetriedAfterATimeoutEither() async throws {
        let transport = FakeTransport.piste { _ in .failure(TransportFailure(.readTimeout, "read timeout")) }
        let error = await Fixture.error {
            try await Fixture.client(transport).call("soumettreFacture", payload: [:])
        }
        #expect(transport.apiRequests.count == 1)
        #expect(error?.code == .uncertain)
        #expect(
            error?.message
                == "factures.soumettreFacture may have been processed by sandbox-api.piste.gouv.fr but its answer was lost (no answer in time)"
        )
    }

    @Test func readsAreRetriedWithExponentialBackoff() async throws {
        let calls = Counter()
        let transport = FakeTransport.piste { _ in
            calls.next() < 3 ? .success(HTTPResponse(status: 502)) : Fixture.ok()
        }
        let clock = ManualClock()
        let client = Fixture.client(
            transport, clock: clock,
            configuration: Fixture.configuration(
                retry: RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 30)))
        _ = try await client.call("consulterCRDetaille", payload: ["numeroFluxDepot": "CPP0011110000000000001557"])
        #expect(transport.apiRequests.count == 3)
        // jitter 0.5 → 3/4 of the exponential delay: 1 s then 2 s
        #expect(clock.sleeps == [0.75, 1.5])
    }

    @Test func retryAfterIsHonouredOn429() async throws {
        let calls = Counter()
        let transport = FakeTransport.piste { _ in
            calls.next() == 1
                ? .success(HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "7")])) : Fixture.ok()
        }
        let clock = ManualClock()
        _ = try await Fixture.client(transport, clock: clock).call("rechercherStructure", payload: [:])
        #expect(clock.sleeps == [7])
        #expect(transport.apiRequests.count == 2)
    }

    @Test func retryAfterAsAnHTTPDateOn503() async throws {
        let clock = ManualClock()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: clock.now().addingTimeInterval(12))
        let calls = Counter()
        let transport = FakeTransport.piste { _ in
            calls.next() == 1
                ? .success(HTTPResponse(status: 503, headers: [HTTPHeader("Retry-After", date)])) : Fixture.ok()
        }
        _ = try await Fixture.client(transport, clock: clock).call("rechercherStructure", payload: [:])
        #expect(clock.sleeps == [12])
    }

    @Test func rateLimited429AfterAllAttempts() async {
        let transport = FakeTransport.piste { _ in
            .success(HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "1")]))
        }
        let error = await Fixture.error {
            try await Fixture.client(transport).call("rechercherStructure", payload: [:])
        }
        #expect(transport.apiRequests.count == 3)
        #expect(error?.code == .rateLimited)
        #expect(error?.exitCode == 3)
        #expect(error?.retryable == true)
    }

    @Test func rateLimitSpacesRequestStarts() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let clock = ManualClock()
        let client = Fixture.client(
            transport, clock: clock,
            configuration: Fixture.configuration(
                limits: TrafficLimits(requestsPerSecond: 4, maxConcurrentRequests: 2)))
        for _ in 0..<3 { _ = try await client.call("recupererPays") }
        #expect(clock.sleeps == [0.25, 0.25])
    }

    @Test func concurrencyCapHoldsRequestsInFlight() async throws {
        let inFlight = InFlight()
        let gate = AsyncGate()
        let transport = FakeTransport.piste { _ in
            await inFlight.enter()
            await gate.wait()
            await inFlight.leave()
            return Fixture.ok()
        }
        let client = Fixture.client(
            transport,
            configuration: Fixture.configuration(
                limits: TrafficLimits(maxConcurrentRequests: 2)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { _ = try await client.call("recupererPays") } }
            while await inFlight.current < 2 { await Task.yield() }
            for _ in 0..<100 { await Task.yield() }
            #expect(await inFlight.current == 2)
            await gate.open()
            try await group.waitForAll()
        }
        #expect(await inFlight.maximum == 2)
        #expect(transport.apiRequests.count == 6)
    }

    @Test func productionWritesNeedAllowWrites() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let client = Fixture.client(transport, configuration: Fixture.configuration(.prod, endpoints: .prod))
        let error = await Fixture.error { try await client.call("deposerFluxFacture", payload: [:]) }
        #expect(error?.code == .config)
        #expect(
            error?.message
                == "factures.deposerFluxFacture changes data in production; unattended writes need allow_writes = true in the profile"
        )
        #expect(transport.requests.isEmpty)
        _ = try await client.call("deposerFluxFacture", payload: [:], allowWrite: true)
        #expect(transport.apiRequests.count == 1)
    }

    @Test func missingTechnicalAccountNamesWhatToSet() async {
        var configuration = Fixture.configuration()
        configuration.technicalAccount = .missing(
            .missingCredential(
                "technical account login", variable: "CHORUS_TECH_LOGIN", profileKey: "tech_login", profile: nil,
                configPath: nil))
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let error = await Fixture.error { try await Fixture.client(transport, configuration: configuration).health() }
        #expect(
            error?.message
                == "missing technical account login: set CHORUS_TECH_LOGIN, or tech_login in a profile (see `chorus config init`)"
        )
        #expect(error?.exitCode == 2)
        #expect(transport.requests.isEmpty)
    }
}

actor InFlight {
    private(set) var current = 0
    private(set) var maximum = 0
    func enter() {
        current += 1
        maximum = max(maximum, current)
    }
    func leave() { current -= 1 }
}
