import ChorusAPI
import ChorusTestSupport
import Foundation
import Testing

@Suite struct TokenProviderTests {
    func provider(
        _ transport: FakeTransport, clock: ManualClock = ManualClock(), cache: TokenDiskCache? = nil,
        secret: String = Fixture.clientSecret
    ) -> TokenProvider {
        TokenProvider(
            environmentName: "sandbox", tokenURL: Endpoints.sandbox.tokenURL,
            credentials: ApplicationCredentials(clientId: Fixture.clientId, clientSecret: secret),
            transport: transport, clock: clock, diskCache: cache, retry: .none, jitter: FixedJitter())
    }

    @Test func sendsTheExactClientCredentialsRequest() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let (token, fromCache) = try await provider(transport).token()
        #expect(token.value == "token-1")
        #expect(token.scope == "openid")
        #expect(!fromCache)
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "https://sandbox-oauth.piste.gouv.fr/api/oauth/token")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                HTTPHeader("Accept", "application/json"),
            ])
        #expect(
            request.bodyText == "grant_type=client_credentials&client_id=0f1e2d3c-client-id"
                + "&client_secret=S3CR3T-client-secret-value&scope=openid")
    }

    @Test func formEncodesReservedCharactersOfTheSecret() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let provider = TokenProvider(
            environmentName: "sandbox", tokenURL: Endpoints.sandbox.tokenURL,
            credentials: ApplicationCredentials(clientId: "id", clientSecret: "a+b&c=d é"),
            transport: transport, clock: ManualClock())
        _ = try await provider.token()
        #expect(transport.requests[0].bodyText.contains("client_secret=a%2Bb%26c%3Dd%20%C3%A9&"))
    }

    @Test func cachesUntilTheSafetyMarginBeforeExpiry() async throws {
        let clock = ManualClock()
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let provider = provider(transport, clock: clock)
        _ = try await provider.token()
        clock.advance(by: 3600 - 241)
        let (second, fromCache) = try await provider.token()
        #expect(second.value == "token-1")
        #expect(fromCache)
        #expect(transport.tokenRequests.count == 1)
        clock.advance(by: 2)  // now inside the 240 s margin
        let (third, _) = try await provider.token()
        #expect(third.value == "token-2")
        #expect(transport.tokenRequests.count == 2)
    }

    @Test func singleFlightHundredConcurrentCallersMakeOneRequest() async throws {
        let gate = AsyncGate()
        let transport = FakeTransport { request in
            await gate.wait()  // hold the token request until every caller is queued behind it
            return .success(.json(200, #"{"access_token":"only","token_type":"Bearer","expires_in":3600}"#))
        }
        let provider = provider(transport)
        let started = Counter()
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    _ = started.next()
                    return try await provider.token().token.value
                }
            }
            while transport.requests.isEmpty || started.current < 100 { await Task.yield() }
            for _ in 0..<100 { await Task.yield() }
            await gate.open()
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(values.count == 100)
        #expect(Set(values) == ["only"])
        #expect(transport.requests.count == 1)
        #expect(await provider.requestsSent == 1)
    }

    @Test func diskCacheIsPrivateAndReusedByTheNextRun() async throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = TokenDiskCache(directory: dir.appendingPathComponent("chorus"))
        let clock = ManualClock()
        let first = FakeTransport.piste { _ in Fixture.ok() }
        _ = try await provider(first, clock: clock, cache: cache).token()
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory.path)
        #expect(files.count == 1)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: cache.directory.appendingPathComponent(files[0]).path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let dirAttributes = try FileManager.default.attributesOfItem(atPath: cache.directory.path)
        #expect((dirAttributes[.posixPermissions] as? Int) == 0o700)

        let second = FakeTransport.piste { _ in Fixture.ok() }
        let (token, fromCache) = try await provider(second, clock: clock, cache: cache).token()
        #expect(token.value == "token-1")
        #expect(fromCache)
        #expect(second.requests.isEmpty)
        // The file neither holds nor reveals the secret, only a digest of the credentials.
        let text = try String(contentsOf: cache.directory.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(!text.contains(Fixture.clientSecret))
        #expect(text.contains("credentials_digest"))
    }

    @Test func aChangedSecretNeverReusesTheCachedToken() async throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = TokenDiskCache(directory: dir.appendingPathComponent("chorus"))
        let clock = ManualClock()
        _ = try await provider(FakeTransport.piste { _ in Fixture.ok() }, clock: clock, cache: cache).token()
        // A wrong secret now: PISTE must be asked (and refuses), never the old secret's token reused.
        let refusing = FakeTransport { _ in .success(.json(401, #"{"error":"invalid_client"}"#)) }
        let error = await Fixture.error {
            try await provider(refusing, clock: clock, cache: cache, secret: "wrong-secret").token()
        }
        #expect(refusing.requests.count == 1)
        #expect(error?.code == .authApp)
        // The right secret still finds its own token.
        let again = FakeTransport.piste { _ in Fixture.ok() }
        let (_, fromCache) = try await provider(again, clock: clock, cache: cache).token()
        #expect(fromCache)
        #expect(again.requests.isEmpty)
    }

    @Test func tokenEndpointAnsweringHTMLIsAnEnvironmentError() async {
        let transport = FakeTransport { _ in
            .success(
                HTTPResponse(
                    status: 200, headers: [HTTPHeader("Content-Type", "text/html")],
                    body: Array("<html><body>Portail</body></html>".utf8)))
        }
        let error = await Fixture.error { try await provider(transport).token() }
        #expect(error?.code == .environment)
        #expect(error?.exitCode == 3)
        #expect(
            error?.message
                == "the token endpoint sandbox-oauth.piste.gouv.fr answered HTTP 200 with an HTML page (text/html)")
    }

    @Test func tokenEndpointWithEmptyBody() async {
        let transport = FakeTransport { _ in .success(HTTPResponse(status: 200)) }
        let error = await Fixture.error { try await provider(transport).token() }
        #expect(error?.message == "the token endpoint sandbox-oauth.piste.gouv.fr answered HTTP 200 with an empty body")
        #expect(error?.code == .environment)
    }

    @Test func tokenEndpointWithoutAccessToken() async {
        let transport = FakeTransport { _ in .success(.json(200, #"{"token_type":"Bearer","expires_in":3600}"#)) }
        let error = await Fixture.error { try await provider(transport).token() }
        #expect(
            error?.message
                == "the token endpoint sandbox-oauth.piste.gouv.fr answered HTTP 200 with JSON that has no access_token"
        )
    }

    @Test func invalidClientIsAnApplicationCredentialError() async {
        let transport = FakeTransport { _ in
            .success(.json(400, #"{"error":"invalid_client","error_description":"Client authentication failed"}"#))
        }
        let error = await Fixture.error { try await provider(transport).token() }
        #expect(error?.code == .authApp)
        #expect(error?.exitCode == 4)
        #expect(error?.status == 400)
        #expect(error?.libelle == "invalid_client: Client authentication failed")
        #expect(
            error?.message
                == "PISTE refused the application credentials of client id 0f1e2d3c-client-id (HTTP 400, invalid_client)"
        )
        #expect(error?.remediation?.contains("« Authentification »") == true)
        #expect(error?.retryable == false)
    }
}

/// Lets a test hold fake responses until it opens the gate.
actor AsyncGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
