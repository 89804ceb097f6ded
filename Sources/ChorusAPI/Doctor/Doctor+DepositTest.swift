import Foundation
import JSONValue

extension Doctor {
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
        let sample: FluxDeposit
        do throws(FluxDeposit.Refusal) {
            sample = try FluxDeposit(bytes: Array(invoice.utf8), name: "\(number).xml", syntax: "IN_DP_E1_UBL_INVOICE")
        } catch {
            return step(.depositTest, .failed, cause: "the sample invoice could not be prepared: \(error)", code: .config)
        }
        do throws(ChorusError) {
            let deposit = try await client.deposit(sample)
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
                case Vocabulary.FlowState.integrated:
                    return step(.depositTest, .ok, evidence: evidence)
                case _ where Vocabulary.FlowState.final.contains(state):
                    let errors = (report["listeErreurDP"]?.arrayValue ?? []).compactMap { $0["libelleErreurDP"]?.stringValue }
                        + (report["listeErreurTechnique"]?.arrayValue ?? []).compactMap { $0["libelleErreur"]?.stringValue }
                    evidence["errors"] = errors.joined(separator: " | ")
                    return step(.depositTest, .failed, evidence: evidence, cause: "the sample invoice ended \(state)",
                                remediation: "Read the errors: they name the recipient or field Chorus Pro refused (use --recipient with a structure without parameters).",
                                code: .business)
                default:
                    if Date().timeIntervalSince(started) > options.depositTimeout {
                        return step(.depositTest, .warning, evidence: evidence,
                                    cause: "the flux is still \(state) after \(String(format: "%g", options.depositTimeout)) s; qualification can be slow")
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
              <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
                <cac:PayeeFinancialAccount><cbc:ID>FR7630001007941234567890185</cbc:ID></cac:PayeeFinancialAccount>
              </cac:PaymentMeans>
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
