import ChorusAPI
import Foundation
import JSONValue
import LuaRuntime

/// The host functions of `chorus` that reach Chorus Pro: the escape hatch `call`, `env`, `token`,
/// `health`, and `operations`. Domain functions (`chorus.invoices`...) are Lua written over `_call`.
enum ClientBindings {
    static func functions(_ context: ChorusLuaContext) -> [HostFunction] {
        let clients = context.clients
        let gate = context.operationGate
        return [
            // (operation, payload, no_result, account): with no_result true, "no result" gives nil; with
            // no_result "structure", an unknown structure also gives false (a read of a structure by id).
            HostFunction("_call", FunctionDoc("Calls an operation.", yields: true)) { call in
                let unknownStructureIsFalse = call.type(3) == .string
                let (operation, payload, nilOnNoResult, account) = try arguments(&call)
                return call.startOperation {
                    if let refusal = gate?(operation) { throw refusal }
                    let client = try await clients.client(account: account)
                    do throws(ChorusError) {
                        return LuaValue(json: try await client.call(operation, payload: payload))
                    } catch {
                        if nilOnNoResult && error.isNoResult { return .nil }
                        if unknownStructureIsFalse && error.code == .structure { return .bool(false) }
                        throw error
                    }
                }
            },
            HostFunction("call", FunctionDoc(
                "Calls any operation of the catalog by its official operationId (`factures.deposerFluxFacture`, or the bare id) with a payload in official field names; returns the decoded answer.",
                parameters: [.init("operation", "string"), .init("payload", "table?", "request body (default {})")],
                returns: [.init("answer", "table")], yields: true,
                raises: ["chorus.Error (any code)", "bad argument for an unknown operation (with the closest names)"])) { call in
                let (operation, payload, _, account) = try arguments(&call)
                return call.startOperation {
                    if let refusal = gate?(operation) { throw refusal }
                    return LuaValue(json: try await clients.client(account: account).call(operation, payload: payload))
                }
            },
            HostFunction("env", FunctionDoc(
                "The environment in use: name (sim, sandbox, prod, custom), token and API URLs, profile. Never secrets.",
                returns: [.init("env", "{name: string, oauth_url: string, api_url: string, profile: string?, warnings: string[]}")],
                yields: true)) { call in
                let account = call.isNoneOrNil(1) ? nil : try call.string(1)
                return call.startOperation {
                    let environment = try await clients.client(account: account).environment
                    var fields: [String: LuaValue] = [
                        "name": .string(environment.name.rawValue),
                        "oauth_url": .string(environment.endpoints.tokenURL.absoluteString),
                        "api_url": .string(environment.endpoints.apiBaseURL.absoluteString),
                        "warnings": .array(environment.warnings.map { .string($0) }),
                    ]
                    if let profile = environment.profileName { fields["profile"] = .string(profile) }
                    return .object(fields)
                }
            },
            HostFunction("token", FunctionDoc(
                "Gets (or reuses) the PISTE token and describes it: environment, scope, token_type, expires_at (ISO-8601 UTC), expires_in (seconds), from_cache. Never the token itself.",
                returns: [.init("info", "table")], yields: true, raises: ["chorus.Error AUTH_APP, NETWORK, ENVIRONMENT"])) { call in
                let account = call.isNoneOrNil(1) ? nil : try call.string(1)
                return call.startOperation {
                    let info = try await clients.client(account: account).tokenInfo()
                    var fields: [String: LuaValue] = [
                        "environment": .string(info.environment),
                        "token_type": .string(info.tokenType),
                        "expires_at": .string(ISO8601DateFormatter().string(from: info.expiresAt)),
                        "expires_in": .integer(Int64(info.expiresIn)),
                        "from_cache": .bool(info.fromCache),
                    ]
                    if let scope = info.scope { fields["scope"] = .string(scope) }
                    return .object(fields)
                }
            },
            HostFunction("health", FunctionDoc(
                "Calls the health-check with the token and the technical account; returns its answer.",
                returns: [.init("answer", "table")], yields: true,
                raises: ["chorus.Error AUTH_APP, NOT_SUBSCRIBED, AUTH_ACCOUNT, NETWORK"])) { call in
                let account = call.isNoneOrNil(1) ? nil : try call.string(1)
                return call.startOperation { LuaValue(json: try await clients.client(account: account).health()) }
            },
            HostFunction("doctor", FunctionDoc(
                "Runs the onboarding checks of `chorus doctor` and returns the report: {environment, profile, ok, exit_code, steps = {{id, title, guide_step, status, evidence, cause, remediation, code, duration_ms}...}}.",
                parameters: [.init("options", "{deposit_test: boolean?, recipient: string?}?")],
                returns: [.init("report", "table")], yields: true)) { call in
                let options = try call.options(1, allowed: ["deposit_test", "recipient"])
                var doctorOptions = DoctorOptions(depositTest: options["deposit_test"] == .bool(true))
                if let recipient = options["recipient"] {
                    guard case .string(let siret) = recipient else { throw LuaArgumentError(1, "recipient must be a SIRET string") }
                    doctorOptions.recipient = siret
                }
                guard let doctor = context.doctor else { throw LuaScriptError("chorus.doctor is not available in this host") }
                let chosen = doctorOptions
                return call.startOperation { LuaValue(json: await doctor(chosen).json) }
            },
            HostFunction("operations", FunctionDoc(
                "Lists the operations of the catalog: id (group.operationId), group, operationId, method, path, summary, write, deprecated, subscription, fields (the request fields: name, type, required, values, fields below; as chorus call OP --schema) and example (a minimal valid payload, as chorus call OP --example).",
                returns: [.init("operations", "table[]")])) { call in
                call.push(.array(Catalog.operations.map { operation in
                    .object([
                        "id": .string(operation.qualifiedName),
                        "group": .string(operation.group.rawValue),
                        "operationId": .string(operation.operationId),
                        "method": .string(operation.method.rawValue),
                        "path": .string(operation.path),
                        "summary": .string(operation.summary),
                        "write": .bool(operation.isWrite),
                        "deprecated": .bool(operation.isDeprecated),
                        "subscription": .string(operation.subscription),
                        "fields": LuaValue(json: .array(operation.requestSchema.fields.map(\.json))),
                        "example": LuaValue(json: operation.requestSchema.example),
                    ])
                }))
                return 1
            },
        ]
    }

    /// `(operation, payload?, nil_on_no_result?, account?)`, checked before anything is sent.
    private static func arguments(_ call: inout LuaCall) throws(LuaArgumentError) -> (ChorusOperation, JSONValue, Bool, String?) {
        let name = try call.string(1)
        let operation: ChorusOperation
        do { operation = try Catalog.operation(named: name) } catch { throw LuaArgumentError(1, error.message) }
        var payload: JSONValue = .object([:])
        if !call.isNoneOrNil(2) {
            guard call.type(2) == .table else { throw call.typeError(2, expected: "table") }
            let value = try call.value(2)
            do { payload = try value.toJSON(namespace: call.namespace) } catch { throw LuaArgumentError(2, error.description) }
        }
        let account = call.isNoneOrNil(4) ? nil : try call.string(4)
        return (operation, payload, call.bool(3), account)
    }
}
