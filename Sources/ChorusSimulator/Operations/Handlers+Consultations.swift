import ChorusAPI
import Foundation
import JSONValue

extension Handlers {
    static let consultations: [String: Handler] = [
        "consulterFactureParFournisseur": consultSent,
        "consulterFactureParRecipiendaire": consultReceived,
        "consulterFactureParValideur": consultAsValidator,
        "consulterHistoriqueFacture": history,
        "telechargerGroupeFacture": download,
        "traiterUneFactureRecue": processReceived,
        "traiterFactureAValider": processAsValidator,
        "corrigerValideurFacture": correctValidator,
        "recupererStatutsFactureVisiblesParValideur": validatorStatuses,
    ]

    static func notFound(_ id: Int64) -> Reply {
        Reply.business(20000, "GDP_MSG_11.008 - La demande de paiement \(id) n'existe pas.")
    }

    /// The invoice `id` if the caller sees it from the supplier side (`sent`) or the recipient side.
    static func visible(_ state: SimulatorState, _ call: CallInfo, _ id: Int64, sent: Bool?) throws(Reply) -> Invoice {
        guard let invoice = state.invoices[id] else { throw notFound(id) }
        let asSupplier = call.account.structureIds.contains(invoice.supplierId)
        let asRecipient =
            call.account.structureIds.contains(invoice.recipientId)
            && !InvoiceLifecycle.hiddenFromRecipient.contains(invoice.status)
        switch sent {
        case true?: if asSupplier { return invoice }
        case false?: if asRecipient { return invoice }
        case nil: if asSupplier || asRecipient { return invoice }
        }
        throw notFound(id)
    }

    static let consultSent: Handler = { state, call throws(Reply) in
        _ = try call.params.enumeration("codeLangue", ["FR", "EN", "fr", "en"])
        let invoice = try visible(state, call, try call.params.requiredInt("identifiantFactureCPP"), sent: true)
        return ok("CODE PAR DEFAUT", ["facture": InvoiceJSON.full(invoice, state, emitted: true)])
    }

    static let consultReceived: Handler = { state, call throws(Reply) in
        _ = try call.params.enumeration("codeLangue", ["FR", "EN", "fr", "en"])
        let id = try call.params.firstInt("identifiantFactureCPP", "idFacture")
        guard let id else { throw call.params.missing("identifiantFactureCPP") }
        let invoice = try visible(state, call, id, sent: false)
        return ok("CODE PAR DEFAUT", ["facture": InvoiceJSON.full(invoice, state, emitted: false)])
    }

    static let consultAsValidator: Handler = { _, call throws(Reply) in
        throw notFound(try call.params.requiredInt("identifiantFactureCPP"))
    }

    static let history: Handler = { state, call throws(Reply) in
        _ = try call.params.int("idEspace")
        let limit = Int(try call.params.int("nbResultatsMaximum") ?? 100)
        let invoice = try visible(state, call, try call.params.requiredInt("idFacture"), sent: nil)
        let statuses = invoice.history.suffix(max(1, limit)).enumerated().map { index, change -> JSONValue in
            [
                "histoStatutId": .integer(Int64(index + 1)), "histoStatutCode": .string(change.status),
                "histoStatutDatePassage": .string(ChorusDate.timestamp(change.at)),
                "histoStatutCommentaire": .string(change.comment), "histoStatutUtilisateurNom": .string(change.by),
            ]
        }
        let actions = invoice.actions.enumerated().map { index, action -> JSONValue in
            [
                "histoActionId": .integer(Int64(index + 1)), "histoActionCode": .string(action.code),
                "histoActionDateHeure": .string(ChorusDate.timestamp(action.at)),
                "histoActionUtilisateurNom": .string(action.by),
            ]
        }
        var body: [String: JSONValue] = [
            "idFacture": .integer(invoice.id), "numeroFacture": .string(invoice.number),
            "modeDepot": .string(invoice.modeDepot), "statutCourantCode": .string(invoice.status),
            "historiquesDesStatuts": [
                "histoStatut": .array(statuses), "pageCouranteHistoStatut": 1, "pagesHistoStatut": 1,
                "nbResultatsParPageHistoStatut": .integer(Int64(max(1, statuses.count))),
                "totalHistoStatut": .integer(Int64(statuses.count)),
            ],
            "historiquesDesEvenementsComplementaires": [
                "evenement": [], "pageCouranteEvenement": 1, "pagesEvenement": 0, "nbResultatsParPageEvenement": 10,
                "totalEvenement": 0,
            ],
            "historiquesDesActionsUtilisateurs": [
                "histoAction": .array(actions), "pageCouranteHistoAction": 1, "pagesHistoAction": 1,
                "nbResultatsParPageHistoAction": .integer(Int64(max(1, actions.count))),
                "totalHistoAction": .integer(Int64(actions.count)),
            ],
        ]
        if let last = invoice.actions.last {
            body["derniereAction"] = [
                "derniereActionId": .integer(Int64(invoice.actions.count)), "derniereActionCode": .string(last.code),
            ]
        }
        return ok("CODE PAR DEFAUT", body)
    }

    /// The file of one invoice in the asked format: its deposited file when it matches, else a PDF
    /// or XML summary.
    static func file(of invoice: Invoice, format: String, files: FileTable) -> (name: String, bytes: [UInt8]) {
        let original = invoice.file.flatMap { files[$0.key] }
        let isPDF = original?.starts(with: Array("%PDF-".utf8)) ?? false
        if let original, let name = invoice.fileName, (format == "PDF") == isPDF { return (name, original) }
        if format == "PDF" {
            let lines = [
                "Facture \(invoice.number) du \(invoice.issueDate)",
                "Montant HT : \(invoice.totalHT) \(invoice.currency)",
                "TVA : \(invoice.totalTVA)", "Montant TTC : \(invoice.totalTTC)", "Statut : \(invoice.status)",
            ]
            return ("\(invoice.number).pdf", SimplePDF.document(lines: lines))
        }
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <FacturePivot><Numero>\(invoice.number)</Numero><Date>\(invoice.issueDate)</Date>\
            <MontantHT>\(invoice.totalHT)</MontantHT><MontantTVA>\(invoice.totalTVA)</MontantTVA>\
            <MontantTTC>\(invoice.totalTTC)</MontantTTC><Devise>\(invoice.currency)</Devise></FacturePivot>
            """
        return ("\(invoice.number).xml", Array(xml.utf8))
    }

    static let download: Handler = { state, call throws(Reply) in
        let p = call.params
        _ = try p.int("idEspace")
        _ = try p.enumeration("avecPiecesJointesComplementaires", ["OUI", "NON"])
        let format = try p.enumeration("format", ["PDF", "PIVOT", "XML", "ZIP"]) ?? "PDF"
        let requested = try p.objects("listeFacture")
        guard !requested.isEmpty else { throw p.missing("listeFacture") }
        var invoices: [Invoice] = []
        for item in requested {
            invoices.append(try visible(state, call, try item.requiredInt("idFacture"), sent: nil))
        }
        let files = invoices.map { file(of: $0, format: format == "PDF" ? "PDF" : "PIVOT", files: state.files) }
        let bytes: [UInt8]
        if files.count == 1 && format != "ZIP" {
            bytes = files[0].bytes
        } else {
            guard let zip = InvoiceArchive.zip(files.map { InvoiceArchive.Entry(name: $0.name, bytes: $0.bytes) })
            else { throw Reply.internalError }
            bytes = zip
        }
        guard bytes.count <= 120 * 1024 * 1024 else { throw Reply(status: 413) }
        for invoice in invoices where call.account.structureIds.contains(invoice.recipientId) {
            state.invoices[invoice.id]?.downloadedByRecipient = true
            state.invoices[invoice.id]?.actions.append(
                Invoice.UserAction(code: "TELECHARGEMENT_FACTURE", at: call.now, by: call.account.login))
        }
        return ok("CODE PAR DEFAUT", ["fichierResultat": .string(Data(bytes).base64EncodedString())])
    }

    static let processReceived: Handler = { state, call throws(Reply) in
        let p = call.params
        let id = try p.requiredInt("idFacture")
        let target = try p.enumeration("nouveauStatut", invoiceStatuses)
        guard let target else { throw p.missing("nouveauStatut") }
        let reason = try p.string("motif")
        let mandate = try p.firstString("numeroDPMandat", "NumeroDPMandat")
        let invoice = try visible(state, call, id, sent: false)
        guard InvoiceLifecycle.targets(from: invoice.status).contains(target) else {
            throw Reply.business(
                20003,
                "Le passage de la facture \(invoice.number) du statut \(invoice.status) au statut \(target) n'est pas autorisé."
            )
        }
        if InvoiceLifecycle.needsReason.contains(target), (reason ?? "").isEmpty {
            throw Reply.business(20004, "Le motif est obligatoire pour passer la facture au statut \(target).")
        }
        var updated = invoice
        updated.history.append(
            Invoice.StatusChange(status: target, at: call.now, comment: reason ?? "", by: call.account.login))
        updated.scheduled = []
        if let mandate { updated.comment = "Mandat \(mandate)" }
        state.invoices[id] = updated
        return ok(
            "GCU_MSG_01_000",
            [
                "idFacture": .integer(id), "numeroFacture": .string(invoice.number),
                "dateTraitement": .string(ChorusDate.day(call.now)), "nouveauStatut": .string(target),
            ])
    }

    static let processAsValidator: Handler = { _, call throws(Reply) in
        let p = call.params
        _ = try p.enumeration(
            "action", ["REFUS", "VALIDATION", "MISE_EN_PAIEMENT", "MISE_EN_RECYCLAGE", "SUSPENSION", "REJET"])
        _ = try p.int("idValideur")
        throw notFound(try p.requiredInt("idFacture"))
    }

    static let correctValidator: Handler = { _, call throws(Reply) in
        let p = call.params
        _ = try p.enumeration("typeIdentifiantStructure", structureIdentifierTypes)
        _ = try p.int("idStructure")
        throw notFound(try p.requiredInt("idFacture"))
    }

    static let validatorStatuses: Handler = { _, call throws(Reply) in
        _ = try call.params.int("idUtilisateurCourant")
        let statuses = [
            "A_VALIDER_1", "A_VALIDER_2", "VALIDEE_1", "VALIDEE_2", "REFUSEE_1", "REFUSEE_2",
            "ABSENCE_VALIDATION_1_HORS_DELAI", "ABSENCE_VALIDATION_2_HORS_DELAI",
        ]
        return ok("GCU_MSG_01_000", ["listeStatutFacture": .array(statuses.map { ["codeStatutFacture": .string($0)] })])
    }
}
