import ChorusAPI
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for end-to-end tests of the real
/// transport and of the `chorus` binary. It records every request and answers from a handler; a nil
/// answer keeps the connection silent (to provoke read timeouts).
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// Decides the answer to a request; nil never answers.
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse?

    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []

    /// The bound port.
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    /// `http://127.0.0.1:PORT/api/oauth/token`.
    public var tokenURL: URL { URL(string: "http://127.0.0.1:\(port)/api/oauth/token")! }

    /// Every request received, in order.
    public var requests: [HTTPRequest] { lock.withLock { recorded } }

    private init(group: MultiThreadedEventLoopGroup, channel: Channel) {
        self.group = group
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    /// Starts a server answering with `handler`.
    public static func start(handler: @escaping Handler) async throws -> LoopbackHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = ServerBox()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RequestHandler(handler: handler, record: { box.server?.record($0) }))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        let server = LoopbackHTTPServer(group: group, channel: channel)
        box.server = server
        return server
    }

    /// A server that speaks PISTE enough for the CLI: tokens on `/api/oauth/token`, `api` for the rest.
    public static func piste(
        token: @escaping @Sendable (HTTPRequest) -> HTTPResponse = { _ in
            .json(200, #"{"access_token":"loopback-token","token_type":"Bearer","expires_in":3600,"scope":"openid"}"#)
        },
        api: @escaping Handler
    ) async throws -> LoopbackHTTPServer {
        try await start { request in
            request.url.path == "/api/oauth/token" ? token(request) : await api(request)
        }
    }

    /// An answer that closes the connection after the request was read, without a response: the server
    /// received the request and the client never learns what happened to it.
    public static let dropConnection = HTTPResponse(status: -1)

    func record(_ request: HTTPRequest) { lock.withLock { recorded.append(request) } }

    /// Stops the server and its threads.
    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

private final class ServerBox: @unchecked Sendable {
    weak var server: LoopbackHTTPServer?
}

private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let handler: LoopbackHTTPServer.Handler
    let record: @Sendable (HTTPRequest) -> Void
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(handler: @escaping LoopbackHTTPServer.Handler, record: @escaping @Sendable (HTTPRequest) -> Void) {
        self.handler = handler
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = HTTPRequest(
                method: head.method.rawValue, url: URL(string: "http://127.0.0.1\(head.uri)")!,
                headers: head.headers.map { HTTPHeader($0.name, $0.value) }, body: body)
            record(request)
            let channel = context.channel
            let handler = self.handler
            let keepAlive = head.isKeepAlive
            Task {
                guard let response = await handler(request) else { return }
                if response.status == LoopbackHTTPServer.dropConnection.status {
                    channel.close(promise: nil)
                    return
                }
                channel.eventLoop.execute {
                    var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
                    headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                    if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
                    let responseHead = HTTPResponseHead(
                        version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
                    channel.write(HTTPServerResponsePart.head(responseHead), promise: nil)
                    channel.write(
                        HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: response.body))),
                        promise: nil)
                    channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
                        if !keepAlive { channel.close(promise: nil) }
                    }
                }
            }
        }
    }
}
