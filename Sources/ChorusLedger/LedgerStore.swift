import Foundation

/// Where the ledger keeps its rows. SQLite now (`SQLiteLedgerStore`); a server database can replace it
/// without touching the callers, as long as `update` is atomic against every other writer.
public protocol LedgerStore: Sendable {
    /// The row of invoice `number` of `supplier` in `environment`, if any.
    func entry(environment: String, supplier: String, number: String) throws -> LedgerEntry?
    /// Reads the row of (`environment`, `supplier`, `number`), lets `change` decide, and saves what it
    /// returns (inserting it when new), all in one exclusive transaction: two processes depositing the
    /// same invoice cannot both reserve it.
    /// - Parameter durable: the change is on stable storage before this returns (a reservation). A
    ///   non-durable change may be lost by a power cut, never half-written: the ledger only relaxes it
    ///   for records a lost write cannot make unsafe (a lost result leaves the row `reserved`, which is
    ///   reconciled).
    /// - Returns: the saved row (with its id), or the row as found when `change` returns nil.
    func update(
        environment: String, supplier: String, number: String, durable: Bool,
        _ change: (LedgerEntry?) throws -> LedgerEntry?
    ) throws -> LedgerEntry?
    /// Rows, oldest first, optionally of one environment and in some states.
    func entries(environment: String?, states: Set<LedgerState>?) throws -> [LedgerEntry]
}

extension LedgerStore {
    /// A durable `update`.
    public func update(
        environment: String, supplier: String, number: String, _ change: (LedgerEntry?) throws -> LedgerEntry?
    ) throws -> LedgerEntry? {
        try update(environment: environment, supplier: supplier, number: number, durable: true, change)
    }
}

/// A store in memory, for the in-process simulator (whose data is gone at exit too) and tests.
public final class InMemoryLedgerStore: LedgerStore, @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [LedgerEntry] = []
    private var nextId: Int64 = 1

    /// An empty store.
    public init() {}

    public func entry(environment: String, supplier: String, number: String) throws -> LedgerEntry? {
        lock.withLock { rows.first { $0.matches(environment, supplier, number) } }
    }

    public func update(
        environment: String, supplier: String, number: String, durable: Bool,
        _ change: (LedgerEntry?) throws -> LedgerEntry?
    ) throws -> LedgerEntry? {
        try lock.withLock {
            let index = rows.firstIndex { $0.matches(environment, supplier, number) }
            let current = index.map { rows[$0] }
            guard var changed = try change(current) else { return current }
            if let index {
                changed.id = rows[index].id
                rows[index] = changed
            } else {
                changed.id = nextId
                nextId += 1
                rows.append(changed)
            }
            return changed
        }
    }

    public func entries(environment: String?, states: Set<LedgerState>?) throws -> [LedgerEntry] {
        lock.withLock {
            rows.filter { row in
                (environment == nil || row.environment == environment) && (states?.contains(row.state) ?? true)
            }
        }
    }
}

extension LedgerEntry {
    func matches(_ environment: String, _ supplier: String, _ number: String) -> Bool {
        self.environment == environment && supplierSiret == supplier && invoiceNumber == number
    }
}
