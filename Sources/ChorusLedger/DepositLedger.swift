import ChorusAPI
import Foundation
import JSONValue

/// What happened to one deposit through the ledger.
public struct DepositResult: Sendable {
    /// The rows after the deposit: one, or one per invoice of a lot (sharing the flux number).
    public var entries: [LedgerEntry]
    /// The (first) row after the deposit: the only one unless the file is a lot.
    public var entry: LedgerEntry { entries[0] }
    /// The platform's answer (`numeroFluxDepot`, `dateDepot`, `syntaxeFlux`); for an invoice that
    /// reconciliation found already on the platform, the same keys from the search, with
    /// `reconciled = true`.
    public var answer: JSONValue
    /// Whether `force` sent an invoice the ledger would have refused.
    public var forced: Bool
    /// Whether an earlier uncertain attempt was reconciled first.
    public var reconciled: Bool
}

/// The deposit ledger of one environment: it reserves each invoice durably before its request leaves,
/// refuses what was already sent, and reconciles a lost answer before any resend (docs/ledger.md).
public final class DepositLedger: Sendable {
    /// Where rows are kept.
    public let store: any LedgerStore
    /// The environment identity rows are keyed by.
    public let environment: LedgerEnvironment
    let client: ChorusClient
    let now: @Sendable () -> Date
    /// How long after a reservation an invoice that a search does not find counts as proven absent:
    /// the platform only lists an invoice once its flux is processed.
    public let settleWindow: TimeInterval
    /// How long a `reserved` row may belong to a deposit still running in another process.
    public let staleAfter: TimeInterval
    /// The directory the pre-deposit check's live rules read (``check(_:allRules:)``): each recipient,
    /// supplier, service and engagement is looked up once for the life of the ledger (one run);
    /// `chorus deposit` and `chorus.invoices.deposit` share it.
    public let lookup: LiveRecipientLookup

    /// A ledger for `client`'s environment.
    /// - Parameters:
    ///   - settleWindow: see ``settleWindow``; `defaultSettleWindow(for:)` by environment.
    ///   - staleAfter: see ``staleAfter``; longer than the client's timeout.
    public init(
        store: any LedgerStore, client: ChorusClient, settleWindow: TimeInterval? = nil,
        staleAfter: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.client = client
        self.environment = Self.identity(of: client)
        self.settleWindow = settleWindow ?? Self.defaultSettleWindow(for: client.environment.name)
        self.staleAfter = staleAfter
        self.now = now
        self.lookup = LiveRecipientLookup(client: client)
    }

    /// The ledger identity of a client's environment. The in-process simulator's port changes at every
    /// run, so its API URL is recorded as `sim`.
    public static func identity(of client: ChorusClient) -> LedgerEnvironment {
        let name = client.environment.name.rawValue
        let api = client.environment.name == .sim ? "sim" : client.environment.endpoints.apiBaseURL.absoluteString
        return LedgerEnvironment(name: name, apiURL: api, account: client.technicalAccountLogin ?? "-")
    }

    /// One hour on the real platforms (qualification can take that long to process a flux); ten
    /// seconds on the simulator, which processes a flux in about two.
    public static func defaultSettleWindow(for name: EnvironmentName) -> TimeInterval {
        name == .sim ? 10 : 3600
    }

    /// Deposits a checked file: reserves its invoice (every invoice of a lot, together; committed and
    /// synced), sends it, records the answer on each row. An invoice already sent is refused (`DUPLICATE`)
    /// unless `force`; an uncertain or stale row is reconciled first, and only a proven absence sends it
    /// again. A lot is sent again only when every invoice in doubt proves absent: one found on the
    /// platform refuses the lot (its other invoices are to be deposited on their own).
    /// - Throws: `DUPLICATE` (refused, nothing sent), `UNCERTAIN` (the answer was lost, or an earlier one
    ///   cannot be proven absent yet), or the client's error (nothing was received; the rows are `checked`).
    public func deposit(_ candidate: DepositCandidate, force: Bool = false) async throws(ChorusError)
        -> DepositResult
    {
        var reconciled = false
        for _ in 0..<2 {
            switch try reserve(candidate, force: force) {
            case .reserved(let entries, let forced):
                return try await send(candidate, entries, forced: forced, reconciled: reconciled)
            case .reconcile(let doubtful):
                for row in doubtful {
                    let after = try await reconcile(row)
                    if !after.state.isDeposited, after.state != .checked {
                        throw LedgerErrors.notProvenYet(after, settleWindow: settleWindow)
                    }
                }
                reconciled = true
                let rows = try current(candidate)
                if rows.allSatisfy({ $0?.state.isDeposited == true }) {
                    let entries = rows.compactMap { $0 }
                    return DepositResult(
                        entries: entries, answer: Self.answer(of: entries, reconciled: true), forced: false,
                        reconciled: true)
                }
                if let lot = candidate.lot, rows.contains(where: { $0?.state.isDeposited == true }) {
                    throw LedgerErrors.lotPartlyFound(lot, rows.compactMap { $0 })
                }
            }
        }
        let doubtful = try current(candidate).compactMap { $0 }.first { $0.state == .uncertain || $0.state == .reserved }
        guard let doubtful else { throw LedgerErrors.storeFailed("no row in doubt for \(candidate.invoiceNumber)") }
        throw LedgerErrors.notProvenYet(doubtful, settleWindow: settleWindow)
    }

    enum Reservation {
        case reserved([LedgerEntry], forced: Bool)
        case reconcile([LedgerEntry])
    }

    /// What the ledger does with a file whose invoices have `rows` (nil: never seen), at `time`.
    enum Decision {
        /// Refused (`DUPLICATE`): in progress elsewhere, already deposited, a likely correction.
        case refuse(ChorusError)
        /// These rows are reconciled first.
        case reconcile([LedgerEntry])
        /// Reserved and sent; `over` are the rows `force` sends again.
        case send(over: [LedgerEntry])
    }

    /// The one place the ledger decides, for ``deposit(_:force:)`` (inside its transaction) and for
    /// ``preview(_:force:)``.
    func decide(_ candidate: DepositCandidate, _ rows: [LedgerEntry?], force: Bool, at time: Date) -> Decision {
        let known = rows.compactMap { $0 }
        if let busy = known.first(where: {
            $0.state == .reserved && time.timeIntervalSince($0.updatedAt) < staleAfter
                && Self.isAlive($0.reservationOwner)
        }) {
            return .refuse(LedgerErrors.inProgress(busy))
        }
        if force { return .send(over: known.filter { $0.state != .checked && $0.state != .rejected }) }
        let deposited = zip(candidate.invoices, rows).compactMap { invoice, row in
            row.flatMap { $0.state.isDeposited ? ($0, $0.contentHash == invoice.contentHash) : nil }
        }
        if let lot = candidate.lot, !deposited.isEmpty {
            return .refuse(LedgerErrors.lotAlreadySent(lot, deposited, of: candidate.invoices.count))
        }
        if let (row, sameContent) = deposited.first {
            return .refuse(sameContent ? LedgerErrors.alreadySent(row) : LedgerErrors.correction(row))
        }
        let doubtful = known.filter { $0.state == .reserved || $0.state == .uncertain }
        if !doubtful.isEmpty { return .reconcile(doubtful) }
        return .send(over: [])
    }

    /// Decides, in one exclusive transaction, whether the file may be sent, and reserves its invoices if so.
    func reserve(_ candidate: DepositCandidate, force: Bool) throws(ChorusError) -> Reservation {
        let time = now()
        var refusal: ChorusError?
        var decision: Reservation?
        let env = environment
        let keys = candidate.invoices.map { LedgerKey(supplier: $0.supplierSiret, number: $0.invoiceNumber) }
        do {
            let saved = try store.update(environment: env.key, keys: keys, durable: true) { rows in
                switch decide(candidate, rows, force: force, at: time) {
                case .refuse(let error):
                    refusal = error
                    return nil
                case .reconcile(let doubtful):
                    decision = .reconcile(doubtful)
                    return nil
                case .send(let over):
                    let forced = !over.isEmpty
                    let entries = zip(candidate.invoices, rows).map { invoice, current in
                        var entry =
                            current
                            ?? LedgerEntry(
                                environment: env, invoiceNumber: invoice.invoiceNumber,
                                supplierSiret: invoice.supplierSiret, recipientSiret: invoice.recipientSiret,
                                contentHash: invoice.contentHash, fileName: candidate.flux.name,
                                syntax: candidate.flux.syntax, now: time)
                        entry.contentHash = invoice.contentHash
                        entry.fileName = candidate.lot == nil ? candidate.flux.name : invoice.name
                        entry.lot = candidate.lot
                        entry.syntax = candidate.flux.syntax
                        entry.recipientSiret = invoice.recipientSiret
                        entry.fluxNumber = nil
                        entry.depositDate = nil
                        entry.flowState = nil
                        entry.report = nil
                        let over = current.flatMap { row in over.contains { $0.id == row.id } ? row : nil }
                        entry.record(
                            .reserved,
                            LedgerAttempt(
                                at: time, action: forced ? "force" : "deposit", outcome: "reserved",
                                detail: over.map { "forced over state \($0.state.rawValue)" }, owner: Self.processOwner))
                        return entry
                    }
                    decision = .reserved(entries, forced: forced)
                    return entries
                }
            }
            if let refusal { throw refusal }
            if case .reserved(_, let forced) = decision { return .reserved(saved.compactMap { $0 }, forced: forced) }
            if let decision { return decision }
            throw LedgerErrors.storeFailed("no decision for \(candidate.invoiceNumber)")
        } catch let error as ChorusError {
            throw error
        } catch {
            throw LedgerErrors.storeFailed("\(error)")
        }
    }

    /// Sends the reserved file and records what came back on each of its rows, together.
    private func send(_ candidate: DepositCandidate, _ entries: [LedgerEntry], forced: Bool, reconciled: Bool)
        async throws(ChorusError) -> DepositResult
    {
        let answer: JSONValue
        do {
            answer = try await client.deposit(candidate.flux)
        } catch {
            // A 500/502 may come after the platform stored the flux; a 503 is a refusal before it.
            let maybeReceived = error.code == .uncertain || (error.code == .server && error.status != 503)
            let state: LedgerState = maybeReceived ? .uncertain : .checked
            let time = now()
            try save(entries) {
                $0.record(
                    state,
                    LedgerAttempt(
                        at: time, action: "deposit", outcome: maybeReceived ? "uncertain" : "failed",
                        detail: error.description))
            }
            if maybeReceived, error.code != .uncertain {
                throw ChorusError(
                    code: .uncertain, message: "\(error.message); the deposit may have been stored",
                    status: error.status,
                    operation: error.operation, retryable: false, remediation: Remediation.uncertain,
                    correlationId: error.correlationId, environment: error.environment)
            }
            throw error
        }
        let flux = answer["numeroFluxDepot"]?.stringValue
        let date = answer["dateDepot"]?.stringValue
        let time = now()
        let saved = try save(entries) {
            $0.fluxNumber = flux
            $0.depositDate = date
            $0.record(.sent, LedgerAttempt(at: time, action: "deposit", outcome: "sent", detail: flux))
        }
        return DepositResult(entries: saved, answer: answer, forced: forced, reconciled: reconciled)
    }

    /// Applies `change` to the stored row of `entry` and saves it.
    @discardableResult
    func save(_ entry: LedgerEntry, _ change: (inout LedgerEntry) -> Void) throws(ChorusError) -> LedgerEntry {
        try save([entry], change)[0]
    }

    /// Applies `change` to the stored rows of `entries` and saves them in one transaction.
    @discardableResult
    func save(_ entries: [LedgerEntry], _ change: (inout LedgerEntry) -> Void) throws(ChorusError) -> [LedgerEntry] {
        guard let first = entries.first else { return [] }
        do {
            // Not synced: if a power cut loses it, the rows are still `reserved` and get reconciled.
            let saved = try store.update(
                environment: first.environment,
                keys: entries.map { LedgerKey(supplier: $0.supplierSiret, number: $0.invoiceNumber) }, durable: false
            ) { current in
                zip(current, entries).map { current, entry in
                    var row = current ?? entry
                    change(&row)
                    return row
                }
            }
            let rows = saved.compactMap { $0 }
            guard rows.count == entries.count else {
                throw LedgerErrors.storeFailed("the row of \(first.invoiceNumber) vanished")
            }
            return rows
        } catch let error as ChorusError {
            throw error
        } catch {
            throw LedgerErrors.storeFailed("\(error)")
        }
    }

    /// The rows of `candidate`'s invoices, in order (nil where there is none).
    func current(_ candidate: DepositCandidate) throws(ChorusError) -> [LedgerEntry?] {
        do {
            return try candidate.invoices.map { invoice in
                try store.entry(
                    environment: environment.key, supplier: invoice.supplierSiret, number: invoice.invoiceNumber)
            }
        } catch {
            throw LedgerErrors.storeFailed("\(error)")
        }
    }

    /// This process, as reservations record it: `pid@host`.
    public static let processOwner: String = {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "?"
        return "\(getpid())@\(host)"
    }()

    /// Whether the process that made a reservation may still be running: unknown owners and other
    /// hosts are assumed alive (until ``staleAfter``); on this host, a pid that no longer exists is not.
    static func isAlive(_ owner: String?) -> Bool {
        guard let owner, let at = owner.firstIndex(of: "@"), let pid = Int32(owner[..<at]) else { return true }
        let host = String(owner[owner.index(after: at)...])
        guard host == String(processOwner.split(separator: "@", maxSplits: 1).last ?? "") else { return true }
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The deposit answer's keys for rows already sent (one, or the invoices of a lot).
    static func answer(of entries: [LedgerEntry], reconciled: Bool) -> JSONValue {
        let entry = entries[0]
        var object: [String: JSONValue] = ["syntaxeFlux": .string(entry.syntax), "reconciled": .bool(reconciled)]
        if let flux = entry.fluxNumber { object["numeroFluxDepot"] = .string(flux) }
        if let date = entry.depositDate { object["dateDepot"] = .string(date) }
        return .object(object)
    }

    /// Rows of this environment, oldest first.
    public func entries(states: Set<LedgerState>? = nil) throws(ChorusError) -> [LedgerEntry] {
        do { return try store.entries(environment: environment.key, states: states) } catch {
            throw LedgerErrors.storeFailed("\(error)")
        }
    }
}
