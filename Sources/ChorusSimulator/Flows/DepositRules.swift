import ChorusAPI
import Foundation

/// Reads a deposited file the way Chorus Pro's integration does and decides its fate: the invoices to
/// create, the errors per invoice (`listeErreurDP`) and the errors of the file (`listeErreurTechnique`).
enum DepositRules {
    struct Result {
        var invoices: [Invoice] = []
        var dpErrors: [DPError] = []
        var technicalErrors: [TechnicalError] = []
        /// Invoices read from the file (integrated or not).
        var read = 0
    }

    /// Which file format each readable syntax expects.
    static let formats: [String: InvoiceDocument.Format] = [
        "IN_DP_E1_UBL_INVOICE": .ubl, "IN_DP_E1_CII": .cii, "IN_DP_E1_CII_16B": .cii, "IN_DP_E2_CII_FACTURX": .facturX,
    ]

    /// The `modeDepot` an invoice from a flux of this syntax shows.
    static func modeDepot(for syntaxe: String) -> String {
        syntaxe.hasPrefix("IN_DP_E2") ? "EDI_MIXTE" : "EDI_XML_STRUCT"
    }

    static func read(
        files: [DepositedFile], syntaxe: String, account: TechnicalAccountRecord, state: SimulatorState, now: Date
    ) -> Result {
        var result = Result()
        guard let expected = formats[syntaxe] else {
            result.technicalErrors.append(
                TechnicalError(
                    code: "ERR_FMT_001",
                    message: "IRRECEVABILITE: la syntaxe \(syntaxe) n'est pas prise en charge par le simulateur.",
                    nature: "TECHNIQUE"))
            return result
        }
        var numbersInFlux = Set<String>()
        for file in files {
            guard let document = file.document, document.format == expected else {
                result.technicalErrors.append(
                    TechnicalError(
                        code: "ERR_XSD_001",
                        message: "IRRECEVABILITE: le fichier \(file.name) n'est pas conforme à la syntaxe déclarée "
                            + "\(syntaxe). - ligne: 1 - position: 1",
                        nature: "TECHNIQUE"))
                continue
            }
            result.read += 1
            let tags = Tags(format: document.format)
            let number = document.invoiceNumber ?? ""
            let supplierText = document.supplierSiret ?? ""
            let recipientText = document.recipientSiret ?? ""
            func reject(_ message: String) {
                result.dpErrors.append(
                    DPError(invoiceNumber: number, supplier: supplierText, recipient: recipientText, message: message))
            }
            guard !number.isEmpty else {
                reject("L'element FichierXml.\(tags.number).value est obligatoire.")
                continue
            }
            guard let supplier = state.structure(siret: supplierText) else {
                reject(
                    "L'identifiant fournisseur de la demande de paiement (balise : \(tags.supplier).value) n'est pas "
                        + "reference dans notre systeme. ")
                continue
            }
            guard account.structureIds.contains(supplier.id) else {
                reject(
                    "L'utilisateur n'est pas rattache a la structure fournisseur \(supplier.siret) de la demande de "
                        + "paiement (balise : \(tags.supplier).value). ")
                continue
            }
            guard let recipient = state.structure(siret: recipientText), recipient.kind == "PUBLIQUE" else {
                reject(
                    "L'identifiant destinataire de la demande de paiement (balise : \(tags.recipient).value) n'est pas "
                        + "reference dans notre systeme. ")
                continue
            }
            if let message = routingError(
                recipient: recipient, supplier: supplier, serviceCode: document.serviceCode,
                engagement: document.engagementNumber, serviceTag: tags.service + ".value",
                engagementTag: tags.engagement + ".value")
            {
                reject(message)
                continue
            }
            if document.format != .ubl, !document.hasPaymentMeansCode {
                reject(
                    "L'element FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement."
                        + "SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire.")
                continue
            }
            // Pending flux count too: the same number deposited twice within the processing delay is a duplicate.
            let duplicate = state.invoiceNumberUsed(supplierId: supplier.id, number: number)
            if duplicate || numbersInFlux.contains(number) {
                reject("La facture numero \(number) existe deja pour le fournisseur \(supplier.siret). ")
                continue
            }
            numbersInFlux.insert(number)
            let service = document.serviceCode.flatMap { recipient.service(code: $0) }
            let ht = document.totalHT ?? 0
            let tva = document.totalTVA ?? 0
            let ttc = document.totalTTC ?? ht + tva
            result.invoices.append(
                Invoice(
                    id: 0, number: number, type: document.kind.rawValue, modeDepot: modeDepot(for: syntaxe),
                    supplierId: supplier.id, supplierServiceId: supplier.services.first?.id, recipientId: recipient.id,
                    serviceId: service?.id, engagement: document.engagementNumber,
                    issueDate: document.issueDate ?? ChorusDate.day(now), depositedAt: now,
                    currency: document.currency ?? "EUR", totalHT: ht, totalTVA: tva, totalTTC: ttc,
                    amountDue: document.amountDue ?? ttc, file: StoredFile(key: file.key, size: file.bytes.count),
                    fileName: file.name, history: []))
        }
        return result
    }

    /// The routing rules of a recipient (service, engagement), shared by deposits and soumettreFacture;
    /// nil when the invoice may be sent.
    static func routingError(
        recipient: Structure, supplier: Structure?, serviceCode: String?, engagement: String?, serviceTag: String,
        engagementTag: String
    ) -> String? {
        if !recipient.active {
            return "Le destinataire \(recipient.siret) de la demande de paiement n'est pas actif. "
        }
        let code = serviceCode.flatMap { $0.isEmpty ? nil : $0 }
        let ej = engagement.flatMap { $0.isEmpty ? nil : $0 }
        if let code {
            guard let service = recipient.service(code: code) else {
                return "Le code service \(code) (balise : \(serviceTag)) n'est pas reference pour le destinataire "
                    + "\(recipient.siret). "
            }
            if !service.active { return "Le service \(code) du destinataire \(recipient.siret) n'est pas actif. " }
            if code == "FACTURES_PUBLIQUES", supplier?.kind == "PRIVEE" {
                return "Le service FACTURES_PUBLIQUES est reserve a la facturation entre structures publiques "
                    + "(balise : \(serviceTag)). "
            }
            if service.engagementRequired, ej == nil {
                return "Le numero d'engagement est obligatoire pour le service \(code) du destinataire "
                    + "\(recipient.siret) (balise : \(engagementTag)). "
            }
        }
        if recipient.engagementOrService, code == nil, ej == nil {
            return "Le code service ou le numero d'engagement doit etre renseigne pour le destinataire "
                + "\(recipient.siret) (balises : \(serviceTag), \(engagementTag)). "
        }
        if recipient.serviceRequired, code == nil {
            return "Le code service est obligatoire pour le destinataire \(recipient.siret) (balise : \(serviceTag)). "
        }
        if recipient.engagementRequired, ej == nil {
            return "Le numero d'engagement est obligatoire pour le destinataire \(recipient.siret) "
                + "(balise : \(engagementTag)). "
        }
        if let ej, ej.count > 50 {
            return "Le numero d'engagement \(ej) depasse 50 caracteres (balise : \(engagementTag)). "
        }
        return nil
    }

    /// Where each field lives in the file, as the reports name it.
    struct Tags {
        var number, supplier, recipient, service, engagement: String

        init(format: InvoiceDocument.Format) {
            if format == .ubl {
                number = "ID"
                supplier = "AccountingSupplierParty.Party.PartyIdentification.ID"
                recipient = "AccountingCustomerParty.Party.PartyIdentification.ID"
                service = "BuyerReference"
                engagement = "OrderReference.ID"
            } else {
                let agreement = "SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement."
                number = "ExchangedDocument.ID"
                supplier = agreement + "SellerTradeParty.SpecifiedLegalOrganization.ID"
                recipient = agreement + "BuyerTradeParty.SpecifiedLegalOrganization.ID"
                service = agreement + "BuyerReference"
                engagement = agreement + "BuyerOrderReferencedDocument.IssuerAssignedID"
            }
        }
    }
}
