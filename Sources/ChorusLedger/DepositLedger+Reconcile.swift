import ChorusAPI
import Foundation
import JSONValue

extension DepositLedger {
    /// Settles an `uncertain` (or stale `reserved`) row by searching the supplier's invoices
    /// (`rechercherFactureParFournisseur`) by invoice number over the deposit period:
    /// - found → `sent`, with the flux number and deposit date the platform lists;
    /// - absent, and the last attempt is older than ``settleWindow`` → `checked` (a resend is allowed);
    /// - absent sooner → unchanged (absence proves nothing while the flux may still be processing).
    /// - Returns: the row after reconciliation.
    /// - Throws: the search's error (the row is unchanged apart from the recorded attempt).
    @discardableResult
    public func reconcile(_ entry: LedgerEntry) async throws(ChorusError) -> LedgerEntry {
        let since = entry.lastReservation ?? entry.createdAt
        let time = now()
        let payload: JSONValue = [
            "numeroFacture": .string(entry.invoiceNumber),
            "periodeDateDepotDu": .string(ChorusDate.day(since.addingTimeInterval(-86_400))),
            "periodeDateDepotAu": .string(ChorusDate.day(time.addingTimeInterval(86_400))),
            "rechercheFactureParFournisseur": ["pageResultatDemandee": 1, "nbResultatsParPage": 100],
        ]
        let rows: [JSONValue]
        do {
            let answer = try await client.call("factures.rechercherFactureParFournisseur", payload: payload)
            rows = answer["listeFactures"]?.arrayValue ?? []
        } catch  where error.isNoResult {
            rows = []
        } catch {
            try save(entry) {
                $0.attempts.append(
                    LedgerAttempt(at: time, action: "reconcile", outcome: "failed", detail: error.description))
                $0.updatedAt = time
            }
            throw error
        }
        let match = rows.first { row in
            row["numeroFacture"]?.stringValue == entry.invoiceNumber
                && (row["codeFournisseur"]?.stringValue).map { $0 == entry.supplierSiret } ?? true
        }
        if let match {
            let flux = match["numeroFluxDepot"]?.stringValue
            let id = match["identifiantFactureCPP"]?.integerValue.map { String($0) } ?? "?"
            return try save(entry) {
                $0.fluxNumber = flux ?? $0.fluxNumber
                $0.depositDate = match["dateDepot"]?.stringValue ?? $0.depositDate
                $0.record(
                    .sent,
                    LedgerAttempt(
                        at: time, action: "reconcile", outcome: "found",
                        detail: "invoice \(id)" + (flux.map { " in flux \($0)" } ?? "")))
            }
        }
        if time.timeIntervalSince(since) >= settleWindow {
            return try save(entry) {
                $0.record(
                    .checked,
                    LedgerAttempt(
                        at: time, action: "reconcile", outcome: "absent",
                        detail: "not on the platform \(Int(time.timeIntervalSince(since))) s after the attempt"))
            }
        }
        return try save(entry) {
            $0.attempts.append(
                LedgerAttempt(
                    at: time, action: "reconcile", outcome: "pending",
                    detail: "not listed yet; absence is proven \(Int(settleWindow)) s after the attempt"))
            if $0.state == .reserved { $0.state = .uncertain }
            $0.updatedAt = time
        }
    }

    /// Reconciles every `uncertain` row and every `reserved` row older than ``staleAfter`` or whose
    /// process is gone.
    /// - Returns: each row after reconciliation, or the error that stopped it.
    public func reconcileAll() async -> [(LedgerEntry, Result<LedgerEntry, ChorusError>)] {
        let time = now()
        let rows = (try? entries(states: [.uncertain, .reserved])) ?? []
        var results: [(LedgerEntry, Result<LedgerEntry, ChorusError>)] = []
        for row in rows
        where row.state == .uncertain || time.timeIntervalSince(row.updatedAt) >= staleAfter
            || !Self.isAlive(row.reservationOwner)
        {
            do throws(ChorusError) {
                results.append((row, .success(try await reconcile(row))))
            } catch {
                results.append((row, .failure(error)))
            }
        }
        return results
    }
}

/// The ledger's refusals, as `ChorusError`s with their own codes (exit 9).
enum LedgerErrors {
    static func alreadySent(_ entry: LedgerEntry) -> ChorusError {
        var error = ChorusError(
            code: .duplicate,
            message:
                "invoice \(entry.invoiceNumber) of \(entry.supplierSiret) was already deposited in this environment"
                + " as flux \(entry.fluxNumber ?? "(unknown)") on \(entry.depositDate ?? day(entry.updatedAt))"
                + " (\(entry.fileName), state \(entry.state.rawValue)); --force sends it again",
            operation: "factures.deposerFluxFacture", retryable: false, remediation: Remediation.duplicate,
            environment: entry.envName)
        error.fluxNumber = entry.fluxNumber
        return error
    }

    static func correction(_ entry: LedgerEntry) -> ChorusError {
        var error = ChorusError(
            code: .duplicate,
            message: "invoice \(entry.invoiceNumber) of \(entry.supplierSiret) was already deposited with a different"
                + " content as flux \(entry.fluxNumber ?? "(unknown)") on \(entry.depositDate ?? day(entry.updatedAt))"
                + " (\(entry.fileName)): a corrected invoice needs a new invoice number or a credit note (avoir)",
            operation: "factures.deposerFluxFacture", retryable: false, remediation: Remediation.duplicate,
            environment: entry.envName)
        error.fluxNumber = entry.fluxNumber
        return error
    }

    /// A lot holding invoices already deposited (or likely corrections of them): the lot is one flux, so
    /// sending it would duplicate them.
    static func lotAlreadySent(_ lot: String, _ rows: [(LedgerEntry, sameContent: Bool)], of total: Int)
        -> ChorusError
    {
        let named = rows.map { row, sameContent in
            "invoice \(row.invoiceNumber) of \(row.supplierSiret) as flux \(row.fluxNumber ?? "(unknown)") on "
                + "\(row.depositDate ?? day(row.updatedAt)) (\(row.fileName), state \(row.state.rawValue)"
                + (sameContent ? ")" : ", with a different content: a corrected invoice needs a new invoice number or a credit note (avoir))")
        }
        var error = ChorusError(
            code: .duplicate,
            message: "the lot '\(lot)' holds \(rows.count == 1 ? "an invoice" : "\(rows.count) invoices") already "
                + "deposited in this environment: " + named.joined(separator: "; ")
                + (rows.count < total
                    ? "; deposit its other invoices on their own, or --force sends the whole lot again"
                    : "; --force sends the lot again"),
            operation: "factures.deposerFluxFacture", retryable: false, remediation: Remediation.duplicate,
            environment: rows.first?.0.envName)
        error.fluxNumber = rows.first?.0.fluxNumber
        return error
    }

    /// A lot whose deposit was uncertain, and whose invoices reconciliation found only in part: sending
    /// it again would duplicate those found; the others go on their own.
    static func lotPartlyFound(_ lot: String, _ rows: [LedgerEntry]) -> ChorusError {
        let found = rows.filter(\.state.isDeposited)
        let absent = rows.filter { !$0.state.isDeposited }
        var error = ChorusError(
            code: .duplicate,
            message: "the lot '\(lot)' was deposited in part: the platform has "
                + found.map { "\($0.invoiceNumber) (flux \($0.fluxNumber ?? "?"))" }.joined(separator: ", ")
                + " but not " + absent.map(\.invoiceNumber).joined(separator: ", ")
                + "; deposit those on their own (sending the lot again would duplicate the others)",
            operation: "factures.deposerFluxFacture", retryable: false, remediation: Remediation.duplicate,
            environment: rows.first?.envName)
        error.fluxNumber = found.first?.fluxNumber
        return error
    }

    static func inProgress(_ entry: LedgerEntry) -> ChorusError {
        ChorusError(
            code: .duplicate,
            message: "invoice \(entry.invoiceNumber) of \(entry.supplierSiret) is being deposited by another run"
                + " (reserved at \(ChorusDate.timestamp(entry.updatedAt)))",
            operation: "factures.deposerFluxFacture", retryable: false,
            remediation: "Wait for the other run to finish. A reservation left by a killed run on this machine is"
                + " reconciled at once; one from another machine after 5 minutes (`chorus ledger reconcile`).",
            environment: entry.envName)
    }

    static func notProvenYet(_ entry: LedgerEntry, settleWindow: TimeInterval) -> ChorusError {
        let since = entry.lastReservation ?? entry.updatedAt
        return ChorusError(
            code: .uncertain,
            message: "invoice \(entry.invoiceNumber) of \(entry.supplierSiret) may have been deposited at"
                + " \(ChorusDate.timestamp(since)) but the platform does not list it yet; it is resent only once its"
                + " absence is proven, \(Int(settleWindow)) s after that attempt",
            operation: "factures.deposerFluxFacture", retryable: false, remediation: Remediation.uncertain,
            environment: entry.envName)
    }

    static func storeFailed(_ detail: String) -> ChorusError {
        ChorusError(
            code: .config, message: "the deposit ledger failed: \(detail)",
            remediation: "Check the ledger file (--ledger / CHORUS_LEDGER) is on a writable local disk.")
    }

    static func day(_ date: Date) -> String { ChorusDate.day(date) }
}
