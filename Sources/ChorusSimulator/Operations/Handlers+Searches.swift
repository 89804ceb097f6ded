import ChorusAPI
import Foundation
import JSONValue

extension Handlers {
    /// The invoice statuses of the Swagger enumeration.
    static var invoiceStatuses: [String] { Vocabulary.invoiceStatuses }
    static let invoiceTypes = ["FACTURE", "AVOIR", "ACOMPTE"]
    static let paymentRequestTypes = ["FACTURE", "FACTURE_TRAVAUX"]

    static let searches: [String: Handler] = [
        "rechercherFactureParFournisseur": bySupplier,
        "rechercherFactureRecipiendaire": byRecipient,
        "rechercherFactureATraiterParFournisseur": supplierToProcess,
        "rechercherFactureATraiterParRecipiendaire": recipientToProcess,
        "rechercherFactureParValideur": validatorSearch,
        "rechercherFactureATraiterParValideur": validatorSearch,
        "rechercherDemandePaiement": paymentRequests,
        "traiterFacturesRejetees": acknowledgeRejections,
    ]

    /// Whether the recipient side of the caller sees `invoice`.
    static func receivedBy(_ call: CallInfo) -> (Invoice) -> Bool {
        {
            call.account.structureIds.contains($0.recipientId)
                && !InvoiceLifecycle.hiddenFromRecipient.contains($0.status)
        }
    }

    /// Whether the caller sent `invoice`.
    static func sentBy(_ call: CallInfo) -> (Invoice) -> Bool {
        { call.account.structureIds.contains($0.supplierId) }
    }

    /// One search over the indexes: the matches are the invoices of `base` (lists of ids, each increasing)
    /// that pass `include`. Without filter, the page is read straight from the lists; with one, the
    /// smallest of `base` and `narrower` (lists that hold every match too, e.g. by status or flux) is
    /// walked, so the cost follows the caller's invoices, not the whole history. Newest first.
    static func search(
        _ state: SimulatorState, base: [[Int64]], narrower: [[[Int64]]] = [], page: Page,
        where include: ((Invoice) -> Bool)?
    ) -> (total: Int, rows: [Invoice]) {
        let (skipped, overflow) = (page.number - 1).multipliedReportingOverflow(by: page.size)
        guard let include else {
            let ids = merged(base)
            guard !overflow, skipped < ids.count else { return (ids.count, []) }
            let window = ids.dropFirst(skipped).prefix(page.size)
            return (ids.count, window.compactMap { state.invoices[$0] })
        }
        var walked = base
        for option in narrower where option.reduce(0, { $0 + $1.count }) < walked.reduce(0, { $0 + $1.count }) {
            walked = option
        }
        var total = 0
        var rows: [Invoice] = []
        for id in merged(walked) {
            guard let invoice = state.invoices[id], include(invoice) else { continue }
            if !overflow, total >= skipped, rows.count < page.size { rows.append(invoice) }
            total += 1
        }
        return (total, rows)
    }

    /// Increasing lists of ids merged, newest first.
    static func merged(_ lists: [[Int64]]) -> ReversedCollection<[Int64]> {
        if lists.count == 1 { return lists[0].reversed() }
        return Set(lists.joined()).sorted().reversed()
    }

    /// `a && b`, nil standing for "always".
    static func both(_ a: ((Invoice) -> Bool)?, _ b: ((Invoice) -> Bool)?) -> ((Invoice) -> Bool)? {
        guard let a else { return b }
        guard let b else { return a }
        return { a($0) && b($0) }
    }

    /// The filters both invoice searches share (nil: none given), and the statuses asked for.
    static func commonFilters(_ p: Params) throws(Reply) -> (filter: ((Invoice) -> Bool)?, statuses: Set<String>) {
        let number = try p.string("numeroFacture")
        let statuses = Set(try p.enumerations("statutCourant", invoiceStatuses))
        let type = try p.enumeration("typeFacture", invoiceTypes)
        let types = Set(try p.enumerations("listeTypeFacture", invoiceTypes))
        let from = try p.string("periodeDateDepotDu").map { text throws(Reply) -> Date in
            guard let date = ChorusDate.parse(text) else { throw Reply.invalid("La date '\(text)' n'est pas valide.") }
            return date
        }
        let to = try p.string("periodeDateDepotAu").map { text throws(Reply) -> Date in
            guard let date = ChorusDate.parse(text) else { throw Reply.invalid("La date '\(text)' n'est pas valide.") }
            return date.addingTimeInterval(text.count <= 10 ? 86_399 : 0)
        }
        let minTTC = try p.double("montantTTCMin")
        let maxTTC = try p.double("montantTTCMax")
        _ = try p.int("idUtilisateurCourant")
        let filtered =
            (number.map { !$0.isEmpty } ?? false) || !statuses.isEmpty || type != nil || !types.isEmpty
            || from != nil || to != nil || minTTC != nil || maxTTC != nil
        guard filtered else { return (nil, statuses) }
        let filter: (Invoice) -> Bool = { invoice in
            if let number, !number.isEmpty, invoice.number != number { return false }
            if !statuses.isEmpty, !statuses.contains(invoice.status) { return false }
            if let type, invoice.type != type { return false }
            if !types.isEmpty, !types.contains(invoice.type) { return false }
            if let from, invoice.depositedAt < from { return false }
            if let to, invoice.depositedAt > to { return false }
            if let minTTC, invoice.totalTTC < minTTC { return false }
            if let maxTTC, invoice.totalTTC > maxTTC { return false }
            return true
        }
        return (filter, statuses)
    }

    static let bySupplier: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("rechercheFactureParFournisseur"))
        let common = try commonFilters(p)
        let flux = try p.string("numeroFluxDepot")
        let supplier = try p.int("idFournisseur")
        let mode = try p.string("modeDepot")
        let recipients = Set(try p.ints(in: "listeDestinataire", "idDestinataire"))
        var filter = common.filter
        if let flux { filter = both(filter) { $0.fluxNumber == flux } }
        if let supplier { filter = both(filter) { $0.supplierId == supplier } }
        if let mode { filter = both(filter) { $0.modeDepot == mode } }
        if !recipients.isEmpty { filter = both(filter) { recipients.contains($0.recipientId) } }
        var narrower: [[[Int64]]] = []
        // A flux's invoices, or the statuses asked for, are usually far fewer than the supplier's invoices.
        if let flux { narrower.append([(state.flux[flux]?.invoiceIds ?? []).sorted()]) }
        if !common.statuses.isEmpty { narrower.append(state.invoiceIds(inStatus: common.statuses)) }
        let found = search(
            state, base: state.invoiceIds(of: call.account.structureIds, asSupplier: true), narrower: narrower,
            page: page, where: filter == nil ? nil : both(sentBy(call), filter))
        guard found.total > 0 else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeFactures": .array(found.rows.map { InvoiceJSON.supplierRow($0, state) }),
                "parametresRetour": page.parametresRetour(total: found.total),
            ])
    }

    static let byRecipient: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("paramRecherche"))
        let common = try commonFilters(p)
        _ = try p.enumeration("typeDemandePaiement", paymentRequestTypes)
        let recipient = try p.int("idDestinataire")
        let service = try p.int("idServiceExecutant")
        let downloaded = try p.bool("factureTelechargeeParDestinataire")
        let suppliers = Set(try p.ints(in: "listeFournisseurs", "idFournisseur"))
        var filter = both(receivedBy(call), common.filter)
        if let recipient { filter = both(filter) { $0.recipientId == recipient } }
        if let service { filter = both(filter) { $0.serviceId == service } }
        if let downloaded { filter = both(filter) { $0.downloadedByRecipient == downloaded } }
        if !suppliers.isEmpty { filter = both(filter) { suppliers.contains($0.supplierId) } }
        let found = search(
            state, base: state.invoiceIds(of: call.account.structureIds, asSupplier: false),
            narrower: common.statuses.isEmpty ? [] : [state.invoiceIds(inStatus: common.statuses)], page: page,
            where: filter)
        guard found.total > 0 else { throw noResult }
        var body = page.keys(total: found.total)
        body["listeFactures"] = .array(found.rows.map { InvoiceJSON.recipientRow($0, state) })
        return ok("CODE PAR DEFAUT", body)
    }

    /// The statuses a supplier has something to do about.
    static let supplierActionStatuses = ["SUSPENDUE", "A_RECYCLER", "REJETEE"]

    static let supplierToProcess: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.firstObject("rechercheFactureParFournisseur", "pagination"))
        let common = try commonFilters(call.params)
        let toProcess: (Invoice) -> Bool = {
            ["SUSPENDUE", "A_RECYCLER"].contains($0.status) || ($0.status == "REJETEE" && !$0.rejectionAcknowledged)
        }
        let found = search(
            state, base: state.invoiceIds(of: call.account.structureIds, asSupplier: true),
            narrower: [state.invoiceIds(inStatus: supplierActionStatuses)], page: page,
            where: both(both(sentBy(call), toProcess), common.filter))
        guard found.total > 0 else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeFactures": .array(found.rows.map { InvoiceJSON.supplierRow($0, state) }),
                "parametresRetour": page.parametresRetour(total: found.total),
            ])
    }

    static let recipientToProcess: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.firstObject("paramRecherche", "pagination"))
        let common = try commonFilters(call.params)
        let found = search(
            state, base: state.invoiceIds(of: call.account.structureIds, asSupplier: false),
            narrower: [state.invoiceIds(inStatus: Vocabulary.recipientTransitions.keys)], page: page,
            where: both(both(receivedBy(call)) { !InvoiceLifecycle.targets(from: $0.status).isEmpty }, common.filter))
        guard found.total > 0 else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeFactures": .array(found.rows.map { InvoiceJSON.recipientRow($0, state) }),
                "parametresRetour": page.parametresRetour(total: found.total),
            ])
    }

    static let validatorSearch: Handler = { state, call throws(Reply) in
        _ = try Page(try call.params.firstObject("pagination", "parametresRecherche"))
        _ = try commonFilters(call.params)
        _ = try call.params.int("idStructureValideur")
        throw noResult
    }

    static let paymentRequests: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.firstObject("parametresRecherche", "pagination"))
        let common = try commonFilters(call.params)
        let sent = sentBy(call)
        let received = receivedBy(call)
        let found = search(
            state,
            base: state.invoiceIds(of: call.account.structureIds, asSupplier: true)
                + state.invoiceIds(of: call.account.structureIds, asSupplier: false),
            page: page, where: both({ sent($0) || received($0) }, common.filter))
        guard found.total > 0 else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeDemandePaiement": .array(found.rows.map { InvoiceJSON.paymentRequestRow($0, state) }),
                "total": .integer(Int64(found.total)),
            ])
    }

    static let acknowledgeRejections: Handler = { state, call throws(Reply) in
        let requests = try call.params.objects("listeDemandePaiement")
        guard !requests.isEmpty else { throw call.params.missing("listeDemandePaiement") }
        var ids: [Int64] = []
        for request in requests { ids.append(try request.requiredInt("idDemandePaiement")) }
        for id in ids {
            guard let invoice = state.invoices[id], call.account.structureIds.contains(invoice.supplierId) else {
                throw Reply.business(20000, "GDP_MSG_11.008 - La demande de paiement \(id) n'existe pas.")
            }
            guard invoice.status == "REJETEE" else {
                throw Reply.business(20002, "La demande de paiement \(id) n'est pas au statut REJETEE.")
            }
        }
        for id in ids { state.invoices[id]?.rejectionAcknowledged = true }
        return ok("GCU_MSG_01_000")
    }
}
