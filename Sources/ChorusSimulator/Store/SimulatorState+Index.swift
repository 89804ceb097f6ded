import Foundation

/// What the simulator derives from its state to keep each request's cost independent of its history:
/// the events still to happen, ordered by due time, the invoice numbers each supplier already used
/// (integrated or waiting in a flux), and the invoices of each supplier and recipient (for searches).
/// Never saved, never compared: rebuilt from the state when missing.
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
    /// Invoice ids by supplier structure, by recipient structure, and by current status.
    var bySupplier: [Int64: SortedIds] = [:]
    var byRecipient: [Int64: SortedIds] = [:]
    var byStatus: [String: SortedIds] = [:]

    /// Invoice ids in increasing order (ids are handed out increasing, so adding one is usually an append).
    struct SortedIds: Sendable {
        private(set) var ids: [Int64] = []

        mutating func insert(_ id: Int64) {
            if let last = ids.last, last >= id {
                let at = position(id)
                if at < ids.count, ids[at] == id { return }
                ids.insert(id, at: at)
            } else {
                ids.append(id)
            }
        }

        mutating func remove(_ id: Int64) {
            let at = position(id)
            if at < ids.count, ids[at] == id { ids.remove(at: at) }
        }

        /// The first index whose id is not less than `id`.
        private func position(_ id: Int64) -> Int {
            var low = 0
            var high = ids.count
            while low < high {
                let middle = (low + high) / 2
                if ids[middle] < id { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

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
        for id in invoices.keys.sorted() {
            guard let invoice = invoices[id] else { continue }
            built.invoiceKeys.insert(.init(supplierId: invoice.supplierId, number: invoice.number))
            if let next = invoice.scheduled.first { built.agenda.schedule(.invoice(id), at: next.at) }
            built.bySupplier[invoice.supplierId, default: .init()].insert(id)
            built.byRecipient[invoice.recipientId, default: .init()].insert(id)
            built.byStatus[invoice.status, default: .init()].insert(id)
        }
        index = built
    }

    /// Brings the supplier and recipient lists up to date with the invoices changed since the last commit
    /// (handlers change invoices in place; the table remembers which). Running it twice changes nothing.
    mutating func refreshInvoiceIndex() {
        guard index.isBuilt else { return }
        for (id, old) in invoices.changes {
            let new = invoices[id]
            if let old, old.supplierId != new?.supplierId { index.bySupplier[old.supplierId]?.remove(id) }
            if let old, old.recipientId != new?.recipientId { index.byRecipient[old.recipientId]?.remove(id) }
            if let old, old.status != new?.status { index.byStatus[old.status]?.remove(id) }
            if let new {
                index.bySupplier[new.supplierId, default: .init()].insert(id)
                index.byRecipient[new.recipientId, default: .init()].insert(id)
                index.byStatus[new.status, default: .init()].insert(id)
                index.invoiceKeys.insert(.init(supplierId: new.supplierId, number: new.number))
            }
        }
    }

    /// The ids of the invoices sent (or received) by `structures`, each list increasing.
    func invoiceIds(of structures: [Int64], asSupplier: Bool) -> [[Int64]] {
        guard index.isBuilt else {
            return structures.map { id in scan { (asSupplier ? $0.supplierId : $0.recipientId) == id } }
        }
        return structures.compactMap { (asSupplier ? index.bySupplier : index.byRecipient)[$0]?.ids }
    }

    /// The ids of the invoices in one of `statuses`, each list increasing.
    func invoiceIds(inStatus statuses: some Sequence<String>) -> [[Int64]] {
        guard index.isBuilt else { return statuses.map { status in scan { $0.status == status } } }
        return statuses.compactMap { index.byStatus[$0]?.ids }
    }

    /// Without the index (a state not settled yet, as in tests calling a handler directly): every invoice.
    private func scan(_ include: (Invoice) -> Bool) -> [Int64] {
        invoices.compactMap { include($0.value) ? $0.key : nil }.sorted()
    }

    /// The changes since the last save are saved: forget them (with `dropSavedFiles`, file contents are read
    /// back from the state file from now on).
    mutating func commitChanges(dropSavedFiles: Bool) {
        tokens.commit()
        flux.commit()
        invoices.commit()
        attachments.commit()
        files.commit(dropSaved: dropSavedFiles)
    }

    /// Puts back the records changed since the last save (the rest of the state is the caller's).
    mutating func rollbackChanges() {
        tokens.rollback()
        flux.rollback()
        invoices.rollback()
        attachments.rollback()
        files.rollback()
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
