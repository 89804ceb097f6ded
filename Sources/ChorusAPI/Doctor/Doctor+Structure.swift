import Foundation
import JSONValue

extension Doctor {
    // MARK: 6. structure

    func checkStructure(_ client: ChorusClient, siret: String?, environment: EnvironmentName) async -> (DoctorStep, Int64?) {
        guard let siret else {
            return (step(.structure, .warning, cause: "no SIRET in the profile, so the structure, the rattachement and the password expiry cannot be checked",
                         remediation: "Add siret = \"<your 14-digit SIRET>\" to the profile (or CHORUS_SIRET)."), nil)
        }
        let payload: JSONValue = [
            "structure": ["identifiantStructure": .string(siret), "typeIdentifiantStructure": "SIRET"],
            "restreindreStructuresPrivees": false, "parametres": ["pageResultatDemandee": 1, "nbResultatsParPage": 10],
        ]
        do throws(ChorusError) {
            let answer = try await client.call("structures.rechercherStructure", payload: payload)
            if let first = answer["listeStructures"]?.arrayValue?.first, let id = first["idStructureCPP"]?.integerValue {
                var evidence = ["siret": siret, "idStructureCPP": String(id)]
                if let name = first["designationStructure"]?.stringValue { evidence["designation"] = name }
                return (step(.structure, .ok, evidence: evidence), id)
            }
            return (unknownStructure(siret, environment), nil)
        } catch {
            if error.isNoResult || error.code == .structure { return (unknownStructure(siret, environment), nil) }
            return (failed(.structure, error), nil)
        }
    }

    private func unknownStructure(_ siret: String, _ environment: EnvironmentName) -> DoctorStep {
        let other = environment == .prod ? "qualification (sandbox)" : "production"
        return step(.structure, .failed, evidence: ["siret": siret, "environment": environment.rawValue],
                    cause: "SIRET \(siret) is not known in \(environment.rawValue): it may be a \(other) SIRET, or mistyped",
                    remediation: Remediation.structureUnknown, code: .structure)
    }

    // MARK: 7. rattachement

    func checkRattachement(_ client: ChorusClient, siret: String?) async -> DoctorStep {
        guard let siret else { return step(.rattachement, .skipped, cause: "no SIRET in the profile") }
        do throws(ChorusError) {
            let answer = try await client.call(
                "utilisateurs.recupererRattachementsMonCompte",
                payload: ["parametresRecherche": ["pageResultatDemandee": 1, "nbResultatsParPage": 100]])
            let attached = (answer["listeStructureRattachement"]?.arrayValue ?? []).compactMap { $0["identifiantStructure"]?.stringValue }
            let evidence = ["siret": siret, "attached_to": attached.isEmpty ? "(none)" : attached.joined(separator: ", ")]
            if attached.contains(siret) { return step(.rattachement, .ok, evidence: evidence) }
            return step(.rattachement, .failed, evidence: evidence,
                        cause: "the technical account is not attached (rattaché) to \(siret)",
                        remediation: "On Chorus Pro, as gestionnaire of \(siret): « Raccordements » → « Gérer raccordement API » → « Déclarer un raccordement PISTE » for this application, and create or attach the technical account to this structure (« Compte technique »).",
                        code: .authAccount)
        } catch {
            if error.isNoResult {
                return step(.rattachement, .failed, evidence: ["siret": siret, "attached_to": "(none)"],
                            cause: "the technical account is attached to no structure",
                            remediation: "On Chorus Pro: « Raccordements » → « Gérer raccordement API » → « Déclarer un raccordement PISTE », then attach the technical account to \(siret).",
                            code: .authAccount)
            }
            return failed(.rattachement, error)
        }
    }

    // MARK: 8. password expiry

    func checkPasswordExpiry(_ client: ChorusClient, structureID: Int64?) async -> DoctorStep {
        guard let structureID else { return step(.passwordExpiry, .skipped, cause: "no structure to read the expiry from") }
        do throws(ChorusError) {
            let answer = try await client.call(
                "structures.consulterStructureAvecTVAIntraCom", payload: ["idStructureCPP": .integer(structureID), "codeLangue": "FR"])
            guard let text = answer["informationGenerales"]?["dateExpirationMotPasseCompteTech"]?.stringValue,
                let expiry = ChorusDate.parse(text)
            else {
                return step(.passwordExpiry, .ok, evidence: ["expiry": "not given by this environment"])
            }
            let days = Int(floor(expiry.timeIntervalSince(now()) / 86_400))
            let evidence = ["expires": text, "days_left": String(days)]
            let renew = "Ask the gestionnaire principal to reset the technical password on Chorus Pro (« Réinitialisation du mot de passe d'un compte technique »), then update tech_password in the profile."
            if days < 0 {
                return step(.passwordExpiry, .failed, evidence: evidence, cause: "the technical password expired \(-days) day(s) ago",
                            remediation: renew, code: .authAccount)
            }
            if days < options.passwordWarningDays {
                return step(.passwordExpiry, .warning, evidence: evidence, cause: "the technical password expires in \(days) day(s)", remediation: renew)
            }
            return step(.passwordExpiry, .ok, evidence: evidence)
        } catch {
            return step(.passwordExpiry, .warning, evidence: evidence(of: error), cause: "could not read the expiry: \(error.message)")
        }
    }
}
