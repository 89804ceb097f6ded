import Foundation

/// Where the ledger keeps its rows. SQLite now (`SQLiteLedgerStore`); a server database can replace it
/// without touching the callers, as long as `update` is atomic against every other writer.
public protocol LedgerStore: Sendable {
    /// The row of invoice `number` of `supplier` in `environment`, if any.
    func entry(environment: String, supplier: String, number: String) throws -> LedgerEntry?
    /// Reads the rows of `keys` in `environment` (nil where there is none), lets `change` decide, and
    /// saves the rows it returns (one per key, in order; inserting the new ones), all in one exclusive
    /// transaction: two processes depositing the same invoice cannot both reserve it, and the invoices of
    /// a lot change together.
    /// - Parameter durable: the change is on stable storage before this returns (a reservation). A
    ///   non-durable change may be lost by a power cut, never half-written: the ledger only relaxes it
    ///   for records a lost write cannot make unsafe (a lost result leaves the row `reserved`, which is
    ///   reconciled).
    /// - Returns: the saved rows (with their ids), or the rows as found when `change` returns nil.
    func update(
        environment: String, keys: [LedgerKey], durable: Bool, _ change: ([LedgerEntry?]) throws -> [LedgerEntry]?
    ) throws -> [LedgerEntry?]
    /// Rows, oldest first, optionally of one environment and in some states.
    func entries(environment: String?, states: Set<LedgerState>?) throws -> [LedgerEntry]
}

/// An invoice in an environment, as rows are keyed: its supplier and its number.
public struct LedgerKey: Sendable, Hashable {
    /// The supplier's SIRET.
    public var supplier: String
    /// The invoice number.
    public var number: String

    /// Creates a value from its fields.
    public init(supplier: String, number: String) {
        self.supplier = supplier
        self.number = number
    }
}

extension LedgerStore {
    /// `update` of one row: reads the row of (`environment`, `supplier`, `number`), lets `change`
    /// decide, and saves what it returns (inserting it when new), in one exclusive transaction.
    /// - Returns: the saved row (with its id), or the row as found when `change` returns nil.
    public func update(
        environment: String, supplier: String, number: String, durable: Bool = true,
        _ change: (LedgerEntry?) throws -> LedgerEntry?
    ) throws -> LedgerEntry? {
        let rows = try update(
            environment: environment, keys: [LedgerKey(supplier: supplier, number: number)], durable: durable
        ) { rows in try change(rows[0]).map { [$0] } }
        return rows.first ?? nil
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
        environment: String, keys: [LedgerKey], durable: Bool, _ change: ([LedgerEntry?]) throws -> [LedgerEntry]?
    ) throws -> [LedgerEntry?] {
        try lock.withLock {
            let indices = keys.map { key in rows.firstIndex { $0.matches(environment, key.supplier, key.number) } }
            let current = indices.map { $0.map { rows[$0] } }
            guard let changed = try change(current) else { return current }
            precondition(changed.count == keys.count, "one row per key")
            var saved: [LedgerEntry?] = []
            for (row, index) in zip(changed, indices) {
                var row = row
                if let index {
                    row.id = rows[index].id
                    rows[index] = row
                } else {
                    row.id = nextId
                    nextId += 1
                    rows.append(row)
                }
                saved.append(row)
            }
            return saved
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
