import ChorusAPI
import Foundation
import JSONValue

/// The control API under `/_sim/` (loopback peers only, outside PISTE's paths):
///
/// - `GET /_sim/health`: the clock and how many flux and invoices are kept.
/// - `GET /_sim/state`: the whole state as JSON (records name their files: key and size, not the content).
/// - `GET /_sim/requests?limit=N`, `DELETE /_sim/requests`: the request log (no secrets).
/// - `POST /_sim/reset`: back to the seed data (faults and settings too).
/// - `POST /_sim/clock/advance` `{"seconds": N}`: moves the simulator clock forward.
/// - `GET|PUT|DELETE /_sim/faults` (`{"faults": [...]}`): the injected faults.
/// - `POST /_sim/tokens/expire`: every issued token expires now.
/// - `POST /_sim/scenario`: applies a scenario (`{"preset": "..."}`, or a scenario as JSON).
struct ControlAPI: Sendable {
    let store: SimulatorStore

    func handle(method: String, path: String, query: String, body: [UInt8]) -> Reply {
        let route = (method, path.hasSuffix("/") ? String(path.dropLast()) : path)
        switch route {
        case ("GET", "/_sim"), ("GET", "/_sim/health"):
            // Counts are cheap (no settling, no copy): load tests poll them.
            let (flux, invoices) = store.read { state, _ in (state.flux.count, state.invoices.count) }
            return .json([
                "status": "ok", "now": .string(ChorusDate.timestamp(store.now)), "flux": .integer(Int64(flux)),
                "invoices": .integer(Int64(invoices)),
            ])
        case ("GET", "/_sim/state"):
            return dumpState()
        case ("GET", "/_sim/requests"):
            return requests(query: query)
        case ("DELETE", "/_sim/requests"):
            store.clearRequests()
            return .json(["cleared": true])
        case ("POST", "/_sim/reset"):
            store.replace(with: SimulatorSeed.state(now: Date()))
            store.clearRequests()
            return .json(["reset": true])
        case ("POST", "/_sim/clock/advance"):
            return advance(body)
        case ("GET", "/_sim/faults"):
            return faults()
        case ("PUT", "/_sim/faults"), ("POST", "/_sim/faults"):
            return setFaults(body)
        case ("DELETE", "/_sim/faults"):
            store.write { state, _ in state.faults = [] }
            return faults()
        case ("POST", "/_sim/tokens/expire"):
            let count = store.write { state, now in
                for key in state.tokens.keys { state.tokens[key]?.expiresAt = now.addingTimeInterval(-1) }
                return state.tokens.count
            }
            return .json(["expired": .integer(Int64(count))])
        case ("POST", "/_sim/scenario"):
            return applyScenario(body)
        default:
            return .json(["error": .string("unknown control route \(method) \(path)")], status: 404)
        }
    }

    private func dumpState() -> Reply {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(store.snapshot())) ?? Data("{}".utf8)
        return Reply(status: 200, headers: Reply.jsonHeader, body: [UInt8](data))
    }

    private func requests(query: String) -> Reply {
        var limit = 100
        for pair in query.split(separator: "&") where pair.hasPrefix("limit=") {
            limit = Int(pair.dropFirst(6)) ?? limit
        }
        let entries = store.recentRequests(limit: limit).map { entry -> JSONValue in
            var row: [String: JSONValue] = [
                "at": .string(ChorusDate.timestamp(entry.at)), "method": .string(entry.method),
                "path": .string(entry.path),
                "status": .integer(Int64(entry.status)),
            ]
            if let operation = entry.operation { row["operation"] = .string(operation) }
            if let login = entry.login { row["login"] = .string(login) }
            if let note = entry.note { row["note"] = .string(note) }
            return .object(row)
        }
        return .json(["requests": .array(entries)])
    }

    /// The most one `clock/advance` may move the clock, seconds: ten years, far past any token or flux delay,
    /// and far from the dates Foundation cannot format.
    static let maximumAdvance: Double = 10 * 366 * 86_400

    private func advance(_ body: [UInt8]) -> Reply {
        guard let json = try? JSONValue.parse(body.isEmpty ? Array("{}".utf8) : body),
            let seconds = json["seconds"].flatMap({ value -> Double? in
                if case .number(let d) = value { return d }
                return value.integerValue.map(Double.init)
            }), seconds.isFinite, (0...Self.maximumAdvance).contains(seconds)
        else {
            return .json(
                ["error": .string("expected {\"seconds\": N} with 0 <= N <= \(Int(Self.maximumAdvance)) (ten years)")],
                status: 400)
        }
        // Repeated advances stay within a century, where dates still format.
        store.write { state, _ in state.clockOffset = min(state.clockOffset + seconds, 10 * Self.maximumAdvance) }
        return .json(["now": .string(ChorusDate.timestamp(store.now))])
    }

    private func faults() -> Reply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let list = store.snapshot().faults
        let data = (try? encoder.encode(["faults": list])) ?? Data("{}".utf8)
        return Reply(status: 200, headers: Reply.jsonHeader, body: [UInt8](data))
    }

    private func setFaults(_ body: [UInt8]) -> Reply {
        struct Body: Decodable { var faults: [Fault] }
        do {
            let decoded = try JSONDecoder().decode(Body.self, from: Data(body))
            store.write { state, _ in state.faults = decoded.faults }
            return faults()
        } catch {
            return .json(["error": .string("invalid faults: \(error)")], status: 400)
        }
    }

    private func applyScenario(_ body: [UInt8]) -> Reply {
        do {
            let json = try JSONValue.parse(body)
            let scenario = try Scenario(json: json)
            store.write { state, now in scenario.apply(to: &state, now: now) }
            return .json(["applied": true])
        } catch let error as Scenario.Error {
            return .json(["error": .string(error.message)], status: 400)
        } catch {
            return .json(["error": .string("invalid scenario: \(error)")], status: 400)
        }
    }
}
