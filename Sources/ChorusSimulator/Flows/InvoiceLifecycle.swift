import ChorusAPI
import Foundation

/// The statuses of an invoice once it exists, and who may move it where.
///
/// An invoice created by a flux or by soumettreFacture is `DEPOSEE`, then routed automatically on the
/// simulator clock to `EN_COURS_ACHEMINEMENT` and `MISE_A_DISPOSITION`, where the recipient sees it and
/// processes it with traiterFactureRecue.
enum InvoiceLifecycle {
    /// Statuses in which the recipient does not see the invoice yet.
    static let hiddenFromRecipient: Set<String> = ["BROUILLON", "DEPOSEE", "EN_COURS_ACHEMINEMENT", "INTERPRETEE_OCR"]

    /// Target statuses that need a `motif`.
    static let needsReason = Set(Vocabulary.statusesNeedingReason)

    /// The statuses the recipient may move an invoice to from `status` (the one table, in the vocabulary).
    static func targets(from status: String) -> [String] { Vocabulary.nextStatuses(from: status) }

    /// Starts the life of a new invoice at `date`: DEPOSEE now, routed to the recipient after two delays.
    static func start(_ invoice: inout Invoice, at date: Date, delay: TimeInterval, by: String) {
        invoice.history = [Invoice.StatusChange(status: "DEPOSEE", at: date, comment: "", by: by)]
        invoice.scheduled = [
            Invoice.StatusChange(
                status: "EN_COURS_ACHEMINEMENT", at: date.addingTimeInterval(delay), comment: "", by: "CPP"),
            Invoice.StatusChange(
                status: "MISE_A_DISPOSITION", at: date.addingTimeInterval(2 * delay), comment: "", by: "CPP"),
        ]
    }
}

/// Applies what the simulator clock says has happened: processed flux create their invoices, routed
/// invoices reach their next status. Only the events due are visited (the index orders them by due time),
/// so the cost does not grow with the number of flux and invoices kept.
enum Lifecycle {
    static func settle(_ state: inout SimulatorState, now: Date) {
        state.buildIndexIfNeeded()
        while let event = state.index.agenda.popDue(now) {
            switch event {
            case .flux(let number):
                guard var flux = state.flux[number], !flux.settled, now >= flux.finalAt else { continue }
                for var invoice in flux.pendingInvoices {
                    invoice.id = state.takeId()
                    invoice.fluxNumber = flux.number
                    invoice.depositedAt = flux.depositedAt
                    InvoiceLifecycle.start(
                        &invoice, at: flux.finalAt, delay: state.settings.routingDelay, by: flux.login)
                    state.store(invoice)
                    flux.invoiceIds.append(invoice.id)
                }
                flux.pendingInvoices = []
                flux.settled = true
                state.flux[number] = flux
            case .invoice(let id):
                // A stale event (the invoice was rescheduled or its schedule cleared) finds nothing due.
                guard var invoice = state.invoices[id], let first = invoice.scheduled.first, first.at <= now else {
                    continue
                }
                while let next = invoice.scheduled.first, next.at <= now {
                    invoice.history.append(next)
                    invoice.scheduled.removeFirst()
                }
                state.store(invoice)
            }
        }
        // The searches' lists follow the invoices changed so far (by this settling or an earlier change).
        state.refreshInvoiceIndex()
    }
}
