import Foundation
import JSONValue
import Logging

/// Issues PISTE access tokens for one (environment, client id): memory cache, disk cache, single flight.
///
/// Single flight: while a token request is in progress every caller awaits that same request, so 100
/// concurrent calls with an empty cache make exactly one request to PISTE.
public actor TokenProvider {
    /// Environment name, part of the cache key.
    public nonisolated let environmentName: String
    /// The token URL.
    public nonisolated let tokenURL: URL
    /// The client id (not secret).
    public nonisolated var clientId: String { credentials.clientId }

    private let credentials: ApplicationCredentials
    private let transport: any HTTPTransport
    private let clock: any ChorusClock
    private let diskCache: TokenDiskCache?
    private let logger: Logger
    private let timeout: Double
    private let retry: RetryPolicy
    private let jitter: any JitterSource
    private let redactor: Redactor

    private var cached: AccessToken?
    private var inflight: (id: Int, task: Task<AccessToken, any Error>)?
    private var nextFlightId = 0
    /// Token requests sent to PISTE by this provider (diagnostics and tests).
    public private(set) var requestsSent = 0

    /// - Parameters:
    ///   - diskCache: where tokens survive between runs; nil keeps them in memory only.
    ///   - timeout: read timeout of the token request, in seconds.
    public init(
        environmentName: String, tokenURL: URL, credentials: ApplicationCredentials, transport: any HTTPTransport,
        clock: any ChorusClock = SystemClock(), diskCache: TokenDiskCache? = nil, timeout: Double = 30,
        retry: RetryPolicy = RetryPolicy(), jitter: any JitterSource = SystemJitter(),
        logger: Logger = Logger(label: "chorus.auth")
    ) {
        self.environmentName = environmentName
        self.tokenURL = tokenURL
        self.credentials = credentials
        self.transport = transport
        self.clock = clock
        self.diskCache = diskCache
        self.timeout = timeout
        self.retry = retry
        self.jitter = jitter
        self.logger = logger
        self.redactor = Redactor(secrets: [credentials.clientSecret])
    }

    /// Seconds kept in reserve before expiry: PISTE tokens live 3600 s, keep 240 s (as production
    /// clients do), and a tenth of the life for short-lived tokens (the simulator's).
    static func margin(for token: AccessToken) -> Double {
        min(240, token.expiresAt.timeIntervalSince(token.issuedAt) / 10)
    }

    /// A valid token, from memory, disk or PISTE.
    /// - Returns: the token and whether it came from a cache.
    public func token() async throws(ChorusError) -> (token: AccessToken, fromCache: Bool) {
        let now = clock.now()
        if let cached, cached.isValid(at: now, margin: Self.margin(for: cached)) { return (cached, true) }
        if inflight == nil,
            let stored = diskCache?.load(environment: environmentName, tokenURL: tokenURL, credentials: credentials),
            stored.isValid(at: now, margin: Self.margin(for: stored))
        {
            cached = stored
            return (stored, true)
        }
        let flight: (id: Int, task: Task<AccessToken, any Error>)
        if let current = inflight {
            flight = current
        } else {
            nextFlightId += 1
            let task = Task { try await self.fetchWithRetries() }
            flight = (nextFlightId, task)
            inflight = flight
        }
        do {
            let token = try await flight.task.value
            if inflight?.id == flight.id {
                inflight = nil
                cached = token
            }
            return (token, false)
        } catch {
            if inflight?.id == flight.id { inflight = nil }
            if let error = error as? ChorusError { throw error }
            throw ChorusError(
                code: .cancelled, message: "the token request was cancelled", operation: "token",
                environment: environmentName)
        }
    }

    /// Forgets `token` (after the API refused it with 401) so the next call fetches a new one.
    /// A token other than the current one is ignored: another caller already replaced it.
    public func invalidate(_ token: AccessToken) {
        guard cached?.value == token.value else { return }
        cached = nil
        diskCache?.remove(environment: environmentName, tokenURL: tokenURL, credentials: credentials)
    }

    private func fetchWithRetries() async throws(ChorusError) -> AccessToken {
        var attempt = 1
        while true {
            do {
                let token = try await fetch(attempt: attempt)
                diskCache?.store(token, environment: environmentName, tokenURL: tokenURL, credentials: credentials)
                return token
            } catch {
                let limits = retry.limits(for: error.transportKind)
                guard error.failure.retryable, attempt < limits.maxAttempts else { throw error.failure }
                let delay = min(limits.delayCap, retry.backoff(retry: attempt, jitter: jitter.next()))
                logger.notice(
                    "token request failed, retrying",
                    metadata: [
                        "error": "\(error.failure.code.rawValue)", "delay_s": "\(delay)",
                    ])
                do { try await clock.sleep(seconds: delay) } catch {
                    throw ChorusError(
                        code: .cancelled, message: "the token request was cancelled",
                        operation: "token", environment: environmentName)
                }
                attempt += 1
            }
        }
    }

    /// A failed token request, with the transport failure's kind when there was no answer at all
    /// (it decides how often to retry).
    private struct FetchFailure: Error {
        var failure: ChorusError
        var transportKind: TransportFailure.Kind?
    }

    /// One token request: POST form-encoded client_credentials with scope openid.
    private func fetch(attempt: Int) async throws(FetchFailure) -> AccessToken {
        do { return try await fetchOnce(attempt: attempt) } catch let error as FetchFailure {
            throw error
        } catch let error as ChorusError {
            throw FetchFailure(failure: error)
        } catch {
            throw FetchFailure(failure: ChorusError(code: .network, message: "\(error)"))
        }
    }

    private func fetchOnce(attempt: Int) async throws -> AccessToken {
        let host = tokenURL.host ?? tokenURL.absoluteString
        let form = FormEncoding.encode([
            ("grant_type", "client_credentials"), ("client_id", credentials.clientId),
            ("client_secret", credentials.clientSecret), ("scope", "openid"),
        ])
        let request = HTTPRequest(
            method: "POST", url: tokenURL,
            headers: [
                HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                HTTPHeader("Accept", "application/json"),
            ],
            body: Array(form.utf8))
        let started = clock.now()
        requestsSent += 1
        let response: HTTPResponse
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            var failure = ChorusError.transport(
                error, host: host, port: tokenURL.connectionPort, attempts: attempt,
                operation: "token", environment: environmentName)
            failure.message = redactor.scrub(failure.message)
            throw FetchFailure(failure: failure, transportKind: error.kind)
        }
        let correlation = response.headers[header: "x-correlationid"]
        logger.info(
            "token request",
            metadata: [
                "environment": "\(environmentName)", "host": "\(host)", "status": "\(response.status)",
                "duration_ms": "\(Int(clock.now().timeIntervalSince(started) * 1000))",
                "correlation_id": "\(correlation ?? "-")",
            ])
        logger.trace("token response", metadata: ["body": "\(redactor.body(response.body))"])
        switch response.status {
        case 200..<300:
            return try AccessToken.parse(response, issuedAt: started, host: host)
        case 400, 401, 403:
            let json = try? JSONValue.parse(response.body)
            let oauthError = json?["error"]?.stringValue
            let description = json?["error_description"]?.stringValue
            var message = "PISTE refused the application credentials of client id \(credentials.clientId)"
            message += " (HTTP \(response.status)\(oauthError.map { ", \($0)" } ?? ""))"
            let libelle = [oauthError, description].compactMap { $0 }.joined(separator: ": ")
            throw ChorusError(
                code: .authApp, message: redactor.scrub(message), status: response.status,
                libelle: libelle.isEmpty ? nil : redactor.scrub(libelle), operation: "token",
                remediation: Remediation.applicationCredentials, correlationId: correlation,
                wwwAuthenticate: response.headers[header: "WWW-Authenticate"], environment: environmentName)
        case 429:
            throw ChorusError(
                code: .rateLimited, message: "the token endpoint \(host) asked to slow down (HTTP 429)",
                status: 429, operation: "token", remediation: Remediation.rateLimited,
                correlationId: correlation, environment: environmentName)
        case 500..<600:
            throw ChorusError(
                code: .server, message: "the token endpoint \(host) failed (HTTP \(response.status))",
                status: response.status, operation: "token", remediation: Remediation.server,
                correlationId: correlation, environment: environmentName)
        default:
            let html = response.bodyText.trimmingCharacters(in: .whitespaces).hasPrefix("<") ? " with an HTML page" : ""
            throw ChorusError(
                code: .environment,
                message: "the token endpoint \(host) answered HTTP \(response.status)\(html)",
                status: response.status, operation: "token", retryable: false,
                remediation: Remediation.notATokenEndpoint, correlationId: correlation,
                environment: environmentName)
        }
    }
}

/// `application/x-www-form-urlencoded` as browsers and OAuth servers expect it.
enum FormEncoding {
    static let unreserved = CharacterSet(
        charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
