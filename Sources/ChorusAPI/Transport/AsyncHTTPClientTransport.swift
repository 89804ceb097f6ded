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
    private let templates = RequestTemplates()
    /// Largest response body accepted (a group download is at most 120 Mo, base64 adds a third).
    public static let maximumBodyBytes = 200 * 1024 * 1024

    /// The one event loop of every transport's connections, for the life of the process. One loop
    /// rather than one per core: a request's body is written, and its whole answer gathered, on the
    /// loop of its connection, and with a single loop that is always the loop the request was handed
    /// to, so a request never crosses from one loop to another (with two loops, about half the
    /// requests did, several times each). The client's own I/O is light next to what one loop carries.
    static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

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
        // No tracer is ever installed: without this, every request still builds a no-op span and its attributes.
        configuration.tracing.tracer = nil
        client = HTTPClient(eventLoopGroup: Self.loops, configuration: configuration)
        ownsClient = owned
    }

    public func send(_ request: HTTPRequest, timeout: Double) async throws(TransportFailure) -> HTTPResponse {
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        if request.bodyCount <= RequestBodyChunks.chunkSize {
            return try await sendWhole(request, deadline: deadline)
        }
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        // A large body goes out in small chunks made as they are sent (a streamed deposit's base64 is
        // encoded as it goes), so it is never held twice; the connection asks for each chunk as the socket drains.
        let source: RequestBodyChunks.Source = request.streamed.map { .streamed($0) } ?? .bytes(request.body)
        outgoing.body = .stream(RequestBodyChunks(source: source), length: .known(Int64(source.count)))
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            let buffer = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                body: Array(buffer.readableBytesView))
        } catch {
            throw Self.classify(error)
        }
    }

    /// Sends a request whose body fits in one chunk (every request but a large deposit). It is handed
    /// to the event loop once, and everything else happens there: the request is set up and written,
    /// head and body in one turn, and the whole answer is gathered (within `maximumBodyBytes`), then
    /// comes back once. Started from another thread, async-http-client's set-up would itself hand the
    /// loop several pieces of work (its deadline timer, its completion callbacks, the connection's
    /// write), and its async API also starts a task per request and crosses threads again for the
    /// answer's head and its body.
    private func sendWhole(_ request: HTTPRequest, deadline: NIODeadline) async throws(TransportFailure) -> HTTPResponse {
        var outgoing: HTTPClient.Request
        do {
            outgoing = try templates.request(method: request.method, url: request.url)
        } catch {
            throw Self.classify(error)
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count)
        for header in request.headers { headers.add(name: header.name, value: header.value) }
        outgoing.headers = headers
        if let streamed = request.streamed {
            outgoing.body = .byteBuffer(RequestBodyChunks.buffer(streamed, from: 0, length: streamed.count))
        } else if !request.body.isEmpty || request.method == "POST" {
            outgoing.body = .byteBuffer(ByteBuffer(bytes: request.body))
        }
        let client = client
        let ready = outgoing
        let loop = Self.loops.next()
        let pending = PendingRequest()
        do {
            // A task cancelled already runs `onCancel` before the operation: nothing is handed to the loop.
            let response = try await withTaskCancellationHandler {
                try await loop.flatSubmit { () -> EventLoopFuture<HTTPClient.Response> in
                    let task = pending.start {
                        client.execute(
                            request: ready,
                            delegate: ResponseAccumulator(request: ready, maxBodySize: Self.maximumBodyBytes),
                            eventLoop: .indifferent, deadline: deadline, logger: nil)
                    }
                    // Cancelled before it reached the loop: nothing was sent.
                    return task?.futureResult ?? loop.makeFailedFuture(HTTPClientError.cancelled)
                }.get()
            } onCancel: {
                pending.cancel()
            }
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                body: response.body.map { Array($0.readableBytesView) } ?? [])
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

/// The fixed part of the requests sent (method and URL, taken apart and checked by async-http-client)
/// by method and URL: a client sends to a handful of URLs, one per operation, so each is taken apart
/// once rather than at every request (through Foundation's `URLComponents`).
private final class RequestTemplates: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [String: HTTPClient.Request] = [:]
    /// Kept at most; past it the table starts again (a client calling ever new URLs).
    private static let capacity = 256

    /// A request to `url` with `method`, without headers or body; throws what async-http-client
    /// throws for a URL it refuses.
    func request(method: String, url: URL) throws -> HTTPClient.Request {
        let key = method + " " + url.absoluteString
        if let known = lock.withLock({ requests[key] }) { return known }
        let made = try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: method))
        lock.withLock {
            if requests.count >= Self.capacity { requests.removeAll() }
            requests[key] = made
        }
        return made
    }
}

/// A request handed to the event loop: its task once started, or that it was cancelled first.
private final class PendingRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var task: HTTPClient.Task<HTTPClient.Response>?
    private var cancelled = false

    /// Starts the request with `execute` unless it was cancelled already (then nil).
    func start(_ execute: () -> HTTPClient.Task<HTTPClient.Response>) -> HTTPClient.Task<HTTPClient.Response>? {
        lock.withLock {
            guard !cancelled else { return nil }
            let started = execute()
            task = started
            return started
        }
    }

    /// Cancels the request: at once if started, else when it reaches the loop.
    func cancel() {
        let started = lock.withLock { () -> HTTPClient.Task<HTTPClient.Response>? in
            cancelled = true
            return task
        }
        started?.cancel()
    }
}
