import Foundation

/// What the simulator derives from its state to keep each request's cost independent of its history:
/// the events still to happen, ordered by due time, and the invoice numbers each supplier already used
/// (integrated or waiting in a flux). Never saved, never compared: rebuilt from the state when missing.
public struct StateIndex: Sendable, Equatable {
    /// A due event: a flux reaches its outcome, or an invoice its next automatic status.
    enum Event: Hashable, Sendable {
        case flux(String)
        case invoice(Int64)
    }

    /// An invoice number of a supplier.
    struct InvoiceKey: Hashable, Sendable {
        var supplierId: Int64
        var number: String
    }

    var isBuilt = false
    var agenda = Agenda()
    var invoiceKeys: Set<InvoiceKey> = []

    /// The index is derived data: two states are equal whatever their indexes hold.
    public static func == (lhs: StateIndex, rhs: StateIndex) -> Bool { true }

    /// A min-heap of events by due time (ties in scheduling order).
    struct Agenda: Sendable {
        private var heap: [(at: Date, order: Int, event: Event)] = []
        private var counter = 0

        var count: Int { heap.count }

        mutating func schedule(_ event: Event, at date: Date) {
            counter += 1
            heap.append((date, counter, event))
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.before(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        /// The earliest event due at `now`, removed; nil when none is due.
        mutating func popDue(_ now: Date) -> Event? {
            guard let first = heap.first, first.at <= now else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    let right = left + 1
                    var smallest = parent
                    if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
                    if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
                    if smallest == parent { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
            return first.event
        }

        private static func before(_ a: (at: Date, order: Int, event: Event), _ b: (at: Date, order: Int, event: Event))
            -> Bool
        {
            a.at < b.at || (a.at == b.at && a.order < b.order)
        }
    }
}

extension SimulatorState {
    /// Builds the index from the whole state, once after loading or replacing it.
    mutating func buildIndexIfNeeded() {
        guard !index.isBuilt else { return }
        var built = StateIndex()
        built.isBuilt = true
        for (number, flux) in flux where !flux.settled {
            built.agenda.schedule(.flux(number), at: flux.finalAt)
            for invoice in flux.pendingInvoices {
                built.invoiceKeys.insert(.init(supplierId: invoice.supplierId, number: invoice.number))
            }
        }
        for (id, invoice) in invoices {
            built.invoiceKeys.insert(.init(supplierId: invoice.supplierId, number: invoice.number))
            if let next = invoice.scheduled.first { built.agenda.schedule(.invoice(id), at: next.at) }
        }
        index = built
    }

    /// Forgets the index (after a change the index does not follow, such as a scenario).
    mutating func invalidateIndex() { index = StateIndex() }

    /// Whether `supplierId` already used `number`, on an integrated invoice or one waiting in a flux.
    func invoiceNumberUsed(supplierId: Int64, number: String) -> Bool {
        if index.isBuilt { return index.invoiceKeys.contains(.init(supplierId: supplierId, number: number)) }
        return invoices.values.contains { $0.supplierId == supplierId && $0.number == number }
            || flux.values.contains { flux in
                !flux.settled && flux.pendingInvoices.contains { $0.supplierId == supplierId && $0.number == number }
            }
    }

    /// Stores a new flux and schedules its outcome.
    mutating func add(_ newFlux: Flux) {
        flux[newFlux.number] = newFlux
        guard index.isBuilt else { return }
        index.agenda.schedule(.flux(newFlux.number), at: newFlux.finalAt)
        for invoice in newFlux.pendingInvoices {
            index.invoiceKeys.insert(.init(supplierId: invoice.supplierId, number: invoice.number))
        }
    }

    /// Stores `invoice` (new or changed) and schedules its next automatic status.
    mutating func store(_ invoice: Invoice) {
        invoices[invoice.id] = invoice
        guard index.isBuilt else { return }
        index.invoiceKeys.insert(.init(supplierId: invoice.supplierId, number: invoice.number))
        if let next = invoice.scheduled.first { index.agenda.schedule(.invoice(invoice.id), at: next.at) }
    }
}
