import ChorusAPI
import ChorusLedger
import ChorusTestSupport
import Foundation
import Testing

/// `chorus watch` and `deposit --wait` follow sent rows through their flow reports: each transition is
/// recorded once, and a rejection keeps the platform's text for the invoice.
@Suite struct FollowTests {
    @Test func sentRowsReachTheirFinalStateWithThePlatformsText() async throws {
        let h = try await LedgerHarness()
        let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices")
        let good = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0100"))
        let bad = try DepositCandidate(
            data: try Data(contentsOf: examples.appendingPathComponent("rejected-missing-service.xml")),
            name: "rejected-missing-service.xml")
        let rejected = try await h.ledger.deposit(bad)
        #expect(good.entry.state == .sent)

        var changes: [(before: LedgerEntry, after: Result<LedgerEntry, ChorusError>)] = []
        for _ in 0..<50 where changes.count < 2 {
            changes += await h.ledger.followAll().filter { (try? $0.after.get().state.isFinal) == true }
            if changes.count < 2 { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        let after = Dictionary(
            uniqueKeysWithValues: changes.compactMap { try? $0.after.get() }.map { ($0.invoiceNumber, $0) })
        #expect(after["LG-0100"]?.state == .integrated)
        #expect(after["LG-0100"]?.flowState == "IN_INTEGRE")
        #expect(after["LG-0100"]?.attempts.last?.action == "watch")
        let row = try #require(after[rejected.entry.invoiceNumber])
        #expect(row.state == .rejected)
        #expect(row.flowState == "IN_REJETE")
        #expect(row.report?.contains("Le code service est obligatoire pour le destinataire 12345678200028") == true)
        // Final rows are not followed again, so nothing more is printed.
        #expect(await h.ledger.followAll().isEmpty)
        // A rejected invoice may be deposited again (corrected or not).
        #expect(try await h.ledger.deposit(bad).entry.state == .sent)
    }
}
