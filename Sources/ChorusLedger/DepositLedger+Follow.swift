import ChorusAPI
import Foundation
import JSONValue

extension DepositLedger {
    /// Reads the flow report (`consulterCRDetaille`) of a sent row once and records a change of state:
    /// `IN_INTEGRE` → `integrated`, `IN_INTEGRE_PARTIEL` → `partially_integrated`, `IN_REJETE` →
    /// `rejected` (with the platform's text per invoice), `IN_INCIDENTE` → `checked` (the platform asks
    /// for the flux again in full). A row without a flux number, or already final, is returned as is.
    /// - Returns: the row after the poll (its `flowState` is the state read).
    @discardableResult
    public func follow(_ entry: LedgerEntry) async throws(ChorusError) -> LedgerEntry {
        guard let flux = entry.fluxNumber, !entry.state.isFinal, entry.state.isDeposited else { return entry }
        let report = try await client.call(
            "transverses.consulterCRDetaille", payload: ["numeroFluxDepot": .string(flux)])
        let flowState = report["etatCourantDepotFlux"]?.stringValue ?? "?"
        guard flowState != entry.flowState || Vocabulary.FlowState.final.contains(flowState) else { return entry }
        let text = Self.reportText(report, number: entry.invoiceNumber)
        let next: LedgerState
        switch flowState {
        case Vocabulary.FlowState.integrated: next = .integrated
        case Vocabulary.FlowState.partiallyIntegrated: next = text == nil ? .integrated : .partiallyIntegrated
        case Vocabulary.FlowState.rejected: next = .rejected
        case Vocabulary.FlowState.incident: next = .checked
        default: next = entry.state
        }
        let time = now()
        return try save(entry) {
            $0.flowState = flowState
            $0.report = text ?? $0.report
            if next != $0.state {
                $0.record(next, LedgerAttempt(at: time, action: "watch", outcome: flowState, detail: text))
            } else {
                $0.updatedAt = time
            }
        }
    }

    /// The platform's text about invoice `number` in a flow report: its `listeErreurDP` lines (or all of
    /// them when none names it), then the technical errors; nil when there is none.
    static func reportText(_ report: JSONValue, number: String) -> String? {
        let dp = (report["listeErreurDP"].map { $0.arrayValue ?? [$0] } ?? [])
        let mine = dp.filter { $0["numeroDP"]?.stringValue == number }
        var lines = (mine.isEmpty ? dp : mine).compactMap { $0["libelleErreurDP"]?.stringValue }
        let technical = report["listeErreurTechnique"].map { $0.arrayValue ?? [$0] } ?? []
        lines += technical.compactMap { error in
            error["libelleErreur"]?.stringValue.map { text in
                (error["codeErreur"]?.stringValue.map { "\($0): " } ?? "") + text
            }
        }
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }

    /// Polls every row of this environment that is sent but not final, once each.
    /// - Returns: the rows whose state or flow state changed, after the change.
    public func followAll() async -> [(before: LedgerEntry, after: Result<LedgerEntry, ChorusError>)] {
        let rows = (try? entries(states: [.sent])) ?? []
        var changes: [(before: LedgerEntry, after: Result<LedgerEntry, ChorusError>)] = []
        for row in rows {
            do throws(ChorusError) {
                let after = try await follow(row)
                if after.state != row.state || after.flowState != row.flowState {
                    changes.append((row, .success(after)))
                }
            } catch {
                changes.append((row, .failure(error)))
            }
        }
        return changes
    }

    /// What the ledger would do with `candidate`, without writing anything (for `--dry-run`).
    public func preview(_ candidate: DepositCandidate, force: Bool) throws(ChorusError) -> DepositPreview {
        let row: LedgerEntry?
        do {
            row = try store.entry(
                environment: environment.key, supplier: candidate.supplierSiret, number: candidate.invoiceNumber)
        } catch {
            throw LedgerErrors.storeFailed("\(error)")
        }
        guard let row else { return .send }
        if row.state == .reserved, now().timeIntervalSince(row.updatedAt) < staleAfter,
            Self.isAlive(row.reservationOwner)
        {
            return .refuse(LedgerErrors.inProgress(row))
        }
        if force { return row.state == .checked || row.state == .rejected ? .send : .forcedResend(row) }
        if row.state == .reserved || row.state == .uncertain { return .reconcileFirst(row) }
        if row.state.isDeposited {
            return .refuse(
                row.contentHash == candidate.contentHash ? LedgerErrors.alreadySent(row) : LedgerErrors.correction(row))
        }
        return .send
    }
}

/// What a deposit would do (`chorus deposit --dry-run`).
public enum DepositPreview: Sendable {
    /// Sent: new, never received, or rejected before.
    case send
    /// Sent again because of `--force`, over the row shown.
    case forcedResend(LedgerEntry)
    /// Reconciled first; sent only if the platform proves not to have it.
    case reconcileFirst(LedgerEntry)
    /// Refused (`DUPLICATE`).
    case refuse(ChorusError)
}
