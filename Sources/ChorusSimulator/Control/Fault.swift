import ChorusAPI
import Foundation

/// A fault to inject into the answers of one operation (or all). Set by the scenario file or
/// `PUT /_sim/faults`; the keys are the same in both (snake_case).
public struct Fault: Codable, Sendable, Equatable {
    /// `factures.deposerFluxFacture`, a bare operationId, `token` (the token endpoint) or `*` (every operation).
    public var operation: String = "*"
    /// Probability (0...1) of answering `status` instead of processing the request.
    public var errorRate: Double = 0
    /// The status of injected errors (a 5xx by default).
    public var status: Int = 500
    /// Added latency before answering, milliseconds.
    public var latencyMs: Int = 0
    /// Probability of processing the request and then dropping the connection (the response is lost).
    public var resetRate: Double = 0
    /// Probability of answering 429 with `Retry-After`.
    public var rateLimitRate: Double = 0
    /// The `Retry-After` of 429 answers, seconds.
    public var retryAfter: Int = 1
    /// Send one-element lists as a bare object, as some platform answers do.
    public var oneElementList: Bool = false
    /// How many requests the fault still applies to (nil: no limit).
    public var times: Int?

    enum CodingKeys: String, CodingKey {
        case operation, status, times
        case errorRate = "error_rate"
        case latencyMs = "latency_ms"
        case resetRate = "reset_rate"
        case rateLimitRate = "rate_limit_rate"
        case retryAfter = "retry_after"
        case oneElementList = "one_element_list"
    }

    /// A fault that does nothing yet, for `operation`; set its fields.
    public init(operation: String = "*") { self.operation = operation }

    /// Decodes the snake_case keys, with defaults for the missing ones; rates must be within 0...1.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        operation = try c.decodeIfPresent(String.self, forKey: .operation) ?? "*"
        errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
        status = try c.decodeIfPresent(Int.self, forKey: .status) ?? 500
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        resetRate = try c.decodeIfPresent(Double.self, forKey: .resetRate) ?? 0
        rateLimitRate = try c.decodeIfPresent(Double.self, forKey: .rateLimitRate) ?? 0
        retryAfter = try c.decodeIfPresent(Int.self, forKey: .retryAfter) ?? 1
        oneElementList = try c.decodeIfPresent(Bool.self, forKey: .oneElementList) ?? false
        times = try c.decodeIfPresent(Int.self, forKey: .times)
        func refuse(_ message: String) -> DecodingError {
            DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: message))
        }
        for rate in [errorRate, resetRate, rateLimitRate] where !(0...1).contains(rate) {
            throw refuse("rates are between 0 and 1")
        }
        // Each value ends up in an HTTP status line, a header or a sleep: out of range, it would stop the server.
        guard Self.statusRange.contains(status) else {
            throw refuse("status must be between \(Self.statusRange.lowerBound) and \(Self.statusRange.upperBound)")
        }
        guard Self.latencyRange.contains(latencyMs) else {
            throw refuse("latency_ms must be between 0 and \(Self.latencyRange.upperBound)")
        }
        guard Self.retryAfterRange.contains(retryAfter) else {
            throw refuse("retry_after must be between 0 and \(Self.retryAfterRange.upperBound)")
        }
        if let times, times < 0 { throw refuse("times must be 0 or more") }
    }

    /// Injected statuses are errors (a 2xx or a 1xx would not be a fault, and HTTP has no status above 599).
    static let statusRange = 400...599
    /// Injected latency, milliseconds (at most 10 minutes).
    static let latencyRange = 0...600_000
    /// `Retry-After` of injected 429s, seconds (at most a day).
    static let retryAfterRange = 0...86_400

    /// Whether this fault concerns `operation` (nil: the token endpoint).
    func matches(_ operation: ChorusOperation?) -> Bool {
        if self.operation == "*" { return operation != nil }
        guard let operation else { return self.operation == "token" }
        let name = self.operation.lowercased()
        return name == operation.qualifiedName.lowercased() || name == operation.operationId.lowercased()
            || operation.aliases.contains { $0.lowercased() == name }
    }
}

/// What the faults decided for one request.
struct FaultDecision {
    var latencyMs = 0
    var error: Reply?
    var reset = false
    var oneElementList = false

    /// Draws the faults matching `operation`, using up their `times`.
    static func draw(_ faults: inout [Fault], for operation: ChorusOperation?) -> FaultDecision {
        var decision = FaultDecision()
        for index in faults.indices where faults[index].matches(operation) {
            let fault = faults[index]
            if let times = fault.times, times <= 0 { continue }
            var applied = fault.latencyMs > 0 || fault.oneElementList
            decision.latencyMs = min(decision.latencyMs + fault.latencyMs, Fault.latencyRange.upperBound)
            decision.oneElementList = decision.oneElementList || fault.oneElementList
            if decision.error == nil, fault.rateLimitRate > 0, Double.random(in: 0..<1) < fault.rateLimitRate {
                decision.error = Reply(
                    status: 429, headers: [("Retry-After", String(fault.retryAfter))] + Reply.jsonHeader,
                    body: Array(#"{"error":"too_many_requests","error_description":"Quota de requêtes dépassé"}"#.utf8))
                applied = true
            } else if decision.error == nil, fault.errorRate > 0, Double.random(in: 0..<1) < fault.errorRate {
                decision.error =
                    fault.status >= 500
                    ? Reply(
                        status: fault.status, headers: Reply.jsonHeader,
                        body: Array(#"{"codeRetour":500,"libelle":"Erreur interne du serveur"}"#.utf8))
                    : Reply(status: fault.status)
                applied = true
            }
            if fault.resetRate > 0, Double.random(in: 0..<1) < fault.resetRate {
                decision.reset = true
                applied = true
            }
            if applied, let times = fault.times { faults[index].times = times - 1 }
        }
        return decision
    }
}

extension Reply {
    static let jsonHeader = [("Content-Type", "application/json;charset=utf-8")]
}
