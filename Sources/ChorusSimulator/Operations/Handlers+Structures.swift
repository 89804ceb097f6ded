import ChorusAPI
import Foundation
import JSONValue

extension Handlers {
    static let structureIdentifierTypes = [
        "SIRET", "UE_HORS_FRANCE", "HORS_UE", "RIDET", "TAHITI", "AUTRE", "PARTICULIER",
    ]

    static let structures: [String: Handler] = [
        "rechercherStructure": searchStructures,
        "consulterStructureAvecTVAIntraCom": consultStructure,
        "rechercherServicesStructure": searchServices,
        "consulterServiceStructure": consultService,
        "listerRattachementsStructureUtilisateur": listAttachments,
        "rechercherEspaces": searchSpaces,
    ]

    static func structureRow(_ s: Structure) -> JSONValue {
        [
            "idStructureCPP": .integer(s.id), "identifiantStructure": .string(s.siret),
            "designationStructure": .string(s.name), "typeIdentifiantStructure": "SIRET",
            "statut": .string(s.active ? "ACTIVE" : "INACTIVE"),
        ]
    }

    static let searchStructures: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("parametres"))
        _ = try p.object("parametres")?.enumeration(
            "triColonne", ["IdentifiantStructure", "DesignationStructure", "TypeIdentifiantStructure", "Statut"])
        let criteria = try p.object("structure") ?? Params(members: [:], prefix: "structure.")
        let siret = try criteria.string("identifiantStructure")
        _ = try criteria.enumeration("typeIdentifiantStructure", structureIdentifierTypes)
        let name = try criteria.firstString("raisonSocialeStructure", "libelleStructure")
        let kind = try criteria.enumeration("typeStructure", ["PRIVEE", "PUBLIQUE"])
        let status = try criteria.enumeration("statutStructure", ["ACTIF", "INACTIF"])
        let city = try criteria.string("adresseVille")
        let postalCode = try criteria.string("adresseCodePostal")
        _ = try criteria.bool("estMOA")
        let restrictPrivate = try p.bool("restreindreStructuresPrivees") ?? true
        let matches = state.structures.filter { s in
            if let siret, !siret.isEmpty, s.siret != siret { return false }
            if let name, !name.isEmpty, !s.name.localizedCaseInsensitiveContains(name) { return false }
            if let kind, s.kind != kind { return false }
            if let status, s.active != (status == "ACTIF") { return false }
            if let city, !city.isEmpty, s.city.caseInsensitiveCompare(city) != .orderedSame { return false }
            if let postalCode, !postalCode.isEmpty, s.postalCode != postalCode { return false }
            // Private structures show only when attached to the caller, unless restriction is lifted.
            if s.kind == "PRIVEE", restrictPrivate, !call.account.structureIds.contains(s.id) { return false }
            return true
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "listeStructures": .array(page.slice(matches).map(structureRow)),
                "parametresRetour": page.parametresRetour(total: matches.count),
            ])
    }

    /// The structure `key` names, or the platform's "not found" error.
    static func structure(_ state: SimulatorState, _ p: Params, key: String) throws(Reply) -> Structure {
        let id = try p.requiredInt(key)
        guard let structure = state.structure(id: id) else {
            throw Reply.business(20001, "La structure \(id) n'existe pas.")
        }
        return structure
    }

    static let consultStructure: Handler = { state, call throws(Reply) in
        _ = try call.params.enumeration("codeLangue", ["FR", "EN", "fr", "en"])
        let s = try structure(state, call.params, key: "idStructureCPP")
        var info: [String: JSONValue] = [
            "idStructureCPP": .integer(s.id), "identifiantStructure": .string(s.siret),
            "typeIdentifiantStructure": "SIRET",
            "libelleStructure": .string(s.name), "raisonSocialeStructure": .string(s.name),
            "numeroTVA": .string(s.vatNumber),
            "structurePriveePublique": .string(s.kind), "estValideurDeleguee": false,
            "emailStructure": .string("contact@\(s.siret).example.fr"), "listeStructureDupliquees": [],
        ]
        // The expiry of the caller's technical password shows on its own structures.
        if call.account.structureIds.contains(s.id) {
            info["dateExpirationMotPasseCompteTech"] = .string(ChorusDate.timestamp(call.account.passwordExpiresAt))
        }
        return ok(
            "GCU_MSG_01_000",
            [
                "adressePostaleDuSiege": [
                    "adresse": .string(s.address), "codePostal": .string(s.postalCode), "ville": .string(s.city),
                    "pays": "FR",
                ],
                "informationGenerales": .object(info),
                "parametres": [
                    "codeServiceDoitEtreRenseigne": .bool(s.serviceRequired),
                    "numeroEJDoitEtreRenseigne": .bool(s.engagementRequired),
                    "gestionNumeroEJOuCodeService": .bool(s.engagementOrService), "connexionEDI": false,
                    "estMoaUniquement": false, "estValideurDelegue": false, "getaMoa": false,
                    "nonDiffusibleInsee": false,
                    "recevoirDonneesViaEDI": false, "statutMiseEnPaiementNestPasRemonte": false,
                ],
            ])
    }

    static func serviceRow(_ service: Service) -> JSONValue {
        [
            "idService": .integer(service.id), "codeService": .string(service.code),
            "libelleService": .string(service.name), "estActif": .bool(service.active),
            "statutService": .string(service.active ? "ACTIF" : "INACTIF"),
        ]
    }

    static let searchServices: Handler = { state, call throws(Reply) in
        let s = try structure(state, call.params, key: "idStructure")
        let pagination = try call.params.object("parametresRechercherServicesStructure")
        let page = try Page(pagination)
        _ = try pagination?.enumeration(
            "triColonne", ["CodeService", "LibelleService", "DateDbtService", "DateFinService", "EstActif"])
        return ok(
            "TRA_MSG_00.000",
            [
                "listeServices": .array(page.slice(s.services).map(serviceRow)),
                "parametresRetour": page.parametresRetour(total: s.services.count),
            ])
    }

    static let consultService: Handler = { state, call throws(Reply) in
        _ = try call.params.enumeration("codeLangue", ["FR", "EN", "fr", "en"])
        let s = try structure(state, call.params, key: "idStructure")
        let id = try call.params.requiredInt("idService")
        guard let service = s.service(id: id) else {
            throw Reply.business(20002, "Le service \(id) n'existe pas pour la structure \(s.id).")
        }
        var body = Page.one
        body["adressePostale"] = [
            "adresse": .string(s.address), "codePostal": .string(s.postalCode), "ville": .string(s.city), "pays": "FR",
        ]
        body["informationsGenerales"] = [
            "codeService": .string(service.code), "nomService": .string(service.name),
            "descriptionService": .string(service.name),
        ]
        body["parametres"] = [
            "dateCreation": "2016-10-25T17:42:00.000+02:00", "dateDebutValidite": "2016-10-25T00:00:00.000+02:00",
            "miseEnPaiement": false, "numeroEngagement": .bool(service.engagementRequired || s.engagementRequired),
        ]
        return ok("GCU_MSG_01_000", body)
    }

    static let listAttachments: Handler = { state, call throws(Reply) in
        let p = call.params
        let pagination = try p.object("parametresListerRattachementsStructureUtilisateur")
        let page = try Page(pagination)
        _ = try pagination?.enumeration("triColonne", ["CodeService", "NomService", "StatutRattachement"])
        _ = try p.enumeration("typeIdentifiantStructure", structureIdentifierTypes)
        _ = try p.string("adresseEmailConnexionUtilisateur")
        _ = try p.int("idUtilisateur")
        let id = try p.int("idStructure")
        let siret = try p.string("identifiantStructure")
        guard let s = id.flatMap({ state.structure(id: $0) }) ?? siret.flatMap({ state.structure(siret: $0) }) else {
            throw Reply.business(20001, "La structure n'existe pas.")
        }
        let attached = call.account.structureIds.contains(s.id)
        let services = attached ? s.services : []
        let rows = services.map { service -> JSONValue in
            [
                "idService": .integer(service.id), "codeService": .string(service.code),
                "nomService": .string(service.name),
                "idRattachement": .integer(service.id * 10), "statutRattachement": "VALIDEE",
                "dateDebut": "2026-01-01T00:00:00.000+01:00",
            ]
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "idStructure": .integer(s.id), "identifiantStructure": .string(s.siret),
                "designationStructure": .string(s.name), "listeServices": .array(page.slice(rows)),
                "parametresRetour": page.parametresRetour(total: rows.count), "premierService": false,
            ])
    }

    static let searchSpaces: Handler = { state, call throws(Reply) in
        let p = call.params
        let page = try Page(try p.object("parametresRechercherEspaces"))
        let criteria = try p.object("structure")
        let serviceId = try p.int("idService")
        _ = try criteria?.enumeration("typeIdentifiantStructure", structureIdentifierTypes)
        let id = try criteria?.int("idStructure")
        let siret = try criteria?.string("identifiantStructure")
        guard let s = id.flatMap({ state.structure(id: $0) }) ?? siret.flatMap({ state.structure(siret: $0) }) else {
            throw Reply.business(20001, "La structure n'existe pas.")
        }
        let services = s.services.filter { serviceId == nil || $0.id == serviceId }
        let rows = services.enumerated().map { index, service -> JSONValue in
            [
                "idEspaceFo": .integer(service.id + 500_000), "codeEspace": .integer(Int64(8 + index)),
                "libelleEspace": "Factures reçues", "idService": .integer(service.id),
                "codeService": .string(service.code), "libelleService": .string(service.name), "etatCourant": "ACTIVE",
                "typeHabilitation": .string(
                    call.account.structureIds.contains(s.id) ? "MODIFICATION" : "CONSULTATION_UNIQUEMENT"),
            ]
        }
        return ok(
            "TRA_MSG_00.000",
            ["listeEspace": .array(page.slice(rows)), "parametresRetour": page.parametresRetour(total: rows.count)])
    }
}

extension Page {
    /// Top-level pagination keys of a one-element answer (consulterServiceStructure carries them).
    static let one: [String: JSONValue] = ["pageCourante": 1, "pages": 1, "nbResultatsParPage": 1, "total": 1]
}
