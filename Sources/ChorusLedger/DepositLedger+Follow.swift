import ChorusAPI
import Foundation
import JSONValue

extension DepositLedger {
    /// Reads the flow report (`consulterCRDetaille`) of a sent row once and records a change of state:
    /// `IN_INTEGRE` → `integrated`, `IN_INTEGRE_PARTIEL` → `partially_integrated`, `IN_REJETE` →
    /// `rejected` (with the platform's text per invoice), `IN_INCIDENTE` → `checked` (the platform asks
    /// for the flux again in full). In a lot, `IN_INTEGRE_PARTIEL` is split per invoice: the platform
    /// integrated only the invoices its errors do not name, so those it names are `rejected` (and may be
    /// deposited again, corrected) and the others `integrated`. A row without a flux number, or already
    /// final, is returned as is.
    /// - Returns: the row after the poll (its `flowState` is the state read).
    @discardableResult
    public func follow(_ entry: LedgerEntry) async throws(ChorusError) -> LedgerEntry {
        guard let flux = entry.fluxNumber, !entry.state.isFinal, entry.state.isDeposited else { return entry }
        return try apply(try await report(flux), to: entry)
    }

    /// The flow report of flux `flux`.
    func report(_ flux: String) async throws(ChorusError) -> JSONValue {
        try await client.call("transverses.consulterCRDetaille", payload: ["numeroFluxDepot": .string(flux)])
    }

    /// Records what `report` says about the invoice of `entry` (see ``follow(_:)``).
    func apply(_ report: JSONValue, to entry: LedgerEntry) throws(ChorusError) -> LedgerEntry {
        let flowState = report["etatCourantDepotFlux"]?.stringValue ?? "?"
        guard flowState != entry.flowState || Vocabulary.FlowState.final.contains(flowState) else { return entry }
        let inLot = entry.lot != nil
        let named = Self.namesInvoice(report, entry.invoiceNumber)
        var text = Self.reportText(report, number: entry.invoiceNumber, onlyItsOwn: inLot)
        let next: LedgerState
        switch flowState {
        case Vocabulary.FlowState.integrated: next = .integrated
        case Vocabulary.FlowState.partiallyIntegrated where inLot: next = named ? .rejected : .integrated
        case Vocabulary.FlowState.partiallyIntegrated: next = text == nil ? .integrated : .partiallyIntegrated
        case Vocabulary.FlowState.rejected:
            next = .rejected
            // A lot rejected as a whole: every invoice carries the platform's reasons.
            if text == nil { text = Self.reportText(report, number: entry.invoiceNumber, onlyItsOwn: false) }
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

    /// Whether the report's `listeErreurDP` names invoice `number`.
    static func namesInvoice(_ report: JSONValue, _ number: String) -> Bool {
        (report["listeErreurDP"].map { $0.arrayValue ?? [$0] } ?? []).contains {
            $0["numeroDP"]?.stringValue == number
        }
    }

    /// The platform's text about invoice `number` in a flow report: its `listeErreurDP` lines (or, unless
    /// `onlyItsOwn`, all of them when none names it), then the technical errors; nil when there is none.
    static func reportText(_ report: JSONValue, number: String, onlyItsOwn: Bool = false) -> String? {
        let dp = (report["listeErreurDP"].map { $0.arrayValue ?? [$0] } ?? [])
        let mine = dp.filter { $0["numeroDP"]?.stringValue == number }
        var lines = (mine.isEmpty && !onlyItsOwn ? dp : mine).compactMap { $0["libelleErreurDP"]?.stringValue }
        let technical = report["listeErreurTechnique"].map { $0.arrayValue ?? [$0] } ?? []
        lines += technical.compactMap { error in
            error["libelleErreur"]?.stringValue.map { text in
                (error["codeErreur"]?.stringValue.map { "\($0): " } ?? "") + text
            }
        }
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }

    /// Polls every row of this environment that is sent but not final, once each; the invoices of a lot
    /// share one read of their flux's report.
    /// - Returns: the rows whose state or flow state changed, after the change.
    public func followAll() async -> [(before: LedgerEntry, after: Result<LedgerEntry, ChorusError>)] {
        let rows = (try? entries(states: [.sent])) ?? []
        var changes: [(before: LedgerEntry, after: Result<LedgerEntry, ChorusError>)] = []
        var reports: [String: Result<JSONValue, ChorusError>] = [:]
        for row in rows {
            guard let flux = row.fluxNumber else { continue }
            do throws(ChorusError) {
                if reports[flux] == nil {
                    do throws(ChorusError) { reports[flux] = .success(try await report(flux)) } catch {
                        reports[flux] = .failure(error)
                    }
                }
                let after = try apply(try reports[flux]!.get(), to: row)
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
        switch decide(candidate, try current(candidate), force: force, at: now()) {
        case .refuse(let error): return .refuse(error)
        case .reconcile(let rows): return .reconcileFirst(rows[0])
        case .send(let over): return over.first.map { .forcedResend($0) } ?? .send
        }
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
