import ChorusAPI
import ChorusLedger
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Logging

/// A simulator in this process, a client of its supplier account, and a ledger on a movable clock.
final class LedgerHarness: @unchecked Sendable {
    let launcher: InProcessSimulatorLauncher
    let client: ChorusClient
    let store: any LedgerStore
    let clock = MovableClock()
    let ledger: DepositLedger

    init(faults: [JSONValue] = [], store: any LedgerStore = InMemoryLedgerStore()) async throws {
        (launcher, client, _) = try await SimulatedSupplier.start(faults: faults, timeout: 20, retry: .none)
        self.store = store
        let clock = self.clock
        ledger = DepositLedger(store: store, client: client, now: { clock.now })
    }

    /// Flux the simulator received.
    func fluxCount() async -> Int { await launcher.store?.snapshot().flux.count ?? -1 }

    /// Invoices the simulator created with `number`.
    func invoices(numbered number: String) async -> Int {
        await launcher.store?.snapshot().invoices.values.filter { $0.number == number }.count ?? -1
    }

    /// The example UBL invoice with its number replaced (and, when given, a different amount).
    static func invoice(_ number: String, note: String? = nil) throws -> Data {
        let url = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/ubl-invoice.xml")
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: "FA-UBL-2026-0001", with: number)
        if let note {
            text = text.replacingOccurrences(
                of: "</cbc:IssueDate>", with: "</cbc:IssueDate>\n  <cbc:Note>\(note)</cbc:Note>")
        }
        return Data(text.utf8)
    }

    static func candidate(_ number: String, note: String? = nil) throws -> DepositCandidate {
        try DepositCandidate(data: invoice(number, note: note), name: "\(number).xml")
    }
}

/// A clock tests move forward by hand.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    var now: Date { lock.withLock { Date().addingTimeInterval(offset) } }
    func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
}

/// The error `body` threw, or nil.
func chorusError<T>(_ body: () async throws -> T) async -> ChorusError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error as? ChorusError
    }
}
