import ChorusAPI
import ChorusTestSupport
import Foundation
import Testing

/// A write whose request may have reached the platform but whose answer was lost is `UNCERTAIN` (exit 9),
/// never a network error whose remediation says "check the URL and port"; a write that certainly never
/// left keeps its network class.
@Suite struct UncertainWriteTests {
    private func depositError(_ failure: TransportFailure) async -> (ChorusError?, Int) {
        let transport = FakeTransport.piste { _ in .failure(failure) }
        let error = await Fixture.error {
            try await Fixture.client(transport).call(
                "factures.deposerFluxFacture",
                payload: ["fichierFlux": "UEsDBA==", "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"])
        }
        return (error, transport.apiRequests.count)
    }

    @Test(arguments: [
        (TransportFailure.Kind.readTimeout, "no answer in time"),
        (.connectionFailed, "the connection dropped after the request was sent"),
        (.cancelled, "cancelled while the request was in flight"),
        (.other, "the request failed after it was sent: boom"),
    ])
    func aWriteWhoseAnswerWasLostIsUncertain(kind: TransportFailure.Kind, cause: String) async {
        let (error, sent) = await depositError(TransportFailure(kind, "boom"))
        #expect(sent == 1)
        #expect(error?.code == .uncertain)
        #expect(error?.exitCode == 9)
        #expect(error?.retryable == false)
        #expect(
            error?.message
                == "factures.deposerFluxFacture may have been processed by sandbox-api.piste.gouv.fr but its answer was lost (\(cause))"
        )
        #expect(error?.remediation == Remediation.uncertain)
        #expect(error?.remediation?.contains("chorus ledger reconcile") == true)
        #expect(error?.remediation?.contains("check the URL and port") == false)
    }

    @Test(arguments: [
        (TransportFailure.Kind.dnsFailure, ChorusError.Code.network),
        (.tlsFailure, .network),
        (.connectTimeout, .timeout),
        (.connectionRefused, .network),
    ])
    func aWriteThatNeverLeftKeepsItsNetworkClass(kind: TransportFailure.Kind, code: ChorusError.Code) async {
        let (error, sent) = await depositError(TransportFailure(kind, "refused"))
        #expect(sent == 1)
        #expect(error?.code == code)
        #expect(error?.exitCode == 3)
        #expect(kind.requestNeverSent)
    }

    @Test func aReadWhoseAnswerWasLostIsStillATimeout() async {
        let transport = FakeTransport.piste { _ in .failure(TransportFailure(.readTimeout, "x")) }
        let client = Fixture.client(transport, configuration: Fixture.configuration(retry: .none))
        let error = await Fixture.error { try await client.call("recupererPays") }
        #expect(error?.code == .timeout)
        #expect(error?.exitCode == 3)
    }

    @Test func aGatewayTimeoutOnAWriteIsUncertain() async {
        let transport = FakeTransport.piste { _ in
            .success(.json(504, #"{"message":"Gateway Timeout"}"#, headers: [HTTPHeader("x-correlationid", "c-504")]))
        }
        let error = await Fixture.error {
            try await Fixture.client(transport).call("soumettreFacture", payload: [:])
        }
        #expect(transport.apiRequests.count == 1)
        #expect(error?.code == .uncertain)
        #expect(error?.status == 504)
        #expect(error?.correlationId == "c-504")
        #expect(error?.message.hasSuffix("(the gateway timed out, HTTP 504)") == true)
    }

    @Test func aDroppedConnectionOnTheRealTransportIsUncertain() async throws {
        let server = try await LoopbackHTTPServer.piste { _ in LoopbackHTTPServer.dropConnection }
        let transport = AsyncHTTPClientTransport(connectTimeout: 2, readTimeout: 5)
        var configuration = Fixture.configuration(
            .custom, endpoints: Endpoints(tokenURL: server.tokenURL, apiBaseURL: server.baseURL))
        configuration.timeout = 10
        let client = ChorusClient(configuration: configuration, transport: transport)
        let error = await Fixture.error {
            try await client.call(
                "factures.deposerFluxFacture",
                payload: ["fichierFlux": "UEsDBA==", "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"])
        }
        await transport.shutdown()
        await server.stop()
        #expect(server.requests.filter { $0.url.path.hasPrefix("/cpro/") }.count == 1)
        #expect(error?.code == .uncertain, "\(String(describing: error))")
        #expect(error?.exitCode == 9)
    }

    @Test func duplicateIsALedgerRefusalWithExit9() {
        #expect(ChorusError.Code.duplicate.exitCode == 9)
        #expect(ChorusError.Code.duplicate.isTransient == false)
        #expect(Vocabulary.errorCodes.contains("UNCERTAIN"))
        #expect(Vocabulary.errorCodes.contains("DUPLICATE"))
    }
}
