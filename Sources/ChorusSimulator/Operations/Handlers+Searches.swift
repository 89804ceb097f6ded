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

    /// Invoices the caller sent (its structures are the supplier), newest first.
    static func sent(_ state: SimulatorState, _ call: CallInfo) -> [Invoice] {
        newestFirst(state) { call.account.structureIds.contains($0.supplierId) }
    }

    /// Invoices the caller received and can see, newest first.
    static func received(_ state: SimulatorState, _ call: CallInfo) -> [Invoice] {
        newestFirst(state) {
            call.account.structureIds.contains($0.recipientId)
                && !InvoiceLifecycle.hiddenFromRecipient.contains($0.status)
        }
    }

    /// The invoices matching `include`, newest first: the ids are sorted, not the (large) invoices.
    static func newestFirst(_ state: SimulatorState, where include: (Invoice) -> Bool) -> [Invoice] {
        var ids: [Int64] = []
        for (id, invoice) in state.invoices where include(invoice) { ids.append(id) }
        ids.sort(by: >)
        return ids.compactMap { state.invoices[$0] }
    }

    /// The filters both invoice searches share.
    static func commonFilters(_ p: Params) throws(Reply) -> (Invoice) -> Bool {
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
        return { invoice in
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
    }

    static let bySupplier: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("rechercheFactureParFournisseur"))
        let common = try commonFilters(p)
        let flux = try p.string("numeroFluxDepot")
        let supplier = try p.int("idFournisseur")
        let mode = try p.string("modeDepot")
        let recipients = Set(try p.ints(in: "listeDestinataire", "idDestinataire"))
        let matches = sent(state, call).filter {
            common($0) && (flux == nil || $0.fluxNumber == flux) && (supplier == nil || $0.supplierId == supplier)
                && (mode == nil || $0.modeDepot == mode) && (recipients.isEmpty || recipients.contains($0.recipientId))
        }
        guard !matches.isEmpty else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeFactures": .array(page.slice(matches).map { InvoiceJSON.supplierRow($0, state) }),
                "parametresRetour": page.parametresRetour(total: matches.count),
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
        let matches = received(state, call).filter {
            common($0) && (recipient == nil || $0.recipientId == recipient)
                && (service == nil || $0.serviceId == service)
                && (downloaded == nil || $0.downloadedByRecipient == downloaded)
                && (suppliers.isEmpty || suppliers.contains($0.supplierId))
        }
        guard !matches.isEmpty else { throw noResult }
        var body = page.keys(total: matches.count)
        body["listeFactures"] = .array(page.slice(matches).map { InvoiceJSON.recipientRow($0, state) })
        return ok("CODE PAR DEFAUT", body)
    }

    static let supplierToProcess: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.firstObject("rechercheFactureParFournisseur", "pagination"))
        let common = try commonFilters(call.params)
        let matches = sent(state, call).filter {
            common($0)
                && (["SUSPENDUE", "A_RECYCLER"].contains($0.status)
                    || ($0.status == "REJETEE" && !$0.rejectionAcknowledged))
        }
        guard !matches.isEmpty else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeFactures": .array(page.slice(matches).map { InvoiceJSON.supplierRow($0, state) }),
                "parametresRetour": page.parametresRetour(total: matches.count),
            ])
    }

    static let recipientToProcess: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.firstObject("paramRecherche", "pagination"))
        let common = try commonFilters(call.params)
        let matches = received(state, call).filter { common($0) && !InvoiceLifecycle.targets(from: $0.status).isEmpty }
        guard !matches.isEmpty else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeFactures": .array(page.slice(matches).map { InvoiceJSON.recipientRow($0, state) }),
                "parametresRetour": page.parametresRetour(total: matches.count),
            ])
    }

    /// No invoice of the simulator goes through a validator (cadres A9/A12 with validators are not
    /// seeded), so a validator's searches find nothing, as they would for such an account.
    static let validatorSearch: Handler = { state, call throws(Reply) in
        _ = try Page(try call.params.firstObject("pagination", "parametresRecherche"))
        _ = try commonFilters(call.params)
        _ = try call.params.int("idStructureValideur")
        throw noResult
    }

    static let paymentRequests: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.firstObject("parametresRecherche", "pagination"))
        let common = try commonFilters(call.params)
        var seen = Set<Int64>()
        let matches = (sent(state, call) + received(state, call)).filter { common($0) && seen.insert($0.id).inserted }
        guard !matches.isEmpty else { throw noResult }
        return ok(
            "CODE PAR DEFAUT",
            [
                "listeDemandePaiement": .array(page.slice(matches).map { InvoiceJSON.paymentRequestRow($0, state) }),
                "total": .integer(Int64(matches.count)),
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
