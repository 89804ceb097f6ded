import Foundation
import Logging

/// The simulator's state behind one lock, with its clock, request log and optional state file.
///
/// Every API request reads or writes through here; writes first apply what the simulator clock says
/// has happened since (flux processed, invoices routed), then save the file when there is one.
public final class SimulatorStore: @unchecked Sendable {
    private let lock = NSLock()
    private var state: SimulatorState
    private var requestLog: [RequestLogEntry] = []
    private let stateFile: URL?
    /// Entries kept in the request log (oldest dropped first).
    static let requestLogCapacity = 2000

    /// Where a failed save is reported.
    private let logger: Logger

    /// A store holding `state`, saved to `stateFile` after each change when given.
    public init(state: SimulatorState, stateFile: URL? = nil, logger: Logger = Logger(label: "chorus.sim")) {
        self.state = state
        self.stateFile = stateFile
        self.logger = logger
    }

    /// A store for `stateFile`: its saved state when the file exists, the seed otherwise.
    public static func open(stateFile: URL?) throws -> SimulatorStore {
        if let stateFile, FileManager.default.fileExists(atPath: stateFile.path) {
            let data = try Data(contentsOf: stateFile)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let state = try decoder.decode(SimulatorState.self, from: data)
            return SimulatorStore(state: state, stateFile: stateFile)
        }
        let store = SimulatorStore(state: SimulatorSeed.state(now: Date()), stateFile: stateFile)
        try store.save()
        return store
    }

    /// The simulator clock: wall clock plus the offset the control API advanced it by.
    public var now: Date {
        lock.withLock { Date().addingTimeInterval(state.clockOffset) }
    }

    /// Reads the state (no settling: for the gateway's hot path).
    func read<T>(_ body: (SimulatorState, Date) throws -> T) rethrows -> T {
        try lock.withLock { try body(state, Date().addingTimeInterval(state.clockOffset)) }
    }

    /// Settles the clock, then changes the state and saves it (a failed save is logged).
    func write<T, E: Error>(_ body: (inout SimulatorState, Date) throws(E) -> T) throws(E) -> T {
        // Saving inside the lock keeps the file in the order of the changes.
        lock.lock()
        defer { lock.unlock() }
        let now = Date().addingTimeInterval(state.clockOffset)
        Lifecycle.settle(&state, now: now)
        let result = try body(&state, now)
        _ = persist()
        return result
    }

    /// `write` for API requests: when the state file cannot be saved, the change is undone and the
    /// request answers the platform's 500, so a client never gets a success the simulator did not keep.
    func update<T>(_ body: (inout SimulatorState, Date) throws(Reply) -> T) throws(Reply) -> T {
        lock.lock()
        defer { lock.unlock() }
        let now = Date().addingTimeInterval(state.clockOffset)
        Lifecycle.settle(&state, now: now)
        // Only with a state file: the copy costs a copy of what the request changes.
        let before = stateFile == nil ? nil : state
        let result = try body(&state, now)
        if !persist(), let before {
            state = before
            throw Reply.internalError
        }
        return result
    }

    /// Saves the state when there is a state file; false (and a log line) when that failed.
    private func persist() -> Bool {
        guard let stateFile else { return true }
        do {
            try Self.write(state, to: stateFile)
            return true
        } catch {
            logger.error(
                "simulator state not saved: \(error.localizedDescription)", metadata: ["file": "\(stateFile.path)"])
            return false
        }
    }

    /// A copy of the whole state (settled).
    public func snapshot() -> SimulatorState {
        write { state, _ in state }
    }

    /// Applies `scenario` to the state now.
    public func apply(_ scenario: Scenario) {
        write { state, now in scenario.apply(to: &state, now: now) }
    }

    /// Replaces the whole state (reset, scenarios).
    public func replace(with newState: SimulatorState) {
        write { state, _ in state = newState }
    }

    /// Records one request for `/_sim/requests`.
    func record(_ entry: RequestLogEntry) {
        lock.withLock {
            if requestLog.count >= Self.requestLogCapacity { requestLog.removeFirst(requestLog.count / 4) }
            requestLog.append(entry)
        }
    }

    /// The last `limit` requests, oldest first.
    func recentRequests(limit: Int) -> [RequestLogEntry] {
        lock.withLock { Array(requestLog.suffix(max(0, limit))) }
    }

    /// Empties the request log.
    func clearRequests() {
        lock.withLock { requestLog.removeAll() }
    }

    /// Saves the state now (no-op without a state file).
    public func save() throws {
        guard let stateFile else { return }
        try Self.write(lock.withLock { state }, to: stateFile)
    }

    private static func write(_ state: SimulatorState, to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(state).write(to: file, options: .atomic)
    }
}

/// One request as the control API shows it (no secrets: no token, no cpro-account value, no body).
struct RequestLogEntry: Sendable {
    var at: Date
    var method: String
    var path: String
    var status: Int
    var operation: String?
    var login: String?
    /// Why the gateway refused the request, when it did (the response itself may not say).
    var note: String?
}
