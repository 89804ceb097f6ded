import ChorusAPI
import ChorusLedger
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// Lots (archives of several invoices, one flux) through the ledger: one row per invoice sharing the
/// flux number, idempotency per invoice, reconciliation and flow reports per invoice.
@Suite struct LotLedgerTests {
    /// A ZIP lot named `name` of the example UBL invoice under each of `numbers`.
    static func lot(_ numbers: [String], name: String = "lot.zip") throws -> DepositCandidate {
        let entries = try numbers.map { InvoiceArchive.Entry(name: "\($0).xml", bytes: [UInt8](try LedgerHarness.invoice($0))) }
        return try DepositCandidate(data: Data(try #require(InvoiceArchive.zip(entries))), name: name)
    }

    @Test func aLotIsOneFluxWithOneRowPerInvoiceAndIsNotSentTwice() async throws {
        let h = try await LedgerHarness()
        let first = try await h.ledger.deposit(try Self.lot(["LOT-01", "LOT-02"]))
        let flux = try #require(first.answer["numeroFluxDepot"]?.stringValue)
        #expect(first.entries.map(\.invoiceNumber) == ["LOT-01", "LOT-02"])
        #expect(first.entries.allSatisfy { $0.state == .sent && $0.fluxNumber == flux && $0.lot == "lot.zip" })
        #expect(first.entries.map(\.fileName) == ["lot.zip/LOT-01.xml", "lot.zip/LOT-02.xml"])
        #expect(try h.ledger.entries().count == 2)
        #expect(await h.fluxCount() == 1)

        // The same lot again, or a new lot holding one of its invoices: refused, naming the invoice.
        let again = await chorusError { try await h.ledger.deposit(try Self.lot(["LOT-01", "LOT-02"])) }
        #expect(again?.code == .duplicate)
        #expect(again?.fluxNumber == flux)
        #expect(again?.message.hasSuffix("(lot.zip/LOT-02.xml, state sent); --force sends the lot again") == true)
        let date = first.entry.depositDate ?? "?"
        let mixed = await chorusError { try await h.ledger.deposit(try Self.lot(["LOT-03", "LOT-02"], name: "b.zip")) }
        #expect(
            mixed?.message
                == "the lot 'b.zip' holds an invoice already deposited in this environment: invoice LOT-02 of "
                + "98765432100015 as flux \(flux) on \(date) (lot.zip/LOT-02.xml, state sent); deposit its other "
                + "invoices on their own, or --force sends the whole lot again")
        #expect(await h.fluxCount() == 1)
        #expect(try h.ledger.entries().count == 2, "a refused lot reserves none of its invoices")

        // An invoice deposited alone is refused in a lot too, and --force sends the lot and says so.
        _ = try await h.ledger.deposit(try LedgerHarness.candidate("LOT-04"))
        let alone = await chorusError { try await h.ledger.deposit(try Self.lot(["LOT-04", "LOT-05"])) }
        #expect(alone?.message.contains("invoice LOT-04 of 98765432100015 as flux CPP") == true)
        let forced = try await h.ledger.deposit(try Self.lot(["LOT-04", "LOT-05"]), force: true)
        #expect(forced.forced)
        #expect(forced.entries[0].attempts.last { $0.outcome == "reserved" }?.detail == "forced over state sent")
        #expect(forced.entries[1].attempts.first?.detail == nil)
        #expect(await h.fluxCount() == 3)
    }

    @Test func aLostAnswerLeavesEveryInvoiceOfTheLotUncertainAndEachIsReconciled() async throws {
        let h = try await LedgerHarness(faults: [
            ["operation": "deposerFluxFacture", "reset_rate": 1, "times": 1]
        ])
        let error = await chorusError { try await h.ledger.deposit(try Self.lot(["LOT-11", "LOT-12"])) }
        #expect(error?.code == .uncertain)
        #expect(try h.ledger.entries().map(\.state) == [.uncertain, .uncertain])

        let again = try await h.ledger.deposit(try Self.lot(["LOT-11", "LOT-12"]))
        #expect(again.reconciled)
        #expect(again.entries.map(\.state) == [.sent, .sent])
        #expect(again.entries.map { $0.attempts.last?.outcome } == ["found", "found"])
        #expect(Set(again.entries.map(\.fluxNumber)).count == 1)
        #expect(await h.fluxCount() == 1)
        #expect(await h.invoices(numbered: "LOT-11") == 1)
        #expect(await h.invoices(numbered: "LOT-12") == 1)
    }

    @Test func anUncertainLotProvenAbsentIsResentOnce() async throws {
        let h = try await LedgerHarness(faults: [
            ["operation": "deposerFluxFacture", "error_rate": 1, "status": 500, "times": 1]
        ])
        _ = await chorusError { try await h.ledger.deposit(try Self.lot(["LOT-21", "LOT-22"])) }
        #expect(try h.ledger.entries().map(\.state) == [.uncertain, .uncertain])
        let soon = await chorusError { try await h.ledger.deposit(try Self.lot(["LOT-21", "LOT-22"])) }
        #expect(soon?.code == .uncertain)
        #expect(await h.fluxCount() == 0)

        h.clock.advance(h.ledger.settleWindow + 1)
        let resent = try await h.ledger.deposit(try Self.lot(["LOT-21", "LOT-22"]))
        #expect(resent.reconciled)
        #expect(resent.entries.map(\.state) == [.sent, .sent])
        #expect(await h.fluxCount() == 1)
        #expect(await h.invoices(numbered: "LOT-21") == 1)
    }

    @Test func aLotFoundOnlyInPartIsNotResent() async throws {
        let h = try await LedgerHarness()
        // LOT-31 reached the platform (alone, outside the ledger); both rows are uncertain.
        _ = try await h.client.deposit(try LedgerHarness.candidate("LOT-31").flux)
        let lot = try Self.lot(["LOT-31", "LOT-32"])
        for invoice in lot.invoices {
            _ = try h.store.update(environment: h.ledger.environment.key, supplier: invoice.supplierSiret, number: invoice.invoiceNumber) { _ in
                var row = LedgerEntry(
                    environment: h.ledger.environment, invoiceNumber: invoice.invoiceNumber,
                    supplierSiret: invoice.supplierSiret, recipientSiret: invoice.recipientSiret,
                    contentHash: invoice.contentHash, fileName: invoice.name, syntax: lot.flux.syntax, now: h.clock.now)
                row.lot = "lot.zip"
                row.record(.uncertain, LedgerAttempt(at: h.clock.now, action: "deposit", outcome: "uncertain"))
                return row
            }
        }
        h.clock.advance(h.ledger.settleWindow + 1)
        let error = await chorusError { try await h.ledger.deposit(lot) }
        #expect(error?.code == .duplicate)
        #expect(error?.message.hasPrefix("the lot 'lot.zip' was deposited in part: the platform has LOT-31 (flux CPP") == true)
        #expect(
            error?.message.hasSuffix(
                "but not LOT-32; deposit those on their own (sending the lot again would duplicate the others)") == true)
        #expect(try h.ledger.entries().map(\.state) == [.sent, .checked])
        #expect(await h.fluxCount() == 1)
        // LOT-32 alone goes through.
        let alone = try await h.ledger.deposit(try LedgerHarness.candidate("LOT-32"))
        #expect(alone.entry.state == .sent)
    }

    @Test func aPartlyIntegratedLotIsSplitPerInvoice() async throws {
        let h = try await LedgerHarness()
        let url = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/lot-partial.tar.gz")
        let lot = try DepositCandidate(data: try Data(contentsOf: url), name: "lot-partial.tar.gz")
        // The recipient check would refuse it (FA-UBL-2026-0022's recipient is unknown): the ledger alone does not.
        let sent = try await h.ledger.deposit(lot)
        #expect(sent.entries.count == 2)
        let changes = await h.ledger.followAll()
        #expect(changes.count == 2)
        let rows = try h.ledger.entries()
        #expect(rows.map(\.flowState) == ["IN_INTEGRE_PARTIEL", "IN_INTEGRE_PARTIEL"])
        #expect(rows.map(\.state) == [.integrated, .rejected])
        #expect(rows[0].report == nil)
        #expect(rows[1].report?.contains("L'identifiant destinataire de la demande de paiement") == true)
        // The rejected invoice may be deposited again (corrected); the integrated one may not.
        #expect(try h.ledger.preview(lot, force: false).isRefusal)
    }
}

extension DepositPreview {
    var isRefusal: Bool {
        if case .refuse = self { return true }
        return false
    }
}
