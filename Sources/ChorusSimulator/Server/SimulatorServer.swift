import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The simulator's HTTP server: the PISTE token endpoint, the Chorus Pro API behind the gateway, and
/// the control API under `/_sim/` (loopback peers only).
public final class SimulatorServer: Sendable {
    /// The state of the simulated platform.
    public let store: SimulatorStore
    let gateway: Gateway
    let control: ControlAPI
    /// Largest request body accepted (a 10 Mo file is about 13.4 Mo in base64 inside JSON).
    static let maximumBodySize = 40 * 1024 * 1024

    /// A server over `store`.
    public init(store: SimulatorStore) {
        self.store = store
        self.gateway = Gateway(store: store)
        self.control = ControlAPI(store: store)
    }

    /// Serves on `host:port` (port 0: an ephemeral port) until the task is cancelled; `onStart` gets the
    /// bound port once the server listens.
    public func run(
        host: String, port: Int, logger: Logger = Logger(label: "chorus.sim"),
        onStart: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(host: host, port: port, logger: logger, onStart: onStart).run()
    }

    /// Serves on `host:port` until SIGINT or SIGTERM (`chorus sim`), then stops gracefully.
    public func runUntilSignalled(
        host: String, port: Int, logger: Logger = Logger(label: "chorus.sim"),
        onStart: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(host: host, port: port, logger: logger, onStart: onStart).runService()
    }

    private func application(
        host: String, port: Int, logger: Logger, onStart: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            responder: SimulatorResponder(server: self),
            server: .http1(configuration: .init(additionalChannelHandlers: [HTTPConformanceInstaller()])),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onStart(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Answers one request (shared by the HTTP responder and tests).
    func respond(
        method: String, path: String, query: String, headers: HTTPFields, body: [UInt8], peerIsLoopback: Bool
    ) async -> Outcome {
        if path == "/api/oauth/token" {
            return await gateway.token(
                method: method, contentType: headers[.contentType], authorization: headers[.authorization], body: body)
        }
        if path == "/_sim" || path.hasPrefix("/_sim/") {
            guard peerIsLoopback else { return Outcome(reply: .notFound, note: "control API from a remote peer") }
            return Outcome(reply: control.handle(method: method, path: path, query: query, body: body))
        }
        return await gateway.handle(
            Gateway.Request(
                method: method, path: path, authorization: headers[.authorization],
                cproAccount: headers[SimulatorServer.cproAccount], contentType: headers[.contentType], body: body))
    }

    static let cproAccount = HTTPField.Name("cpro-account")!
    static let correlationId = HTTPField.Name("x-correlationid")!
}

/// Hummingbird's entry point into the simulator.
struct SimulatorResponder: HTTPResponder {
    typealias Context = SimRequestContext
    let server: SimulatorServer

    func respond(to request: Request, context: SimRequestContext) async throws -> Response {
        var request = request
        let body: [UInt8]
        do {
            let buffer = try await request.collectBody(upTo: SimulatorServer.maximumBodySize)
            body = Array(buffer.readableBytesView)
        } catch {
            let text = Array("Requête trop volumineuse : \(SimulatorServer.maximumBodySize / 1024 / 1024) Mo au maximum.".utf8)
            return Response(
                status: .contentTooLarge,
                headers: [.contentType: "text/plain;charset=utf-8", .contentLength: String(text.count)],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        let path = request.uri.path
        let outcome = await server.respond(
            method: request.method.rawValue, path: path, query: request.uri.query ?? "", headers: request.headers,
            // The peer's address is formatted only for the control API, the one place that reads it.
            body: body, peerIsLoopback: path.hasPrefix("/_sim") ? context.peerIsLoopback : false)
        if !path.hasPrefix("/_sim") {
            server.store.record(
                RequestLogEntry(
                    at: server.store.now, method: request.method.rawValue, path: path, status: outcome.reply.status,
                    operation: outcome.operation, login: outcome.login, note: outcome.note))
        }
        if outcome.reset {
            // The request was processed; the client never gets the answer.
            try? await context.channel.close()
            throw CancellationError()
        }
        var headers = HTTPFields()
        for (name, value) in outcome.reply.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        headers[.contentLength] = String(outcome.reply.body.count)
        // Every body says what it is (a reply built without a type would be a simulator bug: make it visible).
        if !outcome.reply.body.isEmpty, headers[.contentType] == nil {
            headers[.contentType] = "application/octet-stream"
        }
        // PISTE tags error answers with a correlation id, which clients log for support requests.
        if outcome.reply.status >= 400 { headers[SimulatorServer.correlationId] = UUID().uuidString.lowercased() }
        return Response(
            status: HTTPResponse.Status(code: outcome.reply.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: outcome.reply.body)))
    }
}
