import ChorusAPI
import ChorusLedger
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// The ledger against the in-process simulator: each invoice reaches the platform exactly once.
@Suite struct DepositLedgerTests {
    @Test func aDepositIsReservedThenSentAndASecondOneIsRefused() async throws {
        let h = try await LedgerHarness()
        let first = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0001"))
        let flux = try #require(first.answer["numeroFluxDepot"]?.stringValue)
        #expect(first.entry.state == .sent)
        #expect(first.entry.fluxNumber == flux)
        #expect(first.entry.attempts.map(\.outcome) == ["reserved", "sent"])
        #expect(first.forced == false)

        let error = await chorusError { try await h.ledger.deposit(try LedgerHarness.candidate("LG-0001")) }
        #expect(error?.code == .duplicate)
        #expect(error?.exitCode == 9)
        #expect(error?.fluxNumber == flux)
        #expect(
            error?.message
                == "invoice LG-0001 of 98765432100015 was already deposited in this environment as flux \(flux) on "
                + "\(first.entry.depositDate ?? "?") (LG-0001.xml, state sent); --force sends it again")
        #expect(await h.fluxCount() == 1)
    }

    @Test func forceSendsAgainAndSaysSo() async throws {
        let h = try await LedgerHarness()
        _ = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0002"))
        let again = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0002"), force: true)
        #expect(again.forced)
        #expect(again.entry.state == .sent)
        #expect(again.entry.attempts.map(\.action) == ["deposit", "deposit", "force", "deposit"])
        #expect(again.entry.attempts[2].detail == "forced over state sent")
        #expect(await h.fluxCount() == 2)
    }

    @Test func theSameNumberWithAnotherContentIsALikelyCorrection() async throws {
        let h = try await LedgerHarness()
        let first = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0003"))
        let error = await chorusError {
            try await h.ledger.deposit(try LedgerHarness.candidate("LG-0003", note: "corrected"))
        }
        #expect(error?.code == .duplicate)
        #expect(error?.fluxNumber == first.entry.fluxNumber)
        #expect(
            error?.message.hasSuffix(
                "(LG-0003.xml): a corrected invoice needs a new invoice number or a credit note (avoir)") == true)
        #expect(await h.fluxCount() == 1)
    }

    @Test func aLostAnswerIsUncertainAndReconciledAsSentWhenTheInvoiceIsThere() async throws {
        let h = try await LedgerHarness(faults: [
            ["operation": "deposerFluxFacture", "reset_rate": 1, "times": 1]
        ])
        let error = await chorusError { try await h.ledger.deposit(try LedgerHarness.candidate("LG-0004")) }
        #expect(error?.code == .uncertain, "\(String(describing: error))")
        let row = try #require(try h.ledger.entries().first)
        #expect(row.state == .uncertain)
        #expect(await h.fluxCount() == 1)

        // Running the same deposit again reconciles first: the invoice is on the platform, nothing is resent.
        let again = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0004"))
        #expect(again.reconciled)
        #expect(again.entry.state == .sent)
        #expect(again.entry.fluxNumber != nil)
        #expect(again.answer["reconciled"] == .bool(true))
        #expect(again.entry.attempts.last?.outcome == "found")
        #expect(await h.fluxCount() == 1)
        #expect(await h.invoices(numbered: "LG-0004") == 1)
    }

    @Test func anUncertainDepositAbsentAfterTheSettleWindowIsResentOnce() async throws {
        let h = try await LedgerHarness(faults: [
            ["operation": "deposerFluxFacture", "error_rate": 1, "status": 500, "times": 1]
        ])
        let error = await chorusError { try await h.ledger.deposit(try LedgerHarness.candidate("LG-0005")) }
        #expect(error?.code == .uncertain)
        #expect(error?.message.hasSuffix("; the deposit may have been stored") == true)
        #expect(await h.fluxCount() == 0)

        // Too soon: absence proves nothing yet, nothing is sent.
        let soon = await chorusError { try await h.ledger.deposit(try LedgerHarness.candidate("LG-0005")) }
        #expect(soon?.code == .uncertain)
        #expect(soon?.message.contains("does not list it yet") == true)
        #expect(await h.fluxCount() == 0)

        h.clock.advance(h.ledger.settleWindow + 1)
        let resent = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0005"))
        #expect(resent.reconciled)
        #expect(resent.entry.state == .sent)
        #expect(
            resent.entry.attempts.map(\.outcome) == ["reserved", "uncertain", "pending", "absent", "reserved", "sent"])
        #expect(await h.fluxCount() == 1)
        #expect(await h.invoices(numbered: "LG-0005") == 1)
    }

    @Test func aFailureBeforeTheRequestLeftPutsTheRowBackToChecked() async throws {
        let h = try await LedgerHarness(faults: [
            ["operation": "deposerFluxFacture", "error_rate": 1, "status": 503, "times": 1]
        ])
        let error = await chorusError { try await h.ledger.deposit(try LedgerHarness.candidate("LG-0006")) }
        #expect(error?.code == .server)
        #expect(try h.ledger.entries().first?.state == .checked)
        let second = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0006"))
        #expect(second.entry.state == .sent)
        #expect(second.reconciled == false)
        #expect(await h.fluxCount() == 1)
    }

    @Test func aFreshReservationBelongsToAnotherRunAndAStaleOneIsReconciled() async throws {
        let h = try await LedgerHarness()
        let candidate = try LedgerHarness.candidate("LG-0007")
        _ = try h.store.update(
            environment: h.ledger.environment.key, supplier: candidate.supplierSiret, number: candidate.invoiceNumber
        ) { _ in
            var row = LedgerEntry(
                environment: h.ledger.environment, invoiceNumber: "LG-0007", supplierSiret: candidate.supplierSiret,
                recipientSiret: candidate.recipientSiret, contentHash: candidate.contentHash, fileName: "LG-0007.xml",
                syntax: candidate.flux.syntax, now: h.clock.now)
            row.record(.reserved, LedgerAttempt(at: h.clock.now, action: "deposit", outcome: "reserved"))
            return row
        }
        let busy = await chorusError { try await h.ledger.deposit(candidate) }
        #expect(busy?.code == .duplicate)
        #expect(busy?.message.contains("is being deposited by another run") == true)

        // A killed run left it: after staleAfter (and the settle window), a proven absence allows the send.
        h.clock.advance(h.ledger.staleAfter + 1)
        let sent = try await h.ledger.deposit(candidate)
        #expect(sent.entry.state == .sent)
        #expect(await h.fluxCount() == 1)
    }

    @Test func aReservationWhoseProcessIsGoneIsReconciledAtOnce() async throws {
        let h = try await LedgerHarness()
        let candidate = try LedgerHarness.candidate("LG-0011")
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let host = DepositLedger.processOwner.split(separator: "@", maxSplits: 1).last.map(String.init) ?? "?"
        _ = try h.store.update(
            environment: h.ledger.environment.key, supplier: candidate.supplierSiret, number: candidate.invoiceNumber
        ) { _ in
            var row = LedgerEntry(
                environment: h.ledger.environment, invoiceNumber: "LG-0011", supplierSiret: candidate.supplierSiret,
                recipientSiret: candidate.recipientSiret, contentHash: candidate.contentHash, fileName: "LG-0011.xml",
                syntax: candidate.flux.syntax, now: h.clock.now)
            row.record(
                .reserved,
                LedgerAttempt(
                    at: h.clock.now, action: "deposit", outcome: "reserved",
                    owner: "\(finished.processIdentifier)@\(host)"))
            return row
        }
        // Not "being deposited by another run": the search runs now; absence is not proven yet.
        let error = await chorusError { try await h.ledger.deposit(candidate) }
        #expect(error?.code == .uncertain)
        #expect(error?.message.contains("does not list it yet") == true)
        h.clock.advance(h.ledger.settleWindow + 1)
        #expect(try await h.ledger.deposit(candidate).entry.state == .sent)
        #expect(await h.fluxCount() == 1)
    }

    @Test func reconcileAllSettlesEveryUncertainRow() async throws {
        let h = try await LedgerHarness(faults: [
            ["operation": "deposerFluxFacture", "reset_rate": 1, "times": 2]
        ])
        for number in ["LG-0008", "LG-0009"] {
            let error = await chorusError { try await h.ledger.deposit(try LedgerHarness.candidate(number)) }
            #expect(error?.code == .uncertain)
        }
        let results = await h.ledger.reconcileAll()
        #expect(results.count == 2)
        #expect(results.allSatisfy { (try? $0.1.get().state) == .sent })
        #expect(try h.ledger.entries(states: [.uncertain]).isEmpty)
        #expect(await h.fluxCount() == 2)
    }

    @Test func reconcileAllProvesAnAbsenceAfterTheSettleWindowAndTheNextDepositSendsItOnce() async throws {
        let h = try await LedgerHarness(faults: [
            ["operation": "deposerFluxFacture", "error_rate": 1, "status": 502, "times": 1]
        ])
        let error = await chorusError { try await h.ledger.deposit(try LedgerHarness.candidate("LG-0010")) }
        #expect(error?.code == .uncertain)
        // Too soon: still uncertain.
        let soon = await h.ledger.reconcileAll()
        #expect(soon.map { try? $0.1.get().state } == [.uncertain])
        h.clock.advance(h.ledger.settleWindow + 1)
        let proven = await h.ledger.reconcileAll()
        #expect(proven.map { try? $0.1.get().state } == [.checked])
        #expect(try h.ledger.entries().first?.attempts.last?.outcome == "absent")
        #expect(await h.fluxCount() == 0)
        let sent = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0010"))
        #expect(sent.entry.state == .sent)
        #expect(sent.reconciled == false)
        #expect(await h.fluxCount() == 1)
        #expect(await h.invoices(numbered: "LG-0010") == 1)
    }

    @Test func environmentsAreKeptApart() async throws {
        let h = try await LedgerHarness()
        #expect(h.ledger.environment.name == "sim")
        #expect(h.ledger.environment.apiURL == "sim")
        #expect(h.ledger.environment.account == SimulatorSeed.supplierLogin)
        _ = try await h.ledger.deposit(try LedgerHarness.candidate("LG-0010"))
        let other = try await LedgerHarness(store: h.store)
        // Same store, same identity (the in-process simulator is `sim` whatever its port): refused.
        let error = await chorusError { try await other.ledger.deposit(try LedgerHarness.candidate("LG-0010")) }
        #expect(error?.code == .duplicate)
        #expect(
            try h.store.entries(environment: "sandbox https://x \(SimulatorSeed.supplierLogin)", states: nil).isEmpty)
    }
}
