import Foundation
import JSONValue

extension Doctor {
    typealias Rung = Ladder.Rung

    enum ConfigurationOutcome {
        case success((ResolvedSettings, ClientConfiguration, DoctorStep))
        case failure(DoctorStep)
    }

    func step(_ rung: Rung, _ status: DoctorStatus, evidence: [String: String] = [:], cause: String? = nil,
              remediation: String? = nil, code: ChorusError.Code? = nil) -> DoctorStep {
        DoctorStep(id: rung.rawValue, title: rung.title, guideStep: rung.guideStep, status: status, evidence: evidence,
                   cause: cause, remediation: remediation, code: code)
    }

    /// A failed step from a client error, keeping its evidence.
    func failed(_ rung: Rung, _ error: ChorusError, cause: String? = nil, remediation: String? = nil) -> DoctorStep {
        step(rung, .failed, evidence: evidence(of: error), cause: cause ?? error.message,
             remediation: remediation ?? error.remediation, code: error.code)
    }

    func evidence(of error: ChorusError) -> [String: String] {
        var evidence: [String: String] = ["error": error.code.rawValue]
        if let status = error.status { evidence["status"] = String(status) }
        if let codeRetour = error.codeRetour { evidence["codeRetour"] = String(codeRetour) }
        if let libelle = error.libelle { evidence["libelle"] = libelle }
        if let challenge = error.wwwAuthenticate { evidence["www_authenticate"] = challenge }
        if let correlation = error.correlationId { evidence["correlation_id"] = correlation }
        if let operation = error.operation { evidence["operation"] = operation }
        return evidence
    }

    // MARK: 1. configuration

    func checkConfiguration() async -> ConfigurationOutcome {
        let settings: ResolvedSettings
        let configuration: ClientConfiguration
        do throws(ChorusError) {
            settings = try ProfileResolver(flags: flags, environment: environmentVariables).resolve()
            configuration = try await settings.clientConfiguration(simulator: simulator)
        } catch {
            return .failure(failed(.config, error, remediation: error.remediation ?? "Run `chorus config show` to see what is set and where it comes from; `chorus config init` writes a template."))
        }
        var missing: [String] = []
        if case .missing(let error) = configuration.application { missing.append(error.message) }
        if case .missing(let error) = configuration.technicalAccount { missing.append(error.message) }
        var evidence = ["environment": configuration.environment.name.rawValue, "environment_source": settings.environmentSource,
                        "api_url": configuration.environment.endpoints.apiBaseURL.absoluteString]
        if let profile = settings.profileName { evidence["profile"] = profile }
        evidence["siret"] = configuration.siret ?? "(not set)"
        if !missing.isEmpty {
            return .failure(step(.config, .failed, evidence: evidence, cause: missing.joined(separator: "; "),
                                 remediation: "Set each missing value (environment variable or profile key, see `chorus config init`); `chorus config show` prints what is set.",
                                 code: .config))
        }
        let warnings = configuration.environment.warnings
        if !warnings.isEmpty {
            return .success((settings, configuration, step(.config, .warning, evidence: evidence, cause: warnings.joined(separator: "; "))))
        }
        return .success((settings, configuration, step(.config, .ok, evidence: evidence)))
    }

    // MARK: 2. network

    func checkNetwork(_ environment: ChorusEnvironment) async -> DoctorStep {
        var evidence: [String: String] = [:]
        for (label, url) in [("oauth", environment.endpoints.tokenURL), ("api", environment.endpoints.apiBaseURL)] {
            var root = URLComponents(url: url, resolvingAgainstBaseURL: false) ?? URLComponents()
            root.path = "/"
            root.query = nil
            guard let probe = root.url else { continue }
            do throws(TransportFailure) {
                let response = try await transport.send(HTTPRequest(method: "GET", url: probe), timeout: 15)
                evidence[label] = "\(url.host ?? "?") reachable (HTTP \(response.status))"
            } catch {
                let chorusError = ChorusError.transport(error, host: url.host ?? "?", operation: nil, environment: environment.name.rawValue)
                var step = failed(.network, chorusError)
                step.evidence[label] = url.host ?? "?"
                return step
            }
        }
        return step(.network, .ok, evidence: evidence)
    }

    // MARK: 3. token

    func checkToken(_ client: ChorusClient) async -> DoctorStep {
        do throws(ChorusError) {
            let info = try await client.tokenInfo()
            return step(.token, .ok, evidence: ["expires_in": String(info.expiresIn), "scope": info.scope ?? "", "token_type": info.tokenType])
        } catch {
            return failed(.token, error)
        }
    }

    // MARK: 5. technical account

    func checkTechnicalAccount(_ client: ChorusClient) async -> DoctorStep {
        do throws(ChorusError) {
            let answer = try await client.health()
            return step(.technicalAccount, .ok, evidence: ["health_check": answer["statusCode"]?.stringValue ?? "OK"])
        } catch {
            if error.code == .authAccount {
                return failed(.technicalAccount, error, cause: "the technical account (cpro-account) was refused: \(error.message)",
                              remediation: Remediation.technicalAccount)
            }
            return failed(.technicalAccount, error)
        }
    }
}
