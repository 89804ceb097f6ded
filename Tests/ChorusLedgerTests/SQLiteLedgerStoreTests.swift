import ChorusAPI
import ChorusLedger
import Foundation
import Testing

/// The SQLite store keeps rows across reopenings, keys them by environment, supplier and number, and
/// serialises changes.
@Suite struct SQLiteLedgerStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-ledger-\(UUID().uuidString)")
    let env = LedgerEnvironment(name: "sandbox", apiURL: "https://sandbox-api.piste.gouv.fr", account: "TECH_1@cpro.fr")

    func row(_ number: String, state: LedgerState = .reserved) -> LedgerEntry {
        var entry = LedgerEntry(
            environment: env, invoiceNumber: number, supplierSiret: "98765432100015", recipientSiret: "12345678200051",
            contentHash: "abc", fileName: "\(number).xml", syntax: "IN_DP_E1_UBL_INVOICE",
            now: Date(timeIntervalSince1970: 1_800_000_000))
        entry.record(
            state, LedgerAttempt(at: Date(timeIntervalSince1970: 1_800_000_001), action: "deposit", outcome: "reserved")
        )
        return entry
    }

    @Test func rowsSurviveReopeningWithTheirAttempts() throws {
        let path = folder.appendingPathComponent("sub/ledger.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let store = try SQLiteLedgerStore(path: path)
            let saved = try store.update(environment: env.key, supplier: "98765432100015", number: "N-1") { _ in
                row("N-1")
            }
            #expect(saved?.id == 1)
            _ = try store.update(environment: env.key, supplier: "98765432100015", number: "N-1") { current in
                var next = current!
                next.fluxNumber = "CPP001"
                next.record(
                    .sent,
                    LedgerAttempt(at: Date(timeIntervalSince1970: 1_800_000_002), action: "deposit", outcome: "sent"))
                return next
            }
            _ = try store.update(environment: env.key, supplier: "98765432100015", number: "N-2") { _ in
                row("N-2", state: .uncertain)
            }
        }
        let reopened = try SQLiteLedgerStore(path: path)
        let first = try #require(try reopened.entry(environment: env.key, supplier: "98765432100015", number: "N-1"))
        #expect(first.state == .sent)
        #expect(first.fluxNumber == "CPP001")
        #expect(first.attempts.map(\.outcome) == ["reserved", "sent"])
        #expect(first.createdAt == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(try reopened.entries(environment: env.key, states: [.uncertain]).map(\.invoiceNumber) == ["N-2"])
        #expect(try reopened.entries(environment: "prod x y", states: nil).isEmpty)
        #expect(try reopened.entries(environment: nil, states: nil).count == 2)
    }

    @Test func theInvoicesOfALotChangeTogetherOrNotAtAll() throws {
        let path = folder.appendingPathComponent("lot/ledger.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = ["L-1", "L-2"].map { LedgerKey(supplier: "98765432100015", number: $0) }
        do {
            let store = try SQLiteLedgerStore(path: path)
            let saved = try store.update(environment: env.key, keys: keys, durable: true) { rows in
                #expect(rows.count == 2 && rows.allSatisfy { $0 == nil })
                return keys.map { key in
                    var entry = row(key.number)
                    entry.lot = "lot.zip"
                    return entry
                }
            }
            #expect(saved.map { $0?.id } == [1, 2])
            // A change that throws writes nothing.
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                _ = try store.update(environment: env.key, keys: keys, durable: false) { _ in throw Stop() }
            }
        }
        let reopened = try SQLiteLedgerStore(path: path)
        let rows = try reopened.entries(environment: env.key, states: nil)
        #expect(rows.map(\.lot) == ["lot.zip", "lot.zip"])
        #expect(rows.map(\.invoiceNumber) == ["L-1", "L-2"])
    }

    @Test func twoStoresOnOneFileReserveAnInvoiceOnce() async throws {
        let path = folder.appendingPathComponent("ledger.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        let stores = [try SQLiteLedgerStore(path: path), try SQLiteLedgerStore(path: path)]
        let key = env.key
        let won = await withTaskGroup(of: Bool.self) { group in
            for attempt in 0..<40 {
                let store = stores[attempt % 2]
                group.addTask {
                    var reserved = false
                    _ = try? store.update(environment: key, supplier: "98765432100015", number: "RACE-1") { current in
                        guard current == nil else { return nil }
                        reserved = true
                        return row("RACE-1")
                    }
                    return reserved
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(won == 1)
        #expect(try stores[0].entries(environment: nil, states: nil).count == 1)
    }

    @Test func aNonDurableChangeIsStillCommitted() throws {
        let path = folder.appendingPathComponent("ledger.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let store = try SQLiteLedgerStore(path: path)
            _ = try store.update(environment: env.key, supplier: "98765432100015", number: "N-3", durable: false) { _ in
                row("N-3", state: .sent)
            }
        }
        let reopened = try SQLiteLedgerStore(path: path)
        #expect(try reopened.entry(environment: env.key, supplier: "98765432100015", number: "N-3")?.state == .sent)
    }

    @Test func aChangeThatDeclinesWritesNothing() throws {
        let path = folder.appendingPathComponent("ledger.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteLedgerStore(path: path)
        let none = try store.update(environment: env.key, supplier: "S", number: "N") { _ in nil }
        #expect(none == nil)
        #expect(try store.entries(environment: nil, states: nil).isEmpty)
    }

    @Test func thePathFollowsFlagThenVariableThenXDG() {
        #expect(
            SQLiteLedgerStore.defaultPath(flag: "/tmp/a.sqlite", environment: ["CHORUS_LEDGER": "/tmp/b"])
                == "/tmp/a.sqlite")
        #expect(SQLiteLedgerStore.defaultPath(flag: nil, environment: ["CHORUS_LEDGER": "/tmp/b"]) == "/tmp/b")
        #expect(
            SQLiteLedgerStore.defaultPath(flag: nil, environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
                == "/s/chorus/ledger.sqlite")
        #expect(
            SQLiteLedgerStore.defaultPath(flag: nil, environment: ["HOME": "/h"])
                == "/h/.local/state/chorus/ledger.sqlite")
    }

    @Test func anUnwritableFolderIsAConfigError() {
        #expect(throws: ChorusError.self) { try SQLiteLedgerStore(path: "/proc/chorus-ledger/ledger.sqlite") }
    }
}
