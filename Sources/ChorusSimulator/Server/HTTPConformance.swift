import NIOCore
import NIOHTTP1

/// HTTP/1 rules the simulator's HTTP stack leaves to the application, applied where the request's HTTP
/// version is still known (the handlers after it see version-less requests):
///
/// - `Expect: 100-continue` is answered `100 Continue` at once (curl waits a second for it before
///   sending a body over 1 Mo);
/// - an HTTP/1.0 request without `Connection: keep-alive` gets its connection closed after the answer;
/// - an HTTP/1.1 request without `Host` is answered 400 and its connection closed (RFC 9112 §3.2).
final class HTTPConformanceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The current request was refused here: its body is dropped.
    private var refusing = false

    static let missingHostBody = "Requête invalide : l'en-tête Host est obligatoire en HTTP/1.1."

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            refusing = false
            if head.version.major == 1, head.version.minor >= 1, !head.headers.contains(name: "host") {
                refusing = true
                refuse(context: context, version: head.version)
                return
            }
            if head.version.major == 1, head.version.minor == 0,
                !head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "keep-alive" })
            {
                head.headers.replaceOrAdd(name: "connection", value: "close")
            }
            if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body, .end:
            guard !refusing else { return }
            context.fireChannelRead(data)
        }
    }

    private func refuse(context: ChannelHandlerContext, version: HTTPVersion) {
        let body = ByteBuffer(string: Self.missingHostBody)
        let headers = HTTPHeaders([
            ("Content-Type", "text/plain;charset=utf-8"), ("Content-Length", String(body.readableBytes)),
            ("Connection", "close"),
        ])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .badRequest, headers: headers))))
            .whenComplete { _ in }
        context.write(wrapOutboundOut(.body(.byteBuffer(body)))).whenComplete { _ in }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}

/// Installs `HTTPConformanceHandler` right after the HTTP/1 decoder. Hummingbird adds its extra handlers
/// after the conversion to version-less HTTP types; this one moves the work to where the version is known,
/// then passes everything through.
final class HTTPConformanceInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let decoder = try? pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self) {
            try? pipeline.addHandler(HTTPConformanceHandler(), position: .after(decoder))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }
}
