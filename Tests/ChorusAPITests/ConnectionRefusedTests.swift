import ChorusAPI
import ChorusTestSupport
import Foundation
import Testing

/// Nothing listening is not worth waiting for: a refused connection fails fast, with at most one quick
/// retry for reads, and says so in plain words with the attempts counted.
@Suite struct ConnectionRefusedTests {
    @Test func aRefusedReadIsTriedTwiceAndSaysNothingListens() async {
        let transport = FakeTransport.piste { _ in .failure(TransportFailure(.connectionRefused, "connection refused")) }
        let clock = ManualClock()
        let error = await Fixture.error { try await Fixture.client(transport, clock: clock).call("recupererPays") }
        #expect(transport.apiRequests.count == 2)
        #expect(error?.code == .network)
        #expect(error?.exitCode == 3)
        #expect(error?.message == "nothing listens on sandbox-api.piste.gouv.fr:443 (connection refused), 2 attempts")
        // The one retry is quick: the clock was asked for one pause of at most 0.2 s.
        #expect(clock.sleeps.count == 1)
        #expect(clock.sleeps.allSatisfy { $0 <= 0.2 })
    }

    @Test func otherTransientFailuresKeepTheFullRetryPolicy() async {
        let transport = FakeTransport.piste { _ in .failure(TransportFailure(.connectTimeout, "connection timed out")) }
        let error = await Fixture.error { try await Fixture.client(transport).call("recupererPays") }
        #expect(transport.apiRequests.count == 3)
        #expect(error?.message == "connecting to sandbox-api.piste.gouv.fr timed out, 3 attempts")
    }

    @Test func aRefusedTokenEndpointIsTriedTwice() async {
        let transport = FakeTransport { _ in .failure(TransportFailure(.connectionRefused, "connection refused")) }
        let error = await Fixture.error { try await Fixture.client(transport).call("recupererPays") }
        #expect(transport.tokenRequests.count == 2)
        #expect(transport.apiRequests.isEmpty)
        #expect(error?.operation == "token")
        #expect(error?.message == "nothing listens on sandbox-oauth.piste.gouv.fr:443 (connection refused), 2 attempts")
    }

    /// The real transport against a closed loopback port: no pool-level retries until the deadline.
    @Test func aClosedLoopbackPortIsReportedPlainly() async throws {
        let refusing = try RefusingPort()
        let port = refusing.port
        let transport = AsyncHTTPClientTransport(connectTimeout: 5, readTimeout: 5)
        let endpoints = Endpoints(
            tokenURL: URL(string: "http://127.0.0.1:\(port)/api/oauth/token")!,
            apiBaseURL: URL(string: "http://127.0.0.1:\(port)")!)
        let client = ChorusClient(
            configuration: Fixture.configuration(.custom, endpoints: endpoints), transport: transport,
            clock: ManualClock(), jitter: FixedJitter(0.5))
        let error = await Fixture.error { try await client.call("recupererPays") }
        await transport.shutdown()
        #expect(error?.message == "nothing listens on 127.0.0.1:\(port) (connection refused), 2 attempts")
        #expect(error?.remediation?.contains("check the URL and port") == true)
        withExtendedLifetime(refusing) {}
    }
}
