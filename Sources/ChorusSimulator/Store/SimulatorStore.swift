import Foundation
import Logging

/// The simulator's state behind one lock, with its clock, request log and optional state file.
///
/// Every API request reads or writes through here; writes first apply what the simulator clock says
/// has happened since (flux processed, invoices routed), then save what changed when there is a state
/// file (``StateDatabase``: only the records the request touched, before it is answered).
public final class SimulatorStore: @unchecked Sendable {
    private let lock = NSLock()
    private var state: SimulatorState
    private var requestLog: [RequestLogEntry] = []
    private let database: StateDatabase?
    /// The state was replaced whole since the last save: the next save rewrites the file.
    private var replaced = false
    /// Entries kept in the request log (oldest dropped first).
    static let requestLogCapacity = 2000

    /// Where a failed save is reported.
    private let logger: Logger

    /// A store holding `state` in memory.
    public convenience init(state: SimulatorState, logger: Logger = Logger(label: "chorus.sim")) {
        self.init(state: state, database: nil, logger: logger)
    }

    init(state: SimulatorState, database: StateDatabase?, logger: Logger) {
        self.state = state
        self.database = database
        self.logger = logger
    }

    /// A store for `stateFile`: its saved state when the file exists, the seed otherwise (saved at once).
    /// A JSON state file written by an earlier version is converted first (kept as `FILE.json-v1`).
    public static func open(stateFile: URL?, logger: Logger = Logger(label: "chorus.sim")) throws -> SimulatorStore {
        guard let stateFile else { return SimulatorStore(state: SimulatorSeed.state(now: Date()), logger: logger) }
        let path = stateFile.path
        if FileManager.default.fileExists(atPath: path), try !StateDatabase.isDatabase(path) {
            try StateDatabase.convertLegacy(at: path)
        }
        let database = try StateDatabase(path: path)
        if let saved = try database.load() {
            return SimulatorStore(state: saved, database: database, logger: logger)
        }
        let store = SimulatorStore(state: SimulatorSeed.state(now: Date()), database: database, logger: logger)
        store.replaced = true
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

    /// Settles the clock, then changes the state and saves it. A failed save is logged, and what it
    /// would have saved stays pending for the next save.
    func write<T, E: Error>(_ body: (inout SimulatorState, Date) throws(E) -> T) throws(E) -> T {
        // Saving inside the lock keeps the file in the order of the changes.
        lock.lock()
        defer { lock.unlock() }
        let now = Date().addingTimeInterval(state.clockOffset)
        Lifecycle.settle(&state, now: now)
        let result: Result<T, E>
        do throws(E) { result = .success(try body(&state, now)) } catch { result = .failure(error) }
        state.refreshInvoiceIndex()
        _ = persist()
        return try result.get()
    }

    /// `write` for API requests: when the state file cannot be saved, the changes since the last save
    /// are undone and the request answers the platform's 500, so a client never gets a success the
    /// simulator did not keep.
    func update<T>(_ body: (inout SimulatorState, Date) throws(Reply) -> T) throws(Reply) -> T {
        lock.lock()
        defer { lock.unlock() }
        let now = Date().addingTimeInterval(state.clockOffset)
        Lifecycle.settle(&state, now: now)
        let result: Result<T, Reply>
        do throws(Reply) { result = .success(try body(&state, now)) } catch { result = .failure(error) }
        state.refreshInvoiceIndex()
        guard persist() else {
            rollback()
            throw Reply.internalError
        }
        return try result.get()
    }

    /// Saves what changed when there is a state file; false (and a log line) when that failed.
    private func persist() -> Bool {
        guard let database else {
            state.commitChanges(dropSavedFiles: false)
            return true
        }
        guard replaced || database.hasChanges(in: state) else { return true }
        do {
            try database.save(state, full: replaced)
            replaced = false
            state.commitChanges(dropSavedFiles: true)
            state.files.source = database
            return true
        } catch {
            logger.error("simulator state not saved: \(error)", metadata: ["file": "\(database.path)"])
            return false
        }
    }

    /// Back to what the state file holds (a whole replacement is not undone: the next save rewrites it).
    private func rollback() {
        guard let database, !replaced else { return }
        state.rollbackChanges()
        database.savedMeta?.apply(to: &state)
        state.invalidateIndex()
    }

    /// A copy of the whole state (settled).
    public func snapshot() -> SimulatorState {
        write { state, _ in state }
    }

    /// Applies `scenario` to the state now.
    public func apply(_ scenario: Scenario) {
        write { state, now in scenario.apply(to: &state, now: now) }
    }

    /// Replaces the whole state (reset).
    public func replace(with newState: SimulatorState) {
        write { state, _ in
            state = newState
            replaced = true
        }
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

    /// Saves what is not saved yet (no-op without a state file).
    public func save() throws {
        guard let database else { return }
        try lock.withLock {
            guard replaced || database.hasChanges(in: state) else { return }
            try database.save(state, full: replaced)
            replaced = false
            state.commitChanges(dropSavedFiles: true)
            state.files.source = database
        }
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
