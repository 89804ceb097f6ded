import Foundation
import JSONValue
import Logging

extension ChorusClient {
    /// Sends one operation with its retry rules:
    /// - a 401 drops the token, fetches a new one and replays once (the gateway refused it before Chorus saw it);
    /// - reads are retried with exponential backoff and jitter on transient failures, honouring Retry-After;
    /// - writes are never retried: a timeout after the server received a deposit would duplicate it. A write
    ///   whose request may have left but whose answer was lost is `UNCERTAIN`, not a network error.
    /// - Parameter streamed: a body produced as it is sent (a deposit), instead of `body`.
    func perform(
        _ operation: ChorusOperation, body: [UInt8], streamed: (any StreamedBody)? = nil
    ) async throws(ChorusError) -> JSONValue {
        let account = try configuration.technicalAccount.get()
        let provider = try tokens.get()
        let url = environment.endpoints.url(forPath: operation.fullPath)
        let host = url.host ?? url.absoluteString
        let port = url.connectionPort
        let envName = environment.name.rawValue
        var attempt = 1
        var replayedAfter401 = false
        while true {
            let (token, _) = try await provider.token()
            let redactor = self.redactor.adding([token.value])
            let headers = [
                HTTPHeader("Authorization", "Bearer \(token.value)"),
                HTTPHeader("cpro-account", accountHeader ?? account.headerValue),
                HTTPHeader("Content-Type", "application/json;charset=utf-8"),
                HTTPHeader("Accept", "application/json"),
            ]
            let request =
                streamed.map { HTTPRequest(method: operation.method.rawValue, url: url, headers: headers, streamed: $0) }
                ?? HTTPRequest(method: operation.method.rawValue, url: url, headers: headers, body: body)
            let outcome = try await send(request, operation: operation, host: host, attempt: attempt, redactor: redactor)
            var failure: ChorusError
            var retryAfter: Double?
            var transportKind: TransportFailure.Kind?
            switch outcome {
            case .success(let response):
                switch ResponseClassifier.classify(response, operation: operation, environment: envName) {
                case .success(let json): return json
                case .failure(let error):
                    if response.status == 401, !replayedAfter401 {
                        replayedAfter401 = true
                        await provider.invalidate(token)
                        logger.notice(
                            "401 from the API: new token, replaying once",
                            metadata: ["operation": "\(operation.qualifiedName)"])
                        continue
                    }
                    // A gateway timeout on a write: the backend may have processed it after PISTE gave up.
                    if operation.isWrite, response.status == 504 {
                        throw ChorusError.uncertainWrite(
                            operation: operation.qualifiedName, host: host, cause: "the gateway timed out, HTTP 504",
                            status: 504, correlationId: response.headers[header: "x-correlationid"],
                            environment: envName)
                    }
                    failure = scrubbed(error, with: redactor)
                    if response.status == 429 || response.status == 503 {
                        retryAfter = configuration.retry.retryAfter(
                            response.headers[header: "Retry-After"],
                            now: clock.now())
                    }
                }
            case .failure(let transportFailure):
                // A write whose request may have left is not a network error: it may have been processed.
                if operation.isWrite, !transportFailure.kind.requestNeverSent {
                    throw scrubbed(
                        ChorusError.uncertainWrite(
                            operation: operation.qualifiedName, host: host,
                            cause: Self.uncertainCause(transportFailure), environment: envName), with: redactor)
                }
                transportKind = transportFailure.kind
                failure = scrubbed(
                    ChorusError.transport(
                        transportFailure, host: host, port: port, attempts: attempt,
                        operation: operation.qualifiedName, environment: envName), with: redactor)
            }
            let limits = configuration.retry.limits(for: transportKind)
            guard failure.retryable, !operation.isWrite, attempt < limits.maxAttempts else {
                var final = failure
                // A write whose fate is unknown must not be repeated blindly by the caller either.
                if operation.isWrite { final.retryable = false }
                throw final
            }
            let delay = min(
                limits.delayCap, retryAfter ?? configuration.retry.backoff(retry: attempt, jitter: jitter.next()))
            logger.notice(
                "retrying read",
                metadata: [
                    "operation": "\(operation.qualifiedName)", "error": "\(failure.code.rawValue)",
                    "attempt": "\(attempt)", "delay_s": "\(delay)",
                ])
            do { try await clock.sleep(seconds: delay) } catch {
                throw ChorusError(
                    code: .cancelled, message: "\(operation.qualifiedName) was cancelled",
                    operation: operation.qualifiedName, environment: envName)
            }
            attempt += 1
        }
    }

    /// Sends through the gate (rate and concurrency limits) and logs one info line.
    private func send(
        _ request: HTTPRequest, operation: ChorusOperation, host: String, attempt: Int, redactor: Redactor
    ) async throws(ChorusError) -> Result<HTTPResponse, TransportFailure> {
        do { try await gate.acquire() } catch {
            throw ChorusError(
                code: .cancelled, message: "\(operation.qualifiedName) was cancelled",
                operation: operation.qualifiedName, environment: environment.name.rawValue)
        }
        let started = clock.now()
        if logger.logLevel <= .trace {
            logger.trace(
                "request",
                metadata: [
                    "operation": "\(operation.qualifiedName)", "headers": "\(redactor.headers(request.headers))",
                    "body": "\(redactor.body(request.body))",
                ])
        }
        let result: Result<HTTPResponse, TransportFailure>
        do {
            result = .success(try await transport.send(request, timeout: configuration.timeout))
        } catch {
            result = .failure(error)
        }
        await gate.release()
        let duration = Int(clock.now().timeIntervalSince(started) * 1000)
        switch result {
        case .success(let response):
            // The metadata is built only when the line is logged.
            logger.info(
                "\(operation.qualifiedName) \(response.status)",
                metadata: [
                    "operation": "\(operation.qualifiedName)", "status": "\(response.status)",
                    "duration_ms": "\(duration)",
                    "correlation_id": "\(response.headers[header: "x-correlationid"] ?? "-")",
                    "attempt": "\(attempt)", "environment": "\(environment.name.rawValue)",
                ])
            if logger.logLevel <= .trace {
                logger.trace(
                    "response",
                    metadata: [
                        "operation": "\(operation.qualifiedName)", "body": "\(redactor.body(response.body))",
                    ])
            }
        case .failure(let failure):
            logger.info(
                "\(operation.qualifiedName) failed",
                metadata: [
                    "operation": "\(operation.qualifiedName)", "error": "\(failure.kind.rawValue)",
                    "duration_ms": "\(duration)", "attempt": "\(attempt)", "host": "\(host)",
                ])
        }
        return result
    }

    /// Why a write's answer was lost, in the words of an `UNCERTAIN` message.
    static func uncertainCause(_ failure: TransportFailure) -> String {
        switch failure.kind {
        case .readTimeout: return "no answer in time"
        case .connectionFailed: return "the connection dropped after the request was sent"
        case .cancelled: return "cancelled while the request was in flight"
        default: return "the request failed after it was sent: \(failure.detail)"
        }
    }

    /// The error with any secret that a server echoed removed from its texts (`redactor` also knows
    /// the bearer token of the request).
    func scrubbed(_ error: ChorusError, with redactor: Redactor) -> ChorusError {
        var error = error
        error.message = redactor.scrub(error.message)
        error.libelle = error.libelle.map(redactor.scrub)
        error.wwwAuthenticate = error.wwwAuthenticate.map(redactor.scrub)
        error.remediation = error.remediation.map(redactor.scrub)
        return error
    }
}
