import ChorusAPI
import Crypto
import Foundation
import JSONValue

extension Handlers {
    static let cadres = [
        "A1_FACTURE_FOURNISSEUR", "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE", "A9_FACTURE_SOUSTRAITANT",
        "A12_FACTURE_COTRAITANT",
    ]
    static let vatTypes = ["TVA_SUR_DEBIT", "TVA_SUR_ENCAISSEMENT", "EXONERATION", "SANS_TVA"]
    static let paymentModes = ["CHEQUE", "PRELEVEMENT", "VIREMENT", "ESPECE", "AUTRE", "REPORT"]
    static let attachmentExtensions = [
        "BMP", "HTM", "FAX", "PNG", "XHTML", "BZ2", "JPEG", "PPS", "XLC", "CSV", "JPG",
        "PPT", "PPTX", "XLM", "DOC", "ODP", "RTF", "XLS", "GIF", "ODS", "SVG", "XML", "GZ", "ODT", "TGZ", "XSD", "GZIP",
        "P7S", "TIF", "XSL", "HTML", "PDF", "TXT", "ZIP", "TIFF", "XLSX", "DOCX",
    ]

    static let submissions: [String: Handler] = [
        "soumettreFacture": submit,
        "deposerPdfFacture": depositPDF,
        "ajouterFichierDansSysteme": addFile,
        "completerFacture": complete,
        "recyclerFacture": recycle,
    ]

    /// soumettreFacture: creates the invoice at once (SAISIE_API, or from an uploaded PDF).
    static let submit: Handler = { state, call throws(Reply) in
        let p = call.params
        _ = try p.int("idUtilisateurCourant")
        let mode = try p.enumeration("modeDepot", ["SAISIE_API", "DEPOT_PDF_API", "DEPOT_PDF_SIGNE_API"])
        guard let mode else { throw p.missing("modeDepot") }
        let number = try p.requiredString("numeroFactureSaisi")
        let issueDate = try p.string("dateFacture")
        let recipientPart = try p.requiredObject("destinataire")
        let recipientSiret = try recipientPart.requiredString("codeDestinataire")
        let serviceCode = try recipientPart.string("codeServiceExecutant")
        let supplierPart = try p.requiredObject("fournisseur")
        let supplierId = try supplierPart.requiredInt("idFournisseur")
        let supplierServiceId = try supplierPart.int("idServiceFournisseur")
        let bankId = try supplierPart.int("codeCoordonneesBancairesFournisseur")
        let cadre = try p.requiredObject("cadreDeFacturation").enumeration("codeCadreFacturation", cadres)
        guard let cadre else {
            throw Reply.invalid("Le paramètre 'cadreDeFacturation.codeCadreFacturation' est obligatoire.")
        }
        let references = try p.requiredObject("references")
        let currency = try references.string("deviseFacture") ?? "EUR"
        let type = try references.enumeration("typeFacture", ["FACTURE", "AVOIR"]) ?? "FACTURE"
        _ = try references.enumeration("typeTva", vatTypes)
        _ = try references.enumeration("modePaiement", paymentModes)
        let engagement = try references.firstString("numeroBonCommande", "numeroMarche")
        var lines: [Invoice.Line] = []
        for line in try p.objects("lignePoste") {
            lines.append(
                Invoice.Line(
                    number: try line.int("lignePosteNumero") ?? Int64(lines.count + 1),
                    reference: try line.string("lignePosteReference") ?? "",
                    label: try line.requiredString("lignePosteDenomination"),
                    quantity: try line.double("lignePosteQuantite") ?? 1,
                    unit: try line.string("lignePosteUnite") ?? "",
                    unitPriceHT: try line.double("lignePosteMontantUnitaireHT") ?? 0,
                    discountHT: try line.double("lignePosteMontantRemiseHT") ?? 0,
                    vatCode: try line.string("lignePosteTauxTva") ?? ""))
        }
        for line in try p.objects("ligneTva") { _ = try line.double("ligneTvaMontantBaseHtParTaux") }
        let totals = try p.requiredObject("montantTotal")
        let ht = try totals.double("montantHtTotal") ?? 0
        let tva = try totals.double("montantTVA") ?? 0
        let ttc = try totals.double("montantTtcTotal") ?? ht + tva
        let due = try totals.double("montantAPayer") ?? ttc
        var attachmentId: Int64?
        for (index, main) in try p.objects("pieceJointePrincipale").enumerated() where index == 0 {
            attachmentId = try main.int("pieceJointePrincipaleId")
        }
        _ = try p.complementaryAttachments("pieceJointeComplementaire", in: state, login: call.account.login)
        let comment = try p.string("commentaire")

        if mode == "SAISIE_API", lines.isEmpty {
            throw Reply.business(
                20005, "Si le mode de dépôt est SAISIE_API, il doit y avoir au moins une ligne de poste.")
        }
        if mode != "SAISIE_API" {
            guard let attachmentId, state.attachments[attachmentId]?.login == call.account.login else {
                throw Reply.business(
                    20006,
                    "La pièce jointe principale est obligatoire en mode \(mode) et doit avoir été déposée par "
                        + "ajouterFichierDansSysteme ou deposerPdfFacture.")
            }
        }
        guard abs(ht + tva - ttc) < 0.01 else {
            throw Reply.business(
                20007, "Le montant TTC (\(ttc)) n'est pas égal à la somme du montant HT (\(ht)) et de la TVA (\(tva)).")
        }
        guard let supplier = state.structure(id: supplierId), call.account.structureIds.contains(supplierId) else {
            throw Reply.business(
                20001,
                "GDP_MSG_11.005 - L'utilisateur n'a pas les habilitations nécessaires pour soumettre la demande "
                    + "pour la structure \(supplierId).")
        }
        if let supplierServiceId, supplier.service(id: supplierServiceId) == nil {
            throw Reply.business(
                20008, "Le service fournisseur \(supplierServiceId) n'existe pas pour la structure \(supplier.siret).")
        }
        if let bankId, !supplier.bankAccounts.contains(where: { $0.id == bankId }) {
            throw Reply.business(
                20009, "Les coordonnées bancaires \(bankId) ne sont pas valides pour la structure \(supplier.siret).")
        }
        guard let recipient = state.structure(siret: recipientSiret), recipient.kind == "PUBLIQUE" else {
            throw Reply.business(20010, "Le destinataire \(recipientSiret) n'est pas référencé dans Chorus Pro.")
        }
        if let message = DepositRules.routingError(
            recipient: recipient, supplier: supplier, serviceCode: serviceCode, engagement: engagement,
            serviceTag: "destinataire.codeServiceExecutant", engagementTag: "references.numeroBonCommande")
        {
            throw Reply.business(20011, message.trimmingCharacters(in: .whitespaces))
        }
        if state.invoiceNumberUsed(supplierId: supplierId, number: number) {
            throw Reply.business(
                20012, "La facture numéro \(number) existe déjà pour le fournisseur \(supplier.siret).")
        }
        let service = serviceCode.flatMap { $0.isEmpty ? nil : recipient.service(code: $0) }
        var invoice = Invoice(
            id: state.takeId(), number: number, type: type, modeDepot: mode, supplierId: supplierId,
            supplierServiceId: supplierServiceId, recipientId: recipient.id, serviceId: service?.id,
            engagement: engagement,
            issueDate: issueDate.map { String($0.prefix(10)) } ?? ChorusDate.day(call.now), depositedAt: call.now,
            currency: currency, totalHT: ht, totalTVA: tva, totalTTC: ttc, amountDue: due, cadre: cadre,
            // The attachment cannot be detached while it is an invoice's main one: the invoice shares its file.
            file: attachmentId.flatMap { state.attachments[$0]?.file },
            fileName: attachmentId.flatMap { state.attachments[$0]?.name }, lines: lines, comment: comment,
            mainAttachmentId: attachmentId, history: [])
        InvoiceLifecycle.start(&invoice, at: call.now, delay: state.settings.routingDelay, by: call.account.login)
        state.store(invoice)
        // A digest of the deposit, as the platform returns one.
        let fingerprint = SHA256.hash(data: Array("\(invoice.id)|\(number)|\(supplier.siret)|\(ttc)".utf8))
        return ok(
            "GCU_MSG_01_000",
            [
                "identifiantFactureCPP": .integer(invoice.id), "numeroFacture": .string(number),
                "statutFacture": "DEPOSEE",
                "dateDepot": .string(ChorusDate.day(call.now)), "identifiantStructure": .string(supplier.siret),
                "empreinteCertificatDepot": .string(Data(fingerprint).base64EncodedString()),
            ])
    }

    /// deposerPdfFacture: stores the PDF and "reads" it; the fields come from the embedded Factur-X XML
    /// when there is one (the real platform uses OCR), empty otherwise.
    static let depositPDF: Handler = { state, call throws(Reply) in
        let p = call.params
        _ = try p.int("idUtilisateurCourant")
        _ = try p.enumeration("formatDepot", ["PDF_NON_SIGNE", "PDF_SIGNE_PADES", "PDF_SIGNE_XADES"])
        let name = try p.requiredString("nomFichier")
        let content = try p.requiredString("fichierFacture")
        try checkFileName(name, member: "nomFichier", maxLength: 200, extensions: ["pdf"])
        let bytes = try decodeFile(
            content, member: "fichierFacture", limit: state.settings.maxAttachmentBytes, tooLarge: Reply(status: 413))
        guard bytes.starts(with: Array("%PDF-".utf8)) else {
            throw Reply.invalid("Le fichier '\(name)' n'est pas un PDF.")
        }
        let id = state.takeId()
        state.attachments[id] = Attachment(
            id: id, name: name, ext: "PDF", mime: "application/pdf",
            file: state.files.put(bytes, key: "attachment/\(id)"), login: call.account.login)
        let read = InvoiceDocument.detect(bytes)
        return .object([
            "codeRetour": 0, "libelle": "GCU_MSG_01_000", "pieceJointeId": .integer(id),
            "numeroFacture": .string(read?.invoiceNumber ?? ""), "dateFacture": .string(read?.issueDate ?? ""),
            "codeDestinataire": .string(read?.recipientSiret ?? ""),
            "codeServiceExecutant": .string(read?.serviceCode ?? ""),
            "codeFournisseur": .string(read?.supplierSiret ?? ""),
            "codeDeviseFacture": .string(read?.currency ?? "EUR"),
            "typeFacture": .string(read?.kind.rawValue ?? "FACTURE"), "typeTva": "TVA_SUR_DEBIT",
            "numeroBonCommande": .string(read?.engagementNumber ?? ""),
            "montantTtcAvantRemiseGlobalTTC": .number(read?.totalTTC ?? 0),
            "montantAPayer": .number(read?.amountDue ?? 0),
            "montantHtTotal": .number(read?.totalHT ?? 0), "montantTVA": .number(read?.totalTVA ?? 0),
        ])
    }

    static let addFile: Handler = { state, call throws(Reply) in
        let p = call.params
        _ = try p.int("idUtilisateurCourant")
        let name = try p.requiredString("pieceJointeNom")
        let mime = try p.requiredString("pieceJointeTypeMime")
        let ext = try p.requiredString("pieceJointeExtension").uppercased()
        let content = try p.requiredString("pieceJointeFichier")
        guard name.count <= 50 else { throw Reply.invalid("Le paramètre 'pieceJointeNom' dépasse 50 caractères.") }
        guard mime.count <= 255 else {
            throw Reply.invalid("Le paramètre 'pieceJointeTypeMime' dépasse 255 caractères.")
        }
        guard attachmentExtensions.contains(ext) else {
            throw Reply.invalid("L'extension '\(ext)' n'est pas autorisée pour une pièce jointe.")
        }
        let bytes = try decodeFile(
            content, member: "pieceJointeFichier", limit: state.settings.maxAttachmentBytes,
            tooLarge: Reply.business(20003, "La pièce jointe ne doit pas dépasser 10Mo."))
        let id = state.takeId()
        state.attachments[id] = Attachment(
            id: id, name: name, ext: ext, mime: mime, file: state.files.put(bytes, key: "attachment/\(id)"),
            login: call.account.login)
        return ok("GCU_MSG_01_000", ["pieceJointeId": .integer(id)])
    }

    static let complete: Handler = { state, call throws(Reply) in
        let p = call.params
        let id = try p.requiredInt("identifiantFactureCPP")
        let comment = try p.string("commentaire")
        _ = try p.complementaryAttachments("pieceJointeComplementaire", in: state, login: call.account.login)
        guard let invoice = state.invoices[id] else { throw notFound(id) }
        guard call.account.structureIds.contains(invoice.supplierId) else {
            throw Reply.business(
                20001, "GDP_MSG_11.005 - L'utilisateur n'a pas les habilitations nécessaires pour soumettre la demande."
            )
        }
        guard invoice.status == "SUSPENDUE" else {
            throw Reply.business(
                20002, "GDP_MSG_11.033 - Le statut de la demande de paiement n'est pas défini à Suspendue")
        }
        state.invoices[id]?.history.append(
            Invoice.StatusChange(status: "COMPLETEE", at: call.now, comment: comment ?? "", by: call.account.login))
        return ok(
            "GCU_MSG_01_000",
            [
                "identifiantFactureCPP": .integer(id), "numeroFacture": .string(invoice.number),
                "dateTraitement": .string(ChorusDate.day(call.now)),
            ])
    }

    static let recycle: Handler = { state, call throws(Reply) in
        let p = call.params
        let id = try p.requiredInt("identifiantFactureCPP")
        let destination = try p.requiredObject("destinataire")
        let siret = try destination.requiredString("codeDestinataire")
        let serviceCode = try destination.string("codeServiceExecutant")
        let engagement = try p.object("reference")?.string("numeroBonCommande")
        guard let invoice = state.invoices[id], call.account.structureIds.contains(invoice.supplierId) else {
            throw notFound(id)
        }
        guard invoice.status == "A_RECYCLER" else {
            throw Reply.business(20002, "Le statut de la demande de paiement n'est pas défini à A_RECYCLER.")
        }
        guard let recipient = state.structure(siret: siret), recipient.kind == "PUBLIQUE" else {
            throw Reply.business(20010, "Le destinataire \(siret) n'est pas référencé dans Chorus Pro.")
        }
        if let message = DepositRules.routingError(
            recipient: recipient, supplier: state.structure(id: invoice.supplierId), serviceCode: serviceCode,
            engagement: engagement ?? invoice.engagement, serviceTag: "destinataire.codeServiceExecutant",
            engagementTag: "reference.numeroBonCommande")
        {
            throw Reply.business(20011, message.trimmingCharacters(in: .whitespaces))
        }
        var updated = invoice
        updated.recipientId = recipient.id
        updated.serviceId = serviceCode.flatMap { recipient.service(code: $0)?.id }
        if let engagement { updated.engagement = engagement }
        let previous = updated.history
        InvoiceLifecycle.start(&updated, at: call.now, delay: state.settings.routingDelay, by: call.account.login)
        updated.history = previous + updated.history
        state.store(updated)
        return ok(
            "GCU_MSG_01_000",
            [
                "identifiantFactureCPP": .integer(id), "numeroFacture": .string(invoice.number),
                "statutFacture": "DEPOSEE",
                "dateDepot": .string(ChorusDate.day(call.now)),
            ])
    }
}
