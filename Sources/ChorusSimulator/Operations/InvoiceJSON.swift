import ChorusAPI
import Foundation
import JSONValue

/// The shapes an invoice takes in responses; each follows its Swagger definition, with the id key of
/// its endpoint (`identifiantFactureCPP` on the supplier side, `idFacture` on the recipient side).
enum InvoiceJSON {
    struct Parties {
        var supplier: Structure
        var recipient: Structure
        var service: Service?
        var supplierService: Service?
    }

    static func parties(_ invoice: Invoice, _ state: SimulatorState) -> Parties {
        let supplier = state.structure(id: invoice.supplierId)!
        let recipient = state.structure(id: invoice.recipientId)!
        return Parties(
            supplier: supplier, recipient: recipient, service: invoice.serviceId.flatMap { recipient.service(id: $0) },
            supplierService: invoice.supplierServiceId.flatMap { supplier.service(id: $0) })
    }

    static func currentDate(_ invoice: Invoice) -> String {
        ChorusDate.timestamp(invoice.history.last?.at ?? invoice.depositedAt)
    }

    /// A row of rechercherFactureParFournisseur (and of the supplier's "to process" search).
    static func supplierRow(_ invoice: Invoice, _ state: SimulatorState) -> JSONValue {
        let p = parties(invoice, state)
        var row = searchRow(invoice, p)
        row["identifiantFactureCPP"] = .integer(invoice.id)
        row["modeDepot"] = .string(invoice.modeDepot)
        row["rejetTraite"] = .bool(invoice.rejectionAcknowledged)
        if let service = p.supplierService {
            row["codeServiceFournisseur"] = .string(service.code)
            row["nomServiceFournisseur"] = .string(service.name)
        }
        if let flux = invoice.fluxNumber { row["numeroFluxDepot"] = .string(flux) }
        if let ej = invoice.engagement { row["numeroBonCommande"] = .string(ej) }
        return .object(row)
    }

    /// A row of rechercherFactureParRecipiendaire.
    static func recipientRow(_ invoice: Invoice, _ state: SimulatorState) -> JSONValue {
        let p = parties(invoice, state)
        var row = searchRow(invoice, p)
        row["idFacture"] = .integer(invoice.id)
        row["factureTelechargeeParDestinataire"] = .bool(invoice.downloadedByRecipient)
        if let ej = invoice.engagement { row["numeroBonCommande"] = .string(ej) }
        return .object(row)
    }

    /// The fields both search sides share (the id key differs: identifiantFactureCPP / idFacture).
    private static func searchRow(_ invoice: Invoice, _ p: Parties) -> [String: JSONValue] {
        var row: [String: JSONValue] = [
            "typeDemandePaiement": "FACTURE", "devise": .string(invoice.currency),
            "codeFournisseur": .string(p.supplier.siret), "typeIdentifiantFournisseur": "SIRET",
            "designationFournisseur": .string(p.supplier.name), "idDestinataire": .integer(p.recipient.id),
            "codeDestinataire": .string(p.recipient.siret), "designationDestinataire": .string(p.recipient.name),
            "typeFacture": .string(invoice.type), "numeroFacture": .string(invoice.number),
            "dateFacture": .string(invoice.issueDate), "dateDepot": .string(ChorusDate.day(invoice.depositedAt)),
            "montantHT": .number(invoice.totalHT), "montantTTC": .number(invoice.totalTTC),
            "montantAPayer": .number(invoice.amountDue), "statut": .string(invoice.status),
            "taille": .integer(Int64(invoice.file?.size ?? 0)),
            "dateHeureEtatCourant": .string(currentDate(invoice)),
            "commentaireEtatCourant": .string(invoice.history.last?.comment ?? ""),
        ]
        if let service = p.service {
            row["idServiceExecutant"] = .integer(service.id)
            row["codeServiceExecutant"] = .string(service.code)
            row["nomServiceExecutant"] = .string(service.name)
        }
        return row
    }

    /// A row of rechercherDemandePaiement.
    static func paymentRequestRow(_ invoice: Invoice, _ state: SimulatorState) -> JSONValue {
        let p = parties(invoice, state)
        var row: [String: JSONValue] = [
            "idDemandePaiement": .integer(invoice.id), "numeroDemandePaiement": .string(invoice.number),
            "typeDemandePaiement": "FACTURE", "typeFacture": .string(invoice.type),
            "cadreFacturation": .string(invoice.cadre),
            "etatCourant": .string(invoice.status), "dateHeureEtatCourant": .string(currentDate(invoice)),
            "dateFournisseur": .string(invoice.issueDate), "dateDepot": .string(ChorusDate.day(invoice.depositedAt)),
            "montantHT": .number(invoice.totalHT), "montantTTC": .number(invoice.totalTTC),
            "montantAPayer": .number(invoice.amountDue), "idStructureFournisseur": .integer(p.supplier.id),
            "idStructureDestinataire": .integer(p.recipient.id),
            "identifiantStructureFournisseur": .string(p.supplier.siret),
            "identifiantStructureDestinataire": .string(p.recipient.siret),
        ]
        if let service = p.service {
            row["idServiceDestinataire"] = .integer(service.id)
            row["codeServiceDestinataire"] = .string(service.code)
            row["nomServiceDestinataire"] = .string(service.name)
        }
        return .object(row)
    }

    /// The `facture` of consulterFactureParFournisseur (`emitted`) or ParRecipiendaire.
    static func full(_ invoice: Invoice, _ state: SimulatorState, emitted: Bool) -> JSONValue {
        let p = parties(invoice, state)
        var recipient: [String: JSONValue] = [
            "idDestinataire": .integer(p.recipient.id), "codeDestinataire": .string(p.recipient.siret),
            "libelleDestinataire": .string(p.recipient.name), "adresseDestinataireDetail": .string(p.recipient.address),
            "adresseDestinataireCodePostal": .string(p.recipient.postalCode),
            "adresseDestinataireVille": .string(p.recipient.city), "adresseDestinataireCodePays": "FR",
            "adresseDestinataireLibellePays": "France",
        ]
        if !emitted { recipient["destinataireEtat"] = .string(p.recipient.isState ? "OUI" : "NON") }
        if let service = p.service {
            recipient["idServiceExecutant"] = .integer(service.id)
            recipient["codeServiceExecutant"] = .string(service.code)
            recipient["libelleServiceExecutant"] = .string(service.name)
        }
        var supplier: [String: JSONValue] = [
            "idFournisseur": .integer(p.supplier.id), "typeIdentifiantFournisseur": "SIRET",
            "codeFournisseur": .string(p.supplier.siret), "designationFournisseur": .string(p.supplier.name),
            "adresseFournisseurDetail": .string(p.supplier.address),
            "adresseFournisseurCodePostal": .string(p.supplier.postalCode),
            "adresseFournisseurVille": .string(p.supplier.city), "adresseFournisseurCodePays": "FR",
            "adresseFournisseurLibellePays": "France",
        ]
        if emitted { supplier["raisonSocialeFournisseur"] = .string(p.supplier.name) }
        if let service = p.supplierService {
            supplier["idServiceFournisseur"] = .integer(service.id)
            supplier["codeServiceFournisseur"] = .string(service.code)
            supplier["libelleServiceFournisseur"] = .string(service.name)
        }
        var references: [String: JSONValue] = [
            "dateFacture": .string(invoice.issueDate), "dateDepot": .string(ChorusDate.day(invoice.depositedAt)),
            "codeDeviseFacture": .string(invoice.currency), "typeFacture": .string(invoice.type),
            "typeTva": "TVA_SUR_DEBIT", "modePaiement": "VIREMENT",
        ]
        if let ej = invoice.engagement { references["numeroBonCommande"] = .string(ej) }
        let lines = invoice.lines.map { line -> JSONValue in
            let net = line.quantity * line.unitPriceHT - line.discountHT
            return [
                "lignePosteNumero": .integer(line.number), "lignePosteReference": .string(line.reference),
                "lignePosteDenomination": .string(line.label), "lignePosteQuantite": .number(line.quantity),
                "lignePosteUniteLibelle": .string(line.unit), "lignePosteMontantUnitaireHT": .number(line.unitPriceHT),
                "lignePosteMontantRemiseHT": .number(line.discountHT), "lignePosteTauxTva": .string(line.vatCode),
                "lignePosteMontantHtApresRemise": .number(net),
            ]
        }
        var facture: [String: JSONValue] = [
            "identifiantFactureCPP": .integer(invoice.id), "numeroFacture": .string(invoice.number),
            "statutFacture": .string(invoice.status), "modeDepot": .string(invoice.modeDepot),
            "destinataire": .object(recipient), "fournisseur": .object(supplier),
            "cadreDeFacturation": ["codeCadreFacturation": .string(invoice.cadre)],
            "references": .object(references),
            "montantTotal": [
                "montantHtTotal": .number(invoice.totalHT), "montantTVA": .number(invoice.totalTVA),
                "montantTtcAvantRemiseGlobalTTC": .number(invoice.totalTTC), "montantRemiseGlobaleTTC": 0.0,
                "montantTtcTotal": .number(invoice.totalTTC), "montantAPayer": .number(invoice.amountDue),
            ],
            "lignesDePoste": [
                "lignePoste": .array(lines), "pageCouranteLignesPoste": 1, "pagesLignesPoste": 1,
                "nbResultatsParPageLignesPoste": .integer(Int64(max(1, lines.count))),
                "totalLignesPoste": .integer(Int64(lines.count)),
            ],
            "commentaire": .string(invoice.comment ?? ""),
        ]
        if emitted { facture["rejetTraite"] = .bool(invoice.rejectionAcknowledged) }
        if let attachment = invoice.mainAttachmentId {
            facture["pieceJointePrincipale"] = [
                "idPieceJointePrincipale": .integer(attachment), "idLiaisonPieceJointePrincipale": .integer(attachment),
            ]
        }
        return .object(facture)
    }
}
