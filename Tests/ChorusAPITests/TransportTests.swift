import AsyncHTTPClient
import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import NIOCore
import NIOPosix
import NIOSSL
import Testing

/// The real async-http-client transport against loopback servers only.
@Suite struct TransportTests {
    /// Sends the request `make` builds for `cpro/x` on a loopback server that answers `{"size":N}`, N the
    /// body size it received, through a fresh transport shut down whatever happens (an HTTP client
    /// dropped without shutdown ends the test process); the answer, and the requests the server got.
    static func postToSizeEcho(
        _ make: (URL) -> HTTPRequest
    ) async throws -> (answer: Result<HTTPResponse, TransportFailure>, received: [HTTPRequest]) {
        let server = try await LoopbackHTTPServer.start { request in .json(200, #"{"size":\#(request.body.count)}"#) }
        let transport = AsyncHTTPClientTransport(connectTimeout: 2, readTimeout: 30)
        let result: Result<HTTPResponse, TransportFailure>
        do {
            result = .success(try await transport.send(make(server.baseURL.appendingPathComponent("cpro/x")), timeout: 30))
        } catch { result = .failure(error) }
        await transport.shutdown()
        await server.stop()
        return (result, server.requests)
    }

    @Test func roundTripKeepsMethodHeadersAndBody() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            .json(201, #"{"echo":\#(request.bodyText)}"#, headers: [HTTPHeader("x-correlationid", "abc")])
        }
        let transport = AsyncHTTPClientTransport(connectTimeout: 2, readTimeout: 30)
        // The transport is shut down whatever happens: an HTTP client dropped without shutdown
        // ends the test process.
        let result: Result<HTTPResponse, TransportFailure>
        do {
            result = .success(
                try await transport.send(
                    HTTPRequest(
                        method: "POST", url: server.baseURL.appendingPathComponent("cpro/x"),
                        headers: [
                            HTTPHeader("Content-Type", "application/json;charset=utf-8"),
                            HTTPHeader("cpro-account", "YTpi"),
                        ],
                        body: Array(#"{"a":1}"#.utf8)),
                    timeout: 30))
        } catch { result = .failure(error) }
        await transport.shutdown()
        await server.stop()
        let response = try result.get()
        #expect(response.status == 201)
        #expect(response.bodyText == #"{"echo":{"a":1}}"#)
        #expect(response.headers[header: "x-correlationid"] == "abc")
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.headers[header: "Content-Type"] == "application/json;charset=utf-8")
        #expect(received.headers[header: "cpro-account"] == "YTpi")
    }

    /// A body larger than the transport's 64 KB chunks (a 9.5 MB invoice's deposit) arrives whole, with
    /// its length announced.
    @Test func aLargeBodyArrivesWholeWithItsLength() async throws {
        let body = (0..<13_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 13) }
        let (result, requests) = try await Self.postToSizeEcho { HTTPRequest(method: "POST", url: $0, body: body) }
        #expect(try result.get().bodyText == #"{"size":13000000}"#)
        let received = try #require(requests.first)
        #expect(received.headers[header: "Content-Length"] == "13000000")
        #expect(received.headers[header: "Transfer-Encoding"] == nil)
        #expect(received.body == body)
    }

    /// A streamed body (a deposit's, base64 written as it is sent) arrives as the whole body would,
    /// with its length announced.
    @Test func aStreamedDepositBodyArrivesWholeWithItsLength() async throws {
        let file = (0..<2_000_003).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 11) }
        let flux = try FluxDeposit(bytes: file, name: "big.xml", syntax: "IN_DP_E1_UBL_INVOICE")
        let (result, requests) = try await Self.postToSizeEcho { HTTPRequest(method: "POST", url: $0, streamed: flux.body) }
        #expect(try result.get().bodyText == #"{"size":\#(flux.body.count)}"#)
        let received = try #require(requests.first)
        #expect(received.headers[header: "Content-Length"] == String(flux.body.count))
        #expect(received.body == flux.requestBody)
        #expect(try JSONValue.parse(received.body)["fichierFlux"] == .string(Data(file).base64EncodedString()))
    }

    /// A deposit whose body fits in one chunk (a typical invoice) is sent whole with the head, its
    /// length announced, the same bytes as the streamed form.
    @Test func aSmallDepositBodyArrivesWholeWithItsLength() async throws {
        let file = Array("<Invoice>\(String(repeating: "é", count: 2000))</Invoice>".utf8)
        let flux = try FluxDeposit(bytes: file, name: "small.xml", syntax: "IN_DP_E1_UBL_INVOICE")
        let (result, requests) = try await Self.postToSizeEcho { HTTPRequest(method: "POST", url: $0, streamed: flux.body) }
        #expect(flux.body.count < 64 * 1024)
        #expect(try result.get().bodyText == #"{"size":\#(flux.body.count)}"#)
        let received = try #require(requests.first)
        #expect(received.headers[header: "Content-Length"] == String(flux.body.count))
        #expect(received.body == flux.requestBody)
    }

    /// A request whose task is cancelled before it is sent fails as cancelled, and nothing reaches the server.
    @Test func aRequestCancelledBeforeItLeavesIsNeverSent() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json(200, "{}") }
        let transport = AsyncHTTPClientTransport(connectTimeout: 2, readTimeout: 5)
        let url = server.baseURL.appendingPathComponent("cpro/x")
        let sending = Task { () -> TransportFailure? in
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(TransportFailure) {
                _ = try await transport.send(HTTPRequest(method: "POST", url: url, body: Array("{}".utf8)), timeout: 5)
                return nil
            } catch { return error }
        }
        let failure = await sending.value
        await transport.shutdown()
        await server.stop()
        #expect(failure?.kind == .cancelled, "\(String(describing: failure))")
        #expect(server.requests.isEmpty)
    }

    @Test func tlsToAPlainServerIsATLSFailure() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json(200, "{}") }
        let transport = AsyncHTTPClientTransport(connectTimeout: 2, readTimeout: 2)
        var failure: TransportFailure?
        do {
            _ = try await transport.send(
                HTTPRequest(method: "GET", url: URL(string: "https://127.0.0.1:\(server.port)/")!),
                timeout: 3)
        } catch { failure = error }
        await transport.shutdown()
        await server.stop()
        #expect(failure?.kind == .tlsFailure, "\(String(describing: failure))")
        let error = failure.map { ChorusError.transport($0, host: "127.0.0.1", operation: nil, environment: "custom") }
        #expect(error?.message == "TLS handshake with 127.0.0.1 failed")
        #expect(error?.exitCode == 3)
    }

    @Test func silentServerIsAReadTimeout() async throws {
        let server = try await LoopbackHTTPServer.start { _ in nil }
        let transport = AsyncHTTPClientTransport(connectTimeout: 2, readTimeout: 0.3)
        var failure: TransportFailure?
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL), timeout: 5)
        } catch { failure = error }
        await transport.shutdown()
        await server.stop()
        #expect(failure?.kind == .readTimeout, "\(String(describing: failure))")
    }

    @Test func closedPortIsAConnectionFailure() async throws {
        let refusing = try RefusingPort()
        let port = refusing.port
        let transport = AsyncHTTPClientTransport(connectTimeout: 2, readTimeout: 2)
        var failure: TransportFailure?
        do {
            _ = try await transport.send(
                HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(port)/")!), timeout: 3)
        } catch { failure = error }
        await transport.shutdown()
        #expect(failure?.kind == .connectionRefused, "\(String(describing: failure))")
        #expect(failure?.detail == "connection refused")
        #expect(failure?.kind.requestNeverSent == true)
        withExtendedLifetime(refusing) {}
    }

    /// DNS is never queried in tests (no network); the classification of resolver errors is checked directly.
    @Test func resolverErrorsAreDNSFailures() {
        let failure = AsyncHTTPClientTransport.classify(
            SocketAddressError.unknown(host: "sandbox-api.piste.invalid", port: 443))
        #expect(failure.kind == .dnsFailure)
        let error = ChorusError.transport(
            failure, host: "sandbox-api.piste.invalid", operation: "transverses.healthCheck",
            environment: "custom")
        #expect(error.message == "cannot resolve host sandbox-api.piste.invalid")
        #expect(error.code == .network)
        #expect(error.remediation?.contains("*.aife.economie.gouv.fr") == true)
        #expect(AsyncHTTPClientTransport.classify(HTTPClientError.readTimeout).kind == .readTimeout)
        #expect(AsyncHTTPClientTransport.classify(HTTPClientError.connectTimeout).kind == .connectTimeout)
        #expect(AsyncHTTPClientTransport.classify(CancellationError()).kind == .cancelled)
    }
}
