import AsyncHTTPClient
import ChorusAPI
import ChorusSimulator
import Foundation
import JSONValue
import Logging
import NIOCore

/// A simulator on an ephemeral loopback port for one test, reached over plain HTTP.
struct SimHarness: Sendable {
    let base: String
    let store: SimulatorStore

    /// One HTTP answer.
    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var bytes: [UInt8]
        var json: JSONValue? { try? JSONValue.parse(bytes) }
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// The supplier ALPHA account (default of `--env sim`).
    static let supplier = (SimulatorSeed.supplierLogin, SimulatorSeed.supplierPassword)
    /// The recipients' account.
    static let recipient = (SimulatorSeed.recipientLogin, SimulatorSeed.recipientPassword)
    /// The supplier BETA account.
    static let beta = (SimulatorSeed.secondSupplierLogin, SimulatorSeed.secondSupplierPassword)

    /// Runs `body` with a fresh simulator (a scenario applied first, when given), then stops it.
    static func with<T: Sendable>(
        scenario: JSONValue? = nil, stateFile: URL? = nil, defaultDelays: Bool = false,
        _ body: (SimHarness) async throws -> T
    ) async throws -> T {
        let store = try SimulatorStore.open(stateFile: stateFile)
        // Processing takes 2 s per step on the simulator clock; tests advance the clock instead of waiting,
        // and 2 s of wall time is margin enough to see the first state on a loaded machine.
        if !defaultDelays {
            store.apply(try Scenario(json: ["settings": ["processing_delay": 2, "routing_delay": 2]]))
        }
        if let scenario { store.apply(try Scenario(json: scenario)) }
        let server = SimulatorServer(store: store)
        let (ports, continuation) = AsyncThrowingStream<Int, Error>.makeStream()
        let task = Task {
            do {
                var logger = Logger(label: "chorus.sim.test")
                logger.logLevel = .critical
                try await server.run(host: "127.0.0.1", port: 0, logger: logger) { continuation.yield($0) }
            } catch {
                continuation.finish(throwing: error)
            }
        }
        var port = 0
        for try await bound in ports {
            port = bound
            break
        }
        let harness = SimHarness(base: "http://127.0.0.1:\(port)", store: store)
        do {
            let result = try await body(harness)
            task.cancel()
            _ = await task.result
            return result
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
    }

    /// Any request.
    func raw(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var collected = try await response.body.collect(upTo: 200 * 1024 * 1024)
        var headerMap: [String: String] = [:]
        for header in response.headers { headerMap[header.name.lowercased()] = header.value }
        return Answer(
            status: Int(response.status.code), headers: headerMap,
            bytes: collected.readBytes(length: collected.readableBytes) ?? [])
    }

    /// `POST /api/oauth/token` with a form body.
    func tokenRequest(_ form: String, contentType: String = "application/x-www-form-urlencoded") async throws -> Answer
    {
        try await raw("POST", "/api/oauth/token", headers: [("Content-Type", contentType)], body: Array(form.utf8))
    }

    /// A valid access token of the seed application.
    func token() async throws -> String {
        let answer = try await tokenRequest(
            "grant_type=client_credentials&client_id=\(SimulatorSeed.clientId)&client_secret=\(SimulatorSeed.clientSecret)"
                + "&scope=openid")
        guard let token = answer.json?["access_token"]?.stringValue else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: "no token: \(answer.text)"])
        }
        return token
    }

    static func cproAccount(_ account: (String, String)) -> String {
        Data("\(account.0):\(account.1)".utf8).base64EncodedString()
    }

    /// An API call with a valid token and `account`; `body` is sent as JSON unless `rawBody` is given.
    func call(
        _ path: String, _ body: JSONValue? = [:], as account: (String, String) = SimHarness.supplier,
        token: String? = nil, rawBody: [UInt8]? = nil, contentType: String = "application/json;charset=utf-8",
        method: String = "POST"
    ) async throws -> Answer {
        let bearer: String
        if let token { bearer = token } else { bearer = try await self.token() }
        var headers = [("Authorization", "Bearer \(bearer)"), ("cpro-account", Self.cproAccount(account))]
        if method == "POST" { headers.append(("Content-Type", contentType)) }
        let bytes = method == "POST" ? (rawBody ?? body?.serializedBytes()) : nil
        return try await raw(method, "/cpro" + path, headers: headers, body: bytes)
    }

    /// A control API call.
    func control(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> Answer {
        try await raw(
            method, "/_sim" + path, headers: [("Content-Type", "application/json")], body: body?.serializedBytes())
    }

    /// Moves the simulator clock forward.
    func advance(_ seconds: Double) async throws {
        _ = try await control("POST", "/clock/advance", ["seconds": .number(seconds)])
    }

    /// A sample invoice of examples/invoices.
    static func sample(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../examples/invoices/\(name)").standardized
        return [UInt8](try Data(contentsOf: url))
    }

    /// Deposits `bytes` as a flux and returns its number (the deposit must be accepted).
    func deposit(
        _ bytes: [UInt8], name: String, syntaxe: String, as account: (String, String) = SimHarness.supplier
    ) async throws -> String {
        let answer = try await call(
            "/factures/v1/deposer/flux",
            [
                "fichierFlux": .string(Data(bytes).base64EncodedString()), "nomFichier": .string(name),
                "syntaxeFlux": .string(syntaxe), "avecSignature": false,
            ], as: account)
        guard answer.status == 200, let number = answer.json?["numeroFluxDepot"]?.stringValue else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: "deposit: \(answer.text)"])
        }
        return number
    }

    /// The detailed report of a flux once processed (advances the clock past processing).
    func finalReport(_ number: String, as account: (String, String) = SimHarness.supplier) async throws -> JSONValue {
        try await advance(30)
        let answer = try await call(
            "/transverses/v1/consulterCRDetaille", ["numeroFluxDepot": .string(number)], as: account)
        return answer.json ?? .null
    }
}
