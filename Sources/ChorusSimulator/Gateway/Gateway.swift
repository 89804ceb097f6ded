import ChorusAPI
import Foundation
import JSONValue

/// What one request to the simulator produced.
struct Outcome {
    var reply: Reply
    /// Drop the connection instead of answering (the "response lost" fault).
    var reset = false
    var operation: String?
    var login: String?
    var note: String?
}

/// The PISTE gateway in front of the Chorus Pro operations. Checks run in the gateway's order:
/// bearer token, API subscription, `cpro-account`, technical account state, content type, route; then
/// faults, then the operation itself.
struct Gateway: Sendable {
    let store: SimulatorStore
    /// Catalog operations by full path (`/cpro/factures/v1/deposer/flux`).
    let operations: [String: ChorusOperation]

    init(store: SimulatorStore) {
        self.store = store
        var operations: [String: ChorusOperation] = [:]
        for operation in Catalog.operations { operations[operation.fullPath] = operation }
        self.operations = operations
    }

    static let healthBody = JSONValue.object([
        "statusCodeValue": 200, "statusCode": "OK", "body": "L'API CPRO est actuellement disponible et fonctionnel.",
    ]).serializedBytes()

    struct Request {
        var method: String
        var path: String
        var authorization: String?
        var cproAccount: String?
        var contentType: String?
        var body: [UInt8]
    }

    func handle(_ request: Request) async -> Outcome {
        // /cpro/<api>/v1/<operation>: an API the gateway does not publish is a plain 404.
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[0] == "cpro", let group = ChorusOperation.Group(rawValue: String(parts[1])) else {
            return Outcome(reply: .notFound, note: "unknown API")
        }
        let account: TechnicalAccountRecord
        switch checkCredentials(request, group: group) {
        case .success(let found): account = found
        case .failure(let refusal): return Outcome(reply: refusal.reply, login: refusal.login, note: refusal.note)
        }
        // The route first: an unknown operation is a 404 whatever its Content-Type. Health-check is the
        // one GET operation; another method on a path is not that operation.
        guard let operation = operations[request.path], request.method == operation.method.rawValue else {
            return Outcome(reply: .notFound, login: account.login, note: "no such operation")
        }
        if request.method == "POST", !Self.isJSON(request.contentType) {
            return Outcome(
                reply: .unsupportedMediaType, login: account.login, note: "content type \(request.contentType ?? "none")")
        }
        var outcome = await perform(operation, request, account)
        outcome.operation = operation.qualifiedName
        outcome.login = account.login
        return outcome
    }

    /// Whether a Content-Type names JSON: the media type `application/json`, whatever its parameters
    /// (`application/jsonx` or `application/json-patch+json` are other types).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return trimmingWhitespaces(mediaType).lowercased() == "application/json"
    }

    /// `text.trimmingCharacters(in: .whitespaces)`, on bytes when the text is ASCII (the whitespace
    /// characters of ASCII are then the space and the tab): every request's headers go through here.
    static func trimmingWhitespaces(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard !utf8.contains(where: { $0 >= 0x80 }) else { return text.trimmingCharacters(in: .whitespaces) }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start != end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while start != end, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(text[start..<end])
    }

    /// The bearer token, the subscription and the technical account; the refusal when one fails.
    func checkCredentials(_ request: Request, group: ChorusOperation.Group) -> Result<TechnicalAccountRecord, Refusal> {
        // The headers are read before taking the store's lock; the refusals keep the gateway's order.
        let token = request.authorization.flatMap { authorization -> String? in
            guard authorization.lowercased().hasPrefix("bearer ") else { return nil }
            let token = Self.trimmingWhitespaces(authorization.dropFirst(7))
            return token.isEmpty ? nil : token
        }
        let credentials = request.cproAccount.flatMap { header -> (login: String, password: String)? in
            guard let decoded = Data(base64Encoded: header), let text = String(data: decoded, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else { return nil }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        return store.read { state, now in
            guard let token else {
                return .failure(
                    Refusal(
                        reply: .unauthorized(error: "invalid_token", description: "access token is missing"),
                        note: "no bearer token"))
            }
            guard let issued = state.tokens[token] else {
                return .failure(
                    Refusal(
                        reply: .unauthorized(error: "invalid_token", description: "access token is invalid"),
                        note: "unknown token"))
            }
            guard issued.expiresAt > now else {
                return .failure(
                    Refusal(
                        reply: .unauthorized(error: "invalid_token", description: "access token expired"),
                        note: "token expired"))
            }
            guard let application = state.applications.first(where: { $0.clientId == issued.clientId }),
                application.subscriptions.contains(group.rawValue)
            else {
                return .failure(Refusal(reply: .forbidden, note: "API \(group.subscription) not subscribed"))
            }
            let refused = Reply.unauthorized(error: "Unauthorized", description: "login or password incorrects")
            guard let (login, password) = credentials else {
                return .failure(Refusal(reply: refused, note: "cpro-account missing or not base64(login:password)"))
            }
            guard let account = state.account(login: login), account.password == password else {
                return .failure(Refusal(reply: refused, note: "wrong technical login or password"))
            }
            // The platform gives the same answer for these; the request log says which it was.
            guard account.activeFrom <= now else {
                return .failure(Refusal(reply: refused, note: "technical account not active yet", login: login))
            }
            guard account.passwordExpiresAt > now else {
                return .failure(Refusal(reply: refused, note: "technical account password expired", login: login))
            }
            return .success(account)
        }
    }

    struct Refusal: Error {
        var reply: Reply
        var note: String
        var login: String?
    }

    func perform(_ operation: ChorusOperation, _ request: Request, _ account: TechnicalAccountRecord) async -> Outcome {
        let decision = store.drawFaults(for: operation)
        if decision.latencyMs > 0 { try? await Task.sleep(nanoseconds: UInt64(decision.latencyMs) * 1_000_000) }
        if let error = decision.error { return Outcome(reply: error, note: "injected fault") }
        var reply: Reply
        if operation.operationId == "healthCheck" {
            reply = Reply(status: 200, headers: Reply.jsonHeader, body: Self.healthBody)
        } else {
            reply = run(operation, request, account)
        }
        if decision.oneElementList, reply.status == 200, let body = try? JSONValue.parse(reply.body) {
            reply.body = Quirks.oneElementListsAsObjects(body).serializedBytes()
        }
        return Outcome(reply: reply, reset: decision.reset, note: decision.reset ? "response dropped (fault)" : nil)
    }

    func run(_ operation: ChorusOperation, _ request: Request, _ account: TechnicalAccountRecord) -> Reply {
        guard let handler = Handlers.handler(for: operation) else { return .notFound }
        var body: JSONValue
        do {
            body = try JSONValue.parse(request.body.isEmpty ? Array("{}".utf8) : request.body)
            // Clients send `[]` (or null) for "no parameters", and the platform takes it as `{}`; an operation
            // with required members then names the first one missing.
            if body == .array([]) || body == .null { body = .object([:]) }
        } catch {
            return Reply.invalid(
                "Le corps de la requête n'est pas un JSON valide (ligne \(error.line), colonne \(error.column)).")
        }
        do throws(Reply) {
            let params = try Params(body: body)
            // Reading a deposited file (base64, archives, XML, PDF) is the costly part of a deposit: it
            // happens here, outside the store's lock, so other requests go on meanwhile.
            var deposit: PreparedDeposit?
            if operation.operationId == "deposerFluxFacture" {
                let limit = store.read { state, _ in state.settings.maxFluxBytes }
                deposit = try DepositRules.prepare(params, maxFluxBytes: limit)
            }
            return try store.update { state, now throws(Reply) in
                // The account as stored now (a scenario may have changed it since the check).
                let current = state.account(login: account.login) ?? account
                let call = CallInfo(
                    now: now, account: current, params: params, operation: operation, deposit: deposit)
                return Reply.json(try handler(&state, call))
            }
        } catch {
            return error
        }
    }
}

/// Response quirks the platform is known for, applied on demand to test clients.
enum Quirks {
    /// Every array of exactly one object becomes that object (AIFE's own examples show this).
    static func oneElementListsAsObjects(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements):
            if elements.count == 1, case .object = elements[0] { return oneElementListsAsObjects(elements[0]) }
            return .array(elements.map(oneElementListsAsObjects))
        case .object(let members):
            return .object(members.mapValues(oneElementListsAsObjects))
        default:
            return value
        }
    }
}

extension SimulatorStore {
    /// Draws the faults for `operation` (nil: the token endpoint).
    func drawFaults(for operation: ChorusOperation?) -> FaultDecision {
        // Fast path: no faults configured (the common case, and the benchmark's).
        if read({ state, _ in state.faults.isEmpty }) { return FaultDecision() }
        return write { state, _ in FaultDecision.draw(&state.faults, for: operation) }
    }
}
