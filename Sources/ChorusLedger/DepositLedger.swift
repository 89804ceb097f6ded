import ChorusAPI
import Foundation
import JSONValue

/// What happened to one deposit through the ledger.
public struct DepositResult: Sendable {
    /// The row after the deposit.
    public var entry: LedgerEntry
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
    /// The recipients looked up by this ledger's pre-deposit checks, once each for the life of the
    /// ledger (one run): `chorus deposit` and `chorus.invoices.deposit` share it.
    public let recipients: RecipientDirectory

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
        self.recipients = RecipientDirectory(client: client)
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

    /// Deposits a checked invoice: reserves it (committed and synced), sends it, records the answer.
    /// An invoice already sent is refused (`DUPLICATE`) unless `force`; an uncertain or stale row is
    /// reconciled first, and only a proven absence sends it again.
    /// - Throws: `DUPLICATE` (refused, nothing sent), `UNCERTAIN` (the answer was lost, or an earlier one
    ///   cannot be proven absent yet), or the client's error (nothing was received; the row is `checked`).
    public func deposit(_ candidate: DepositCandidate, force: Bool = false) async throws(ChorusError)
        -> DepositResult
    {
        var reconciled = false
        for _ in 0..<2 {
            switch try reserve(candidate, force: force) {
            case .reserved(let entry, let forced):
                return try await send(candidate, entry, forced: forced, reconciled: reconciled)
            case .reconcile(let entry):
                let after = try await reconcile(entry)
                reconciled = true
                if after.state.isDeposited {
                    return DepositResult(
                        entry: after, answer: Self.answer(of: after, reconciled: true), forced: false, reconciled: true)
                }
                if after.state != .checked { throw LedgerErrors.notProvenYet(after, settleWindow: settleWindow) }
            }
        }
        throw LedgerErrors.notProvenYet(try current(candidate), settleWindow: settleWindow)
    }

    enum Reservation {
        case reserved(LedgerEntry, forced: Bool)
        case reconcile(LedgerEntry)
    }

    /// Decides, in one exclusive transaction, whether the invoice may be sent, and reserves it if so.
    func reserve(_ candidate: DepositCandidate, force: Bool) throws(ChorusError) -> Reservation {
        let time = now()
        var refusal: ChorusError?
        var decision: Reservation?
        let env = environment
        let stale = staleAfter
        do {
            let saved = try store.update(
                environment: env.key, supplier: candidate.supplierSiret, number: candidate.invoiceNumber
            ) { current in
                var forced = false
                if let current {
                    let sameContent = current.contentHash == candidate.contentHash
                    if current.state == .reserved, time.timeIntervalSince(current.updatedAt) < stale,
                        Self.isAlive(current.reservationOwner)
                    {
                        refusal = LedgerErrors.inProgress(current)
                        return nil
                    }
                    if !force {
                        if current.state == .reserved || current.state == .uncertain {
                            decision = .reconcile(current)
                            return nil
                        }
                        if current.state.isDeposited {
                            refusal = sameContent ? LedgerErrors.alreadySent(current) : LedgerErrors.correction(current)
                            return nil
                        }
                    } else {
                        forced = current.state != .checked && current.state != .rejected
                    }
                }
                var entry =
                    current
                    ?? LedgerEntry(
                        environment: env, invoiceNumber: candidate.invoiceNumber,
                        supplierSiret: candidate.supplierSiret, recipientSiret: candidate.recipientSiret,
                        contentHash: candidate.contentHash, fileName: candidate.flux.name,
                        syntax: candidate.flux.syntax, now: time)
                entry.contentHash = candidate.contentHash
                entry.fileName = candidate.flux.name
                entry.syntax = candidate.flux.syntax
                entry.recipientSiret = candidate.recipientSiret
                entry.fluxNumber = nil
                entry.depositDate = nil
                entry.flowState = nil
                entry.report = nil
                let note = forced ? "forced over state \(current?.state.rawValue ?? "-")" : nil
                entry.record(
                    .reserved,
                    LedgerAttempt(
                        at: time, action: forced ? "force" : "deposit", outcome: "reserved", detail: note,
                        owner: Self.processOwner))
                decision = .reserved(entry, forced: forced)
                return entry
            }
            if let refusal { throw refusal }
            if case .reserved(_, let forced) = decision, let saved { return .reserved(saved, forced: forced) }
            if let decision { return decision }
            throw LedgerErrors.storeFailed("no decision for \(candidate.invoiceNumber)")
        } catch let error as ChorusError {
            throw error
        } catch {
            throw LedgerErrors.storeFailed("\(error)")
        }
    }

    /// Sends the reserved invoice and records what came back.
    private func send(_ candidate: DepositCandidate, _ entry: LedgerEntry, forced: Bool, reconciled: Bool)
        async throws(ChorusError) -> DepositResult
    {
        let answer: JSONValue
        do {
            answer = try await client.deposit(candidate.flux)
        } catch {
            // A 500/502 may come after the platform stored the flux; a 503 is a refusal before it.
            let maybeReceived = error.code == .uncertain || (error.code == .server && error.status != 503)
            let state: LedgerState = maybeReceived ? .uncertain : .checked
            try save(entry) {
                $0.record(
                    state,
                    LedgerAttempt(
                        at: now(), action: "deposit", outcome: maybeReceived ? "uncertain" : "failed",
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
        let saved = try save(entry) {
            $0.fluxNumber = flux
            $0.depositDate = date
            $0.record(.sent, LedgerAttempt(at: now(), action: "deposit", outcome: "sent", detail: flux))
        }
        return DepositResult(entry: saved, answer: answer, forced: forced, reconciled: reconciled)
    }

    /// Applies `change` to the stored row of `entry` and saves it.
    @discardableResult
    func save(_ entry: LedgerEntry, _ change: (inout LedgerEntry) -> Void) throws(ChorusError) -> LedgerEntry {
        do {
            // Not synced: if a power cut loses it, the row is still `reserved` and gets reconciled.
            let saved = try store.update(
                environment: entry.environment, supplier: entry.supplierSiret, number: entry.invoiceNumber,
                durable: false
            ) { current in
                var row = current ?? entry
                change(&row)
                return row
            }
            guard let saved else { throw LedgerErrors.storeFailed("the row of \(entry.invoiceNumber) vanished") }
            return saved
        } catch let error as ChorusError {
            throw error
        } catch {
            throw LedgerErrors.storeFailed("\(error)")
        }
    }

    func current(_ candidate: DepositCandidate) throws(ChorusError) -> LedgerEntry {
        do {
            guard
                let row = try store.entry(
                    environment: environment.key, supplier: candidate.supplierSiret, number: candidate.invoiceNumber)
            else { throw LedgerErrors.storeFailed("no row for \(candidate.invoiceNumber)") }
            return row
        } catch let error as ChorusError {
            throw error
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

    /// The deposit answer's keys for a row already sent.
    static func answer(of entry: LedgerEntry, reconciled: Bool) -> JSONValue {
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
