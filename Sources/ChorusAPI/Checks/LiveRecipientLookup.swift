import JSONValue

/// The directory through a ``ChorusClient``: `rechercherStructure` and `consulterStructureAvecTVAIntraCom`
/// for a structure, `rechercherServicesStructure` and `consulterServiceStructure` for the service the invoice
/// names, `rechercherEngagementJuridique` for its engagement. Each answer is asked once per run.
public actor LiveRecipientLookup: RecipientLookup {
    private let client: ChorusClient
    private var structures: [String: Structure?] = [:]
    private var services: [String: [String: RecipientInfo.ServiceInfo]] = [:]
    private var engagements: [String: Bool] = [:]

    private struct Structure {
        var id: Int64
        var active: Bool
        var parameters: JSONValue?
        var isPrivate: Bool?
    }

    /// A lookup reading through `client`.
    public init(client: ChorusClient) { self.client = client }

    public func recipient(siret: String, serviceCode: String?, engagement: String?) async throws(ChorusError)
        -> RecipientInfo?
    {
        guard let structure = try await structure(siret) else { return nil }
        let p = structure.parameters
        var info = RecipientInfo(
            siret: siret, active: structure.active,
            serviceRequired: p?["codeServiceDoitEtreRenseigne"] == .bool(true),
            engagementRequired: p?["numeroEJDoitEtreRenseigne"] == .bool(true),
            serviceOrEngagement: p?["gestionNumeroEJOuCodeService"] == .bool(true))
        // State recipients (service or engagement) keep their engagements in Chorus (inferred).
        info.managesEngagements = info.serviceOrEngagement
        if let code = serviceCode, !code.isEmpty {
            info.services = try await services(of: structure.id, naming: code)
            // consulterServiceStructure's numeroEngagement also says yes when the structure requires one;
            // the structure's own rule covers that case.
            if info.engagementRequired { info.services = info.services?.mapValues { var s = $0; s.engagementRequired = false; return s } }
        }
        if let number = engagement, !number.isEmpty, info.managesEngagements {
            info.engagements = try await engagementExists(number, recipient: siret) ? [number] : []
        }
        return info
    }

    public func supplier(siret: String) async throws(ChorusError) -> SupplierInfo? {
        guard let structure = try await structure(siret) else { return SupplierInfo(known: false) }
        return SupplierInfo(known: true, isPrivate: structure.isPrivate)
    }

    private func structure(_ siret: String) async throws(ChorusError) -> Structure? {
        if let known = structures[siret] { return known }
        var found: Structure?
        do {
            let search = try await client.call(
                "structures.rechercherStructure",
                payload: [
                    "structure": ["identifiantStructure": .string(siret), "typeIdentifiantStructure": "SIRET"],
                    "restreindreStructuresPrivees": false,
                    "parametres": ["pageResultatDemandee": 1, "nbResultatsParPage": 1],
                ])
            if let row = search["listeStructures"]?.arrayValue?.first, let id = row["idStructureCPP"]?.integerValue {
                let details = try await client.call(
                    "structures.consulterStructureAvecTVAIntraCom",
                    payload: ["idStructureCPP": .integer(id), "codeLangue": "FR"])
                let kind = details["informationGenerales"]?["structurePriveePublique"]?.stringValue
                found = Structure(
                    id: id, active: (row["statut"]?.stringValue ?? "ACTIVE").hasPrefix("ACTI"),
                    parameters: details["parametres"], isPrivate: kind.map { $0 == "PRIVEE" })
            }
        } catch where error.isNoResult {
            found = nil
        }
        structures[siret] = .some(found)
        return found
    }

    /// The recipient's services (all of them, so an unknown code is told apart), with the engagement
    /// requirement of the one the invoice names.
    private func services(of id: Int64, naming code: String) async throws(ChorusError)
        -> [String: RecipientInfo.ServiceInfo]
    {
        let key = "\(id)"
        var list = services[key]
        if list == nil {
            var rows: [String: (Int64, RecipientInfo.ServiceInfo)] = [:]
            let answer = try await client.call(
                "structures.rechercherServicesStructure",
                payload: [
                    "idStructure": .integer(id),
                    "parametresRechercherServicesStructure": ["pageResultatDemandee": 1, "nbResultatsParPage": 1000],
                ])
            for row in answer["listeServices"]?.arrayValue ?? [] {
                guard let code = row["codeService"]?.stringValue, let serviceId = row["idService"]?.integerValue
                else { continue }
                rows[code] = (serviceId, RecipientInfo.ServiceInfo(active: row["estActif"] != .bool(false)))
            }
            var result = rows.mapValues(\.1)
            if let (serviceId, _) = rows[code] {
                let details = try await client.call(
                    "structures.consulterServiceStructure",
                    payload: ["idStructure": .integer(id), "idService": .integer(serviceId), "codeLangue": "FR"])
                result[code]?.engagementRequired = details["parametres"]?["numeroEngagement"] == .bool(true)
            }
            list = result
            services[key] = result
        }
        return list ?? [:]
    }

    private func engagementExists(_ number: String, recipient siret: String) async throws(ChorusError) -> Bool {
        if let known = engagements[siret + " " + number] { return known }
        var exists = false
        do {
            let answer = try await client.call(
                "engagementsJuridiques.rechercherEngagementJuridique",
                payload: [
                    "numeroEngagementJuridique": .string(number),
                    "parametresRecherche": ["pageResultatDemandee": 1, "nbResultatsParPage": 10],
                ])
            exists = (answer["listeEngagementJuridique"]?.arrayValue ?? []).contains { row in
                let owner = row["identifiantStructureReceptrice"]?.stringValue ?? ""
                return owner.isEmpty || owner == siret
            }
        } catch where error.isNoResult {
            exists = false
        }
        engagements[siret + " " + number] = exists
        return exists
    }
}
