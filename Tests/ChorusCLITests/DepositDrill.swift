import ChorusLedger
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// A `chorus sim` process with a scenario (faults), `count` invoices in a folder, a ledger file, and the
/// environment that points `chorus` at them; and what the drills assert: from the simulator's state and
/// request log, and from the ledger.
final class DepositDrill: @unchecked Sendable {
    let home = TestCredentials.temporaryDirectory()
    let count: Int
    let prefix: String
    let settle: Int
    let sim: SimulatorProcess
    var invoices: URL { home.appendingPathComponent("invoices") }
    var numbers: [String] { (1...count).map { String(format: "\(prefix)-%02d", $0) } }

    /// Six invoices; the first two deposits are answered after `latencyMs` (long enough for the test
    /// to see them in flight however loaded the machine), the others at once; a settle window longer
    /// than that latency.
    static func slow(latencyMs: Int) async throws -> DepositDrill {
        try await DepositDrill(
            count: 6, prefix: "SIG", settle: latencyMs / 1000 + 3,
            scenario: """
                [settings]
                processing_delay = 0
                routing_delay = 0

                [[faults]]
                operation = "deposerFluxFacture"
                latency_ms = \(latencyMs)
                times = 2
                """)
    }

    init(count: Int, prefix: String, settle: Int, scenario text: String) async throws {
        self.count = count
        self.prefix = prefix
        self.settle = settle
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent("invoices"), withIntermediateDirectories: true)
        let scenario = home.appendingPathComponent("scenario.toml")
        try text.write(to: scenario, atomically: true, encoding: .utf8)
        sim = try await SimulatorProcess(
            ["--state", home.appendingPathComponent("sim.json").path, "--scenario", scenario.path], home: home)
        let example = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/ubl-invoice.xml")
        let text = try String(contentsOf: example, encoding: .utf8)
        for number in numbers {
            try text.replacingOccurrences(of: "FA-UBL-2026-0001", with: number).write(
                to: invoices.appendingPathComponent("\(number).xml"), atomically: true, encoding: .utf8)
        }
    }

    /// The settle window must be longer than the simulator may hold a request: a request it still
    /// holds is never taken for absent.
    var environment: [String: String] {
        sim.environment.merging([
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin",
            "CHORUS_LEDGER": home.appendingPathComponent("ledger.sqlite").path, "CHORUS_LEDGER_SETTLE": String(settle),
        ]) { _, new in new }
    }

    /// The ledger file, read directly (cheap enough to poll while `chorus` writes it); opened again
    /// until it opens (a first try may meet `chorus` creating it).
    private var ledger: SQLiteLedgerStore?

    /// The ledger's rows, read from the file, optionally in one state.
    func entries(_ state: LedgerState? = nil) -> [LedgerEntry] {
        if ledger == nil { ledger = try? SQLiteLedgerStore(path: home.appendingPathComponent("ledger.sqlite").path) }
        return (try? ledger?.entries(environment: nil, states: state.map { [$0] })) ?? []
    }

    /// The ledger's rows as `chorus ledger list --json` prints them, optionally in one state.
    func rows(_ state: String? = nil) async throws -> [JSONValue] {
        let run = try await ChorusSubprocess.run(
            ["ledger", "list", "--json"] + (state.map { ["--state", $0] } ?? []), environment: environment)
        guard run.status == 0 else { return [] }
        return try JSONValue.parse(Array(run.stdout.utf8)).arrayValue ?? []
    }

    /// The deposits the simulator processed (its request log: status 200, whether the answer reached
    /// the client or was lost to a reset; a refused one, 503, stored nothing).
    func deposits() async throws -> Int {
        let log = try JSONValue.parse(Array(try await sim.control("/_sim/requests?limit=2000")))
        return (log["requests"]?.arrayValue ?? []).filter {
            $0["operation"]?.stringValue == "factures.deposerFluxFacture" && $0["status"] == .integer(200)
        }.count
    }

    /// Every deposit request the simulator answered, whatever its status.
    func depositRequests() async throws -> Int {
        let log = try JSONValue.parse(Array(try await sim.control("/_sim/requests?limit=2000")))
        return (log["requests"]?.arrayValue ?? []).filter {
            $0["operation"]?.stringValue == "factures.deposerFluxFacture"
        }.count
    }

    /// `depositRequests()`, blocking, for a condition checked on a thread of its own (0 on failure).
    func depositRequestsNow() -> Int {
        guard let data = sim.controlNow("/_sim/requests?limit=2000"), let log = try? JSONValue.parse(Array(data))
        else { return 0 }
        return (log["requests"]?.arrayValue ?? []).filter {
            $0["operation"]?.stringValue == "factures.deposerFluxFacture"
        }.count
    }

    /// The simulator's invoices (from its state).
    func platformInvoices() async throws -> [JSONValue] {
        let state = try JSONValue.parse(Array(try await sim.control("/_sim/state")))
        // A dictionary with integer keys may be written as [key, value, key, value...].
        return state["invoices"]?.objectValue.map { Array($0.values) }
            ?? (state["invoices"]?.arrayValue ?? []).filter { $0.objectValue != nil }
    }

    /// How many invoices the simulator holds under each number.
    func invoicesOnThePlatform() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for invoice in try await platformInvoices() { counts[invoice["number"]?.stringValue ?? "?", default: 0] += 1 }
        return counts
    }

    /// Reconciles until no row is in doubt (the settle window must pass for an absence).
    func reconcileUntilSettled() async throws -> Bool {
        try await ChorusProcess.eventually(deadline: 90) {
            _ = try await ChorusSubprocess.run(["ledger", "reconcile"], environment: environment)
            return entries().allSatisfy { $0.state != .uncertain && $0.state != .reserved }
        }
    }

    /// What every drill ends with: each invoice exactly once on the platform, one processed deposit
    /// each, and every ledger row sent with the flux the platform has for its invoice.
    func expectEachInvoiceOnce(_ comment: Comment? = nil) async throws {
        #expect(try await invoicesOnThePlatform() == Dictionary(uniqueKeysWithValues: numbers.map { ($0, 1) }), comment)
        #expect(try await deposits() == count, comment)
        let rows = try await rows()
        #expect(rows.count == count, comment)
        #expect(rows.allSatisfy { $0["state"] == "sent" }, comment)
        var flux: [String: JSONValue] = [:]
        for invoice in try await platformInvoices() { flux[invoice["number"]?.stringValue ?? "?"] = invoice["fluxNumber"] }
        let disagree = rows.filter { row in
            row["numeroFluxDepot"] == nil || row["numeroFluxDepot"] != flux[row["invoice_number"]?.stringValue ?? ""]
        }
        #expect(disagree.isEmpty, "the ledger names another flux than the platform: \(disagree)")
    }

    func finish() async {
        await sim.stop()
        try? FileManager.default.removeItem(at: home)
    }
}

