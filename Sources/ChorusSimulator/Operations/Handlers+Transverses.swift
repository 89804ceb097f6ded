import Foundation
import JSONValue

extension Handlers {
    static let transverses: [String: Handler] = [
        "recupererCoordonneesBancairesValides": bankDetails,
        "recupererStructuresActivesPourFournisseur": activeStructures { $0.kind == "PRIVEE" },
        "recupererStructuresActivesPourDestinataire": activeStructures { $0.kind == "PUBLIQUE" },
        "recupererStructuresActivesPourFactureTravaux": activeStructures { _ in true },
        "recupererStructuresPourUtilisateur": activeStructures { _ in true },
        "consulterInformationsSIRET": siretInformation,
        "rechercherDestinataire": searchRecipients,
        "rechercherPieceJointeStructure": structureAttachments,
        "rechercherPieceJointeMonCompte": accountAttachments,
        "telechargerPieceJointe": downloadAttachment,
        "telechargerAnnuaireDestinataire": directory,
        "rechercherServiceExecutant": executingServices,
        "detacherPieceJointe": detachAttachment,
    ]

    static let bankDetails: Handler = { state, call throws(Reply) in
        let s = try structure(state, call.params, key: "idStructure")
        guard call.account.structureIds.contains(s.id) else {
            throw Reply.business(20001, "L'utilisateur n'est pas rattaché à la structure \(s.id).")
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "listeCoordonneeBancaire": .array(
                    s.bankAccounts.map {
                        ["idCoordonneeBancaire": .integer($0.id), "nomCoordonneeBancaire": .string($0.name)]
                    })
            ])
    }

    static func activeStructures(_ include: @escaping @Sendable (Structure) -> Bool) -> Handler {
        { state, call throws(Reply) in
            _ = try call.params.int("idUtilisateurCourant")
            let rows = call.account.structureIds.compactMap { state.structure(id: $0) }.filter {
                $0.active && include($0)
            }
            .map { s -> JSONValue in
                [
                    "idStructureCPP": .integer(s.id), "identifiant": .string(s.siret),
                    "designationStructure": .string(s.name),
                ]
            }
            return ok("TRA_MSG_00.000", ["listeStructures": .array(rows)])
        }
    }

    static let siretInformation: Handler = { state, call throws(Reply) in
        let siret = try call.params.requiredString("siretStructure")
        guard let s = state.structure(siret: siret) else {
            throw Reply.business(20001, "Le SIRET \(siret) est inconnu.")
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "siret": .string(s.siret), "siren": .string(String(s.siret.prefix(9))),
                "raisonSociale": .string(s.name),
                "estActif": .bool(s.active), "adresse": .string(s.address), "codePostal": .string(s.postalCode),
                "ville": .string(s.city),
            ])
    }

    static let searchRecipients: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("parametresRecherche"))
        let identifier = try p.string("identifiant")
        let place = try p.string("nomVilleCodePostal")
        _ = try p.enumeration("typeStructure", ["PRIVEE", "PUBLIQUE"])
        let matches = state.structures.filter { s in
            guard s.kind == "PUBLIQUE", s.active else { return false }
            if let identifier, !identifier.isEmpty, !s.siret.hasPrefix(identifier) { return false }
            if let place, !place.isEmpty,
                !(s.city.localizedCaseInsensitiveContains(place) || s.postalCode.hasPrefix(place))
            {
                return false
            }
            return true
        }
        let rows = matches.map { s -> JSONValue in
            [
                "idStructureCPP": .integer(s.id), "siret": .string(s.siret), "nomDestinataire": .string(s.name),
                "adresseCodePostal": .string(s.postalCode), "adresseVille": .string(s.city),
            ]
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "listeDestinataires": .array(page.slice(rows)),
                "parametresRetour": page.parametresRetour(total: rows.count),
            ])
    }

    static func attachmentRow(_ a: Attachment, userId: Int64) -> JSONValue {
        [
            "pieceJointeId": .integer(a.id), "pieceJointeDesignation": .string(a.name),
            "pieceJointeExtension": .string(a.ext), "pieceJointeObjetId": .integer(a.id),
            "pieceJointeTypeCode": .string(a.typeCode), "pieceJointeTypeLibelle": "Pièce jointe de facture",
            "pieceJointeUtilisateurId": .integer(userId),
        ]
    }

    static let accountAttachments: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.object("parametresRecherche"))
        _ = try call.params.int("pieceJointeTypeId")
        let mine = state.attachments.values.filter { $0.login == call.account.login }.sorted { $0.id < $1.id }
        return ok(
            "GCU_MSG_01_000",
            [
                "listePiecesJointes": .array(page.slice(mine).map { attachmentRow($0, userId: call.account.userId) }),
                "parametresRetour": page.parametresRetour(total: mine.count),
            ])
    }

    /// Attachments uploaded by the accounts attached to a structure.
    static let structureAttachments: Handler = { state, call throws(Reply) in
        let page = try Page(try call.params.object("parametresRecherche"))
        let s = try structure(state, call.params, key: "idStructure")
        let logins = Set(state.technicalAccounts.filter { $0.structureIds.contains(s.id) }.map(\.login))
        let found = state.attachments.values.filter { logins.contains($0.login) }.sorted { $0.id < $1.id }
        return ok(
            "GCU_MSG_01_000",
            [
                "listePiecesJointes": .array(page.slice(found).map { attachmentRow($0, userId: call.account.userId) }),
                "parametresRetour": page.parametresRetour(total: found.count),
            ])
    }

    /// The attachment id in any of the places clients put it.
    static func attachmentId(_ p: Params) throws(Reply) -> Int64? {
        if let id = try p.firstInt("pieceJointeId", "idPieceJointe") { return id }
        for key in ["demandePaiement", "engagementJuridique", "sollicitation", "structure"] {
            if let nested = try p.object(key), let id = try nested.firstInt("pieceJointeId", "idPieceJointe") {
                return id
            }
        }
        return nil
    }

    static let downloadAttachment: Handler = { state, call throws(Reply) in
        let p = call.params
        _ = try p.string("objetPieceJointe")
        if let id = try attachmentId(p) {
            guard let attachment = state.attachments[id], attachment.login == call.account.login else {
                throw Reply.business(20001, "La pièce jointe \(id) n'existe pas.")
            }
            let content = attachment.file.flatMap { state.files[$0.key] } ?? []
            return ok("GCU_MSG_01_000", ["pieceJointe": .string(Data(content).base64EncodedString())])
        }
        if let request = try p.object("demandePaiement"), let id = try request.int("idDemandePaiement") {
            let invoice = try visible(state, call, id, sent: nil)
            let file = file(of: invoice, format: "PDF", files: state.files)
            return ok("GCU_MSG_01_000", ["pieceJointe": .string(Data(file.bytes).base64EncodedString())])
        }
        throw p.missing("pieceJointeId")
    }

    static let directory: Handler = { state, _ throws(Reply) in
        var csv = "SIRET;IDSTRUCTURECPP;RAISON_SOCIALE;CODE_POSTAL;VILLE;SERVICE_OBLIGATOIRE;EJ_OBLIGATOIRE\n"
        for s in state.structures where s.kind == "PUBLIQUE" {
            csv +=
                "\(s.siret);\(s.id);\(s.name);\(s.postalCode);\(s.city);\(s.serviceRequired ? "OUI" : "NON");"
                + "\(s.engagementRequired ? "OUI" : "NON")\n"
        }
        return ok("TRA_MSG_00.000", ["fichierResultat": .string(Data(csv.utf8).base64EncodedString())])
    }

    static let executingServices: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("parametresRecherche"))
        let id = try p.int("idStructure")
        let siret = try p.string("identifiantStructure")
        guard let s = id.flatMap({ state.structure(id: $0) }) ?? siret.flatMap({ state.structure(siret: $0) }) else {
            throw Reply.business(20001, "La structure n'existe pas.")
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "listeServices": .array(page.slice(s.services).map(serviceRow)),
                "parametresRetour": page.parametresRetour(total: s.services.count),
            ])
    }

    static let detachAttachment: Handler = { state, call throws(Reply) in
        guard let id = try attachmentId(call.params) else { throw call.params.missing("pieceJointeId") }
        guard let attachment = state.attachments[id], attachment.login == call.account.login else {
            throw Reply.business(20001, "La pièce jointe \(id) n'existe pas.")
        }
        if state.invoices.values.contains(where: { $0.mainAttachmentId == id }) {
            throw Reply.business(
                20002, "La pièce jointe \(id) est la pièce principale d'une facture et ne peut être détachée.")
        }
        state.attachments[id] = nil
        if let key = attachment.file?.key { state.files.remove(key) }
        return ok("GCU_MSG_01_000")
    }

    static let others: [String: Handler] = [
        "recupererRattachementsMonCompte": myAttachments,
        "rechercherEngagementJuridique": searchEngagements,
        "rechercherFactureTravaux": searchWorksInvoices,
    ]

    static let myAttachments: Handler = { state, call throws(Reply) in
        let pagination = try call.params.object("parametresRecherche")
        let page = try Page(pagination)
        _ = try pagination?.enumeration(
            "triColonne", ["IdStructure", "IdentifiantStructure", "DesignationStructure", "RoleUtilisateur"])
        let rows = call.account.structureIds.compactMap { state.structure(id: $0) }.map { s -> JSONValue in
            [
                "idRattachementStructure": .integer(s.id * 10), "idStructure": .integer(s.id),
                "identifiantStructure": .string(s.siret), "designationStructure": .string(s.name),
                "typeIdentifiantStructure": "SIRET",
                "roleUtilisateur": .string(s.kind == "PRIVEE" ? "FOURNISSEUR" : "DESTINATAIRE"),
                "statutRattachementStructure": "ACTIF", "statutUtilisateur": "ACTIF",
                "listeServicesRattache": .array(
                    s.services.map {
                        [
                            "idService": .integer($0.id), "codeService": .string($0.code),
                            "libelleService": .string($0.name), "estActif": .bool($0.active),
                            "idRattachementService": .integer($0.id * 10), "statutRattachementService": "ACTIF",
                            "statutService": .string($0.active ? "ACTIF" : "INACTIF"),
                            "dateDbtService": "2016-10-25 17:42",
                        ]
                    }),
            ]
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "listeStructureRattachement": .array(page.slice(rows)),
                "parametresRetour": page.parametresRetour(total: rows.count),
            ])
    }

    static let searchEngagements: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("parametresRecherche"))
        let number = try p.string("numeroEngagementJuridique")
        let code = try p.string("codeEngagementJuridique")
        let etat = try p.string("etatCourantEngagementJuridique")
        _ = try p.string("structureReceptriceEngagementJuridique")
        _ = try p.double("montantTTCMin")
        if let number, number.count > 50 {
            throw Reply.invalid("Le paramètre 'numeroEngagementJuridique' dépasse 50 caractères.")
        }
        let matches = state.engagements.filter {
            (number == nil || $0.number == number) && (code == nil || $0.number == code)
                && (etat == nil || $0.state == etat)
        }
        let rows = matches.map { ej -> JSONValue in
            let recipient = state.structure(id: ej.structureId)
            return [
                "idEngagementJuridique": .integer(ej.id), "numeroEngagementJuridique": .string(ej.number),
                "libelleTypeEngagementJuridique": .string(ej.kind),
                "structureReceptrice": .string(recipient?.name ?? ""),
                "identifiantStructureReceptrice": .string(recipient?.siret ?? ""),
                "codeServiceExecutant": .string(ej.serviceCode), "dateNotificationEJ": .string(ej.notifiedOn),
                "libelleEtatCourantEJ": .string(ej.state), "montantTotalTtc": .number(ej.amountTTC),
                "deviseEngagement": "EUR",
            ]
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "listeEngagementJuridique": .array(page.slice(rows)),
                "parametresRetour": page.parametresRetour(total: rows.count),
            ])
    }

    /// No works invoice exists in the simulator: the search answers the platform's "no result".
    static let searchWorksInvoices: Handler = { _, call throws(Reply) in
        _ = try call.params.enumeration("roleUtilisateur", ["FOURNISSEUR", "MOE", "MOA", "VALIDATEUR", "DESTINATAIRE"])
        _ = try Page(try call.params.object("rechercheFactureTravaux"))
        throw Reply.business(20007, "GFT_MSG_01.075 - La recherche n'a retourné aucun résultat", status: 200)
    }
}
