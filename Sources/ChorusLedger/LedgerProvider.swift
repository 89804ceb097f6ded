import ChorusAPI
import Foundation

/// Gives a run its ledger, made on first use for the run's client (whose environment is the ledger's
/// identity), from a store chosen by the host: a SQLite file, or memory for the in-process simulator.
public actor LedgerProvider {
    private let makeStore: @Sendable (ChorusClient) throws(ChorusError) -> any LedgerStore
    private let settleWindow: TimeInterval?
    private var store: (any LedgerStore)?
    private var ledgers: [ObjectIdentifier: DepositLedger] = [:]

    /// A provider whose store `makeStore` opens once, on the first deposit.
    public init(
        settleWindow: TimeInterval? = nil,
        store makeStore: @escaping @Sendable (ChorusClient) throws(ChorusError) -> any LedgerStore
    ) {
        self.makeStore = makeStore
        self.settleWindow = settleWindow
    }

    /// A provider keeping its rows in memory for the life of the process.
    public static func inMemory() -> LedgerProvider {
        let store = InMemoryLedgerStore()
        return LedgerProvider { _ in store }
    }

    /// The store for the settings in force: memory for the in-process simulator without a state file,
    /// `<state file>.ledger.sqlite` beside a simulator state file, else the `--ledger` flag, `CHORUS_LEDGER`
    /// or `$XDG_STATE_HOME/chorus/ledger.sqlite` (see `SQLiteLedgerStore.defaultPath`). A ledger named by the
    /// flag or the variable is used for the simulator too.
    public static func standard(flag: String?, environment: [String: String]) -> LedgerProvider {
        let memory = InMemoryLedgerStore()
        let simState = environment["CHORUS_SIM_STATE"].flatMap { $0.isEmpty ? nil : $0 }
        let explicit =
            (flag.map { !$0.isEmpty } ?? false) || (environment["CHORUS_LEDGER"].map { !$0.isEmpty } ?? false)
        let path = SQLiteLedgerStore.defaultPath(flag: flag, environment: environment)
        // CHORUS_LEDGER_SETTLE (seconds) overrides the settle window: tests and fault drills on a
        // simulator reached by URL, whose flux are processed in seconds.
        let settle = environment["CHORUS_LEDGER_SETTLE"].flatMap(Double.init).flatMap {
            (0...604_800).contains($0) ? $0 : nil
        }
        return LedgerProvider(settleWindow: settle) { client throws(ChorusError) in
            if client.environment.name == .sim, !explicit {
                guard let simState else { return memory }
                return try SQLiteLedgerStore(path: simState + ".ledger.sqlite")
            }
            return try SQLiteLedgerStore(path: path)
        }
    }

    /// The ledger of `client`'s environment.
    public func ledger(for client: ChorusClient) throws(ChorusError) -> DepositLedger {
        if let ledger = ledgers[ObjectIdentifier(client)] { return ledger }
        let store: any LedgerStore
        if let existing = self.store {
            store = existing
        } else {
            store = try makeStore(client)
            self.store = store
        }
        let ledger = DepositLedger(store: store, client: client, settleWindow: settleWindow)
        ledgers[ObjectIdentifier(client)] = ledger
        return ledger
    }
}
