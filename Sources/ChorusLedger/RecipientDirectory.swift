import ChorusAPI
import Foundation
import JSONValue

/// What a recipient structure requires of the invoices it receives (its `parametres` on Chorus Pro).
public struct RecipientRequirements: Sendable, Equatable {
    /// `idStructureCPP`.
    public var id: Int64
    /// `codeServiceDoitEtreRenseigne`.
    public var service: Bool
    /// `numeroEJDoitEtreRenseigne`.
    public var engagement: Bool
    /// `gestionNumeroEJOuCodeService`: one of the two is enough.
    public var serviceOrEngagement: Bool

    /// Creates a value from its fields.
    public init(id: Int64, service: Bool, engagement: Bool, serviceOrEngagement: Bool) {
        self.id = id
        self.service = service
        self.engagement = engagement
        self.serviceOrEngagement = serviceOrEngagement
    }
}

/// Looks recipients up once per run (`rechercherStructure`, then `consulterStructureAvecTVAIntraCom`)
/// for the pre-deposit check that the recipient exists and that the file carries what it requires.
public actor RecipientDirectory {
    private let client: ChorusClient
    private var cache: [String: RecipientRequirements?] = [:]

    /// A directory reading through `client`.
    public init(client: ChorusClient) { self.client = client }

    /// The requirements of the structure with this SIRET, or nil when it is not known in this environment.
    public func requirements(siret: String) async throws(ChorusError) -> RecipientRequirements? {
        if let known = cache[siret] { return known }
        let found: RecipientRequirements?
        do {
            let search = try await client.call(
                "structures.rechercherStructure",
                payload: [
                    "structure": ["identifiantStructure": .string(siret), "typeIdentifiantStructure": "SIRET"],
                    "restreindreStructuresPrivees": false,
                    "parametres": ["pageResultatDemandee": 1, "nbResultatsParPage": 1],
                ])
            if let id = search["listeStructures"]?.arrayValue?.first?["idStructureCPP"]?.integerValue {
                let structure = try await client.call(
                    "structures.consulterStructureAvecTVAIntraCom",
                    payload: ["idStructureCPP": .integer(id), "codeLangue": "FR"])
                let p = structure["parametres"]
                found = RecipientRequirements(
                    id: id, service: p?["codeServiceDoitEtreRenseigne"] == .bool(true),
                    engagement: p?["numeroEJDoitEtreRenseigne"] == .bool(true),
                    serviceOrEngagement: p?["gestionNumeroEJOuCodeService"] == .bool(true))
            } else {
                found = nil
            }
        } catch  where error.isNoResult {
            found = nil
        }
        cache[siret] = .some(found)
        return found
    }
}

extension RecipientDirectory {
    /// The pre-deposit check that needs the platform: the recipient of each invoice of `candidate` (one,
    /// or each of a lot) exists in this environment and the file carries what it requires. `chorus
    /// deposit` and `chorus.invoices.deposit` both run it, so a refusal reads the same from the command
    /// and from a script.
    /// - Returns: the refusal naming the file and what is missing (every problem of a lot, joined by
    ///   `; `), or nil when the file may be sent.
    /// - Throws: the lookup's error (the check could not be made; nothing was reserved).
    public func problem(for candidate: DepositCandidate) async throws(ChorusError) -> String? {
        var problems: [String] = []
        for invoice in candidate.invoices {
            if let problem = invoice.recipientProblem(try await requirements(siret: invoice.recipientSiret)) {
                problems.append(problem)
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}

extension DepositCandidate {
    /// What is wrong with this file for its recipient (`requirements` nil: unknown here), or nil.
    /// For a lot, the first invoice's; ``RecipientDirectory/problem(for:)`` checks each.
    public func recipientProblem(_ requirements: RecipientRequirements?) -> String? {
        invoices[0].recipientProblem(requirements)
    }
}

extension DepositCandidate.Invoice {
    /// What is wrong with this invoice for its recipient (`requirements` nil: unknown here), or nil.
    public func recipientProblem(_ requirements: RecipientRequirements?) -> String? {
        let paths = DepositCandidate.requirementPaths(document.format)
        guard let requirements else {
            return
                "'\(name)': the recipient \(recipientSiret) is not known in this environment (\(DepositCandidate.elementPaths(document.format).recipient))"
        }
        let hasService = !(document.serviceCode ?? "").isEmpty
        let hasEngagement = !(document.engagementNumber ?? "").isEmpty
        if requirements.serviceOrEngagement {
            if !hasService && !hasEngagement {
                return
                    "'\(name)': the recipient \(recipientSiret) requires a service code (\(paths.service)) or an engagement juridique number (\(paths.engagement))"
            }
            return nil
        }
        if requirements.service && !hasService {
            return "'\(name)': the recipient \(recipientSiret) requires a service code (\(paths.service))"
        }
        if requirements.engagement && !hasEngagement {
            return
                "'\(name)': the recipient \(recipientSiret) requires an engagement juridique number (\(paths.engagement))"
        }
        return nil
    }
}

extension DepositCandidate {
    /// The elements a recipient's requirements are read from, as written in refusals.
    static func requirementPaths(_ format: InvoiceDocument.Format) -> (service: String, engagement: String) {
        switch format {
        case .ubl: return ("Invoice/cbc:BuyerReference", "Invoice/cac:OrderReference/cbc:ID")
        case .cii, .facturX:
            let agreement =
                "rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
            return (
                "\(agreement)/ram:BuyerReference", "\(agreement)/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
            )
        }
    }
}
