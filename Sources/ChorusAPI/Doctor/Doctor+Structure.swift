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

    // MARK: 9. deposit test

    func checkDeposit(_ client: ChorusClient, siret: String?, environment: EnvironmentName) async -> DoctorStep {
        guard environment == .sim || environment == .sandbox else {
            return step(.depositTest, .skipped, cause: "the deposit test runs only in sandbox (qualification) and sim, never in \(environment.rawValue)")
        }
        guard let supplier = siret else { return step(.depositTest, .skipped, cause: "no SIRET in the profile (the supplier of the sample invoice)") }
        guard let recipient = options.recipient ?? (environment == .sim ? "12345678200051" : nil) else {
            return step(.depositTest, .failed, cause: "the deposit test needs a recipient SIRET of your matelas de données",
                        remediation: "Run again with --recipient <SIRET of a public structure of your qualification dataset without parameters>.", code: .config)
        }
        let number = "DOCTOR-\(Int(now().timeIntervalSince1970))"
        let invoice = SampleInvoice.ubl(number: number, supplier: supplier, recipient: recipient, date: now())
        do throws(ChorusError) {
            let deposit = try await client.call("factures.deposerFluxFacture", payload: [
                "fichierFlux": .string(Data(invoice.utf8).base64EncodedString()), "nomFichier": .string("\(number).xml"),
                "syntaxeFlux": "IN_DP_E1_UBL_INVOICE", "avecSignature": false,
            ])
            guard let flux = deposit["numeroFluxDepot"]?.stringValue else {
                return step(.depositTest, .failed, cause: "the deposit answer has no numeroFluxDepot", code: .server)
            }
            let started = Date()
            var interval = 1.0
            while true {
                let report = try await client.call("transverses.consulterCRDetaille", payload: ["numeroFluxDepot": .string(flux)])
                let state = report["etatCourantDepotFlux"]?.stringValue ?? "?"
                var evidence = ["numeroFluxDepot": flux, "state": state, "recipient": recipient]
                switch state {
                case "IN_INTEGRE":
                    return step(.depositTest, .ok, evidence: evidence)
                case "IN_REJETE", "IN_INTEGRE_PARTIEL", "IN_INCIDENTE":
                    let errors = (report["listeErreurDP"]?.arrayValue ?? []).compactMap { $0["libelleErreurDP"]?.stringValue }
                        + (report["listeErreurTechnique"]?.arrayValue ?? []).compactMap { $0["libelleErreur"]?.stringValue }
                    evidence["errors"] = errors.joined(separator: " | ")
                    return step(.depositTest, .failed, evidence: evidence, cause: "the sample invoice ended \(state)",
                                remediation: "Read the errors: they name the recipient or field Chorus Pro refused (use --recipient with a structure without parameters).",
                                code: .business)
                default:
                    if Date().timeIntervalSince(started) > options.depositTimeout {
                        return step(.depositTest, .warning, evidence: evidence,
                                    cause: "the flux is still \(state) after \(Int(options.depositTimeout)) s; qualification can be slow")
                    }
                    try? await Task.sleep(for: .seconds(interval))
                    interval = min(interval * 1.5, 10)
                }
            }
        } catch {
            return failed(.depositTest, error)
        }
    }
}

/// A minimal UBL invoice built on the fly for the deposit test (our own template).
enum SampleInvoice {
    static func ubl(number: String, supplier: String, recipient: String, date: Date) -> String {
        let day = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
              xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
              xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
              <cbc:ID>\(number)</cbc:ID>
              <cbc:IssueDate>\(day)</cbc:IssueDate>
              <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
              <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
              <cac:AccountingSupplierParty><cac:Party>
                <cac:PartyIdentification><cbc:ID schemeID="0009">\(supplier)</cbc:ID></cac:PartyIdentification>
                <cac:PartyLegalEntity><cbc:RegistrationName>CHORUS DOCTOR TEST</cbc:RegistrationName></cac:PartyLegalEntity>
              </cac:Party></cac:AccountingSupplierParty>
              <cac:AccountingCustomerParty><cac:Party>
                <cac:PartyIdentification><cbc:ID schemeID="0009">\(recipient)</cbc:ID></cac:PartyIdentification>
                <cac:PartyLegalEntity><cbc:RegistrationName>DESTINATAIRE</cbc:RegistrationName></cac:PartyLegalEntity>
              </cac:Party></cac:AccountingCustomerParty>
              <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>
              <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">2.00</cbc:TaxAmount></cac:TaxTotal>
              <cac:LegalMonetaryTotal>
                <cbc:TaxExclusiveAmount currencyID="EUR">10.00</cbc:TaxExclusiveAmount>
                <cbc:TaxInclusiveAmount currencyID="EUR">12.00</cbc:TaxInclusiveAmount>
                <cbc:PayableAmount currencyID="EUR">12.00</cbc:PayableAmount>
              </cac:LegalMonetaryTotal>
              <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
                <cbc:LineExtensionAmount currencyID="EUR">10.00</cbc:LineExtensionAmount>
                <cac:Item><cbc:Name>chorus doctor deposit test</cbc:Name></cac:Item>
                <cac:Price><cbc:PriceAmount currencyID="EUR">10.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
            </Invoice>

            """
    }
}
