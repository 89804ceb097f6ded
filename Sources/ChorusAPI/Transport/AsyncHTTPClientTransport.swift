import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The real transport: async-http-client with connect and read timeouts, no redirects.
///
/// Redirects are refused because a token endpoint or API that redirects is not PISTE (a captive portal,
/// a login page) and following it would send credentials elsewhere.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let ownsClient: Bool
    /// Largest response body accepted (a group download is at most 120 Mo, base64 adds a third).
    public static let maximumBodyBytes = 200 * 1024 * 1024

    /// A process-wide transport that never needs `shutdown()`. It has no idle-read timeout of its own:
    /// each request is bounded by the `timeout` passed to `send` (the profile's `timeout`).
    public static let shared = AsyncHTTPClientTransport(connectTimeout: 10, readTimeout: nil, owned: false)

    /// A transport with its own connection pool; call `shutdown()` when done.
    /// - Parameters:
    ///   - connectTimeout: seconds to establish TCP and TLS.
    ///   - readTimeout: seconds without a byte from the server before giving up.
    public convenience init(connectTimeout: Double = 10, readTimeout: Double = 60) {
        self.init(connectTimeout: connectTimeout, readTimeout: readTimeout, owned: true)
    }

    private init(connectTimeout: Double, readTimeout: Double?, owned: Bool) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .milliseconds(Int64(connectTimeout * 1000)),
            read: readTimeout.map { .milliseconds(Int64($0 * 1000)) })
        configuration.redirectConfiguration = .disallow
        // The pool would otherwise retry a refused connection until the request's deadline (30 s and
        // more with nothing listening); the client's own retry rules decide instead.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .enabled(limit: .ratio(100))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        ownsClient = owned
    }

    public func send(_ request: HTTPRequest, timeout: Double) async throws(TransportFailure) -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let streamed = request.streamed {
            // Produced as it is sent (a deposit), with its length announced.
            outgoing.body = .stream(
                RequestBodyChunks(source: .streamed(streamed)), length: .known(Int64(streamed.count)))
        } else if !request.body.isEmpty || request.method == "POST" {
            // A large body goes out in small chunks copied as they are sent, so it is not held twice.
            let body = request.body
            outgoing.body =
                body.count <= RequestBodyChunks.chunkSize
                ? .bytes(ByteBuffer(bytes: body))
                : .stream(RequestBodyChunks(source: .bytes(body)), length: .known(Int64(body.count)))
        }
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(timeout * 1000)))
            let buffer = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                body: Array(buffer.readableBytesView))
        } catch {
            throw Self.classify(error)
        }
    }

    public func shutdown() async {
        guard ownsClient else { return }
        try? await client.shutdown()
    }

    /// Maps the errors of async-http-client, NIO and NIOSSL to the few cases the client explains.
    public static func classify(_ error: any Error) -> TransportFailure {
        if error is CancellationError { return TransportFailure(.cancelled, "cancelled") }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return TransportFailure(.connectTimeout, "connection timed out")
            case .readTimeout, .writeTimeout, .deadlineExceeded:
                return TransportFailure(.readTimeout, "no answer in time")
            case .cancelled:
                return TransportFailure(.cancelled, "cancelled")
            case .remoteConnectionClosed:
                return TransportFailure(.connectionFailed, "the server closed the connection")
            default:
                return TransportFailure(.other, String(describing: error))
            }
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return TransportFailure(.dnsFailure, "cannot resolve host \(error.host)")
            }
            let refused = error.connectionErrors.allSatisfy { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
            if refused { return TransportFailure(.connectionRefused, "connection refused") }
            let causes = error.connectionErrors.map { Self.plainCause($0.error) }.joined(separator: "; ")
            return TransportFailure(.connectionRefused, "cannot connect: \(causes)")
        }
        if let error = error as? SocketAddressError.UnknownHost {
            return TransportFailure(.dnsFailure, "cannot resolve host \(error.host)")
        }
        if error is SocketAddressError {
            return TransportFailure(.dnsFailure, "cannot resolve host (\(error))")
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return TransportFailure(.tlsFailure, "TLS handshake failed (\(error))")
        }
        if let error = error as? IOError {
            // Refused at connect time: nothing was sent. Any other socket error may come after the request left.
            if error.errnoCode == ECONNREFUSED { return TransportFailure(.connectionRefused, "connection refused") }
            return TransportFailure(.connectionFailed, Self.plainCause(error))
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return TransportFailure(.connectTimeout, "connection timed out")
        }
        return TransportFailure(.other, String(describing: error))
    }

    /// A socket error in plain words: the system's text for its errno ("Connection reset by peer"),
    /// not NIO's description, which names the failing call and can say "reset" for a refusal.
    static func plainCause(_ error: any Error) -> String {
        guard let error = error as? IOError else { return String(describing: error) }
        return String(cString: strerror(error.errnoCode)) + " (errno \(error.errnoCode))"
    }
}
