import Foundation
import JSONValue

extension Doctor {
    /// One API of the PISTE catalogue whose CGU the application accepts, and how the doctor probes it.
    struct SubscriptionProbe {
        /// The name shown in the evidence and the PISTE catalogue.
        var api: String
        /// A cheap read of that API; nil when no operation of it is publicly known.
        var operation: String?
        var payload: JSONValue = [:]
        /// What the API enables, for an optional one (nil: every integration needs it).
        var enables: String?
    }

    /// The onboarding guide has the application accept the CGU of Factures, Structures, Transverses and
    /// Utilisateurs for any integration, and of EngagementJuridique, Travaux and AssistanceUtilisateur
    /// for what they add.
    static func subscriptionProbes(siret: String?) -> [SubscriptionProbe] {
        let page: JSONValue = ["pageResultatDemandee": 1, "nbResultatsParPage": 1]
        return [
            SubscriptionProbe(api: "Transverses", operation: "transverses.recupererTauxTva", payload: ["codeLangue": "FR"]),
            SubscriptionProbe(
                api: "Structures", operation: "structures.rechercherStructure",
                payload: [
                    "structure": [
                        "identifiantStructure": .string(siret ?? "00000000000000"), "typeIdentifiantStructure": "SIRET",
                    ],
                    "restreindreStructuresPrivees": false, "parametres": page,
                ]),
            SubscriptionProbe(
                api: "Utilisateurs", operation: "utilisateurs.recupererRattachementsMonCompte",
                payload: ["parametresRecherche": page]),
            SubscriptionProbe(
                api: "Factures", operation: "factures.rechercherFactureParFournisseur",
                payload: ["rechercheFactureParFournisseur": page]),
            SubscriptionProbe(
                api: "EngagementsJuridiques", operation: "engagementsJuridiques.rechercherEngagementJuridique",
                payload: ["parametresRecherche": page],
                enables: "checking engagement juridique numbers before deposit"),
            SubscriptionProbe(
                api: "FacturesTravaux", operation: "facturesTravaux.rechercherFactureTravaux",
                payload: ["roleUtilisateur": "FOURNISSEUR", "rechercheFactureTravaux": page],
                enables: "works invoices (factures de travaux)"),
            // No operation of this API is publicly known (no client, no Swagger): it cannot be probed.
            SubscriptionProbe(api: "AssistanceUtilisateur", enables: "support requests (sollicitations)"),
        ]
    }

    /// One cheap call per API. 403 means the CGU are not accepted; any other answer from Chorus Pro
    /// (even a refused technical account, checked next) proves the subscription. A missing optional
    /// API is a warning naming what it enables, never a failure.
    func checkSubscriptions(_ client: ChorusClient, siret: String?) async -> DoctorStep {
        var evidence: [String: String] = [:]
        var missing: [String] = []
        var missingOptional: [SubscriptionProbe] = []
        var lastError: ChorusError?
        for probe in Self.subscriptionProbes(siret: siret) {
            guard let operation = probe.operation else {
                evidence[probe.api] =
                    "not probed (no public operation is known); accept its CGU if you need \(probe.enables ?? "it")"
                continue
            }
            do throws(ChorusError) {
                _ = try await client.call(operation, payload: probe.payload)
                evidence[probe.api] = "subscribed"
            } catch {
                switch error.code {
                case .notSubscribed where probe.enables != nil:
                    evidence[probe.api] = "403: CGU not accepted (optional: \(probe.enables!))"
                    missingOptional.append(probe)
                case .notSubscribed:
                    evidence[probe.api] = "403: CGU not accepted"
                    missing.append(probe.api)
                    lastError = error
                case .authAccount:
                    evidence[probe.api] = "subscribed (technical account refused: see the next step)"
                case .business, .structure:
                    evidence[probe.api] = "subscribed"
                default:
                    evidence[probe.api] = "\(error.code.rawValue): \(error.message)"
                    lastError = lastError ?? error
                }
            }
        }
        if !missing.isEmpty {
            var step = step(
                .subscriptions, .failed, evidence: evidence,
                cause: "the application has not accepted the CGU of: \(missing.joined(separator: ", "))",
                remediation: missing.map { Remediation.notSubscribed(api: $0) }.joined(separator: " "),
                code: .notSubscribed)
            if let status = lastError?.status { step.evidence["status"] = String(status) }
            return step
        }
        if let error = lastError {
            return failed(.subscriptions, error)
        }
        if !missingOptional.isEmpty {
            let list = missingOptional.map { "\($0.api) (\($0.enables!))" }.joined(separator: ", ")
            return step(
                .subscriptions, .warning, evidence: evidence,
                cause: "optional APIs without accepted CGU: \(list)",
                remediation: "Only if you need them: "
                    + missingOptional.map { Remediation.notSubscribed(api: $0.api) }.joined(separator: " "))
        }
        return step(.subscriptions, .ok, evidence: evidence)
    }
}
