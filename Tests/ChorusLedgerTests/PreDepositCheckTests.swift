import ChorusAPI
import ChorusLedger
import ChorusTestSupport
import Foundation
import Testing

/// Every pre-deposit check refuses with the file's name and what is wrong, before anything is reserved.
@Suite struct PreDepositCheckTests {
    func refusal(_ data: Data, name: String = "f.xml", syntax: String? = nil) -> String? {
        do {
            _ = try DepositCandidate(data: data, name: name, syntax: syntax)
            return nil
        } catch {
            return error.description
        }
    }

    func example(_ file: String) throws -> Data {
        try Data(contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/\(file)"))
    }

    @Test func aGoodInvoiceIsReadWithItsKeys() throws {
        let candidate = try DepositCandidate(data: try example("ubl-invoice.xml"), name: "ubl-invoice.xml")
        #expect(candidate.invoiceNumber == "FA-UBL-2026-0001")
        #expect(candidate.supplierSiret == "98765432100015")
        #expect(candidate.recipientSiret == "12345678200051")
        #expect(candidate.flux.syntax == "IN_DP_E1_UBL_INVOICE")
        #expect(candidate.contentHash.count == 64)
        let facturX = try DepositCandidate(data: try example("facturx-invoice.pdf"), name: "facturx-invoice.pdf")
        #expect(facturX.flux.syntax == "IN_DP_E2_CII_FACTURX")
    }

    @Test func emptyTooLargeAndBadNamesAreRefused() {
        #expect(refusal(Data()) == "'f.xml' is empty")
        #expect(
            refusal(Data(repeating: 0x20, count: 10 * 1024 * 1024 + 1))
                == "'f.xml' is 10485761 bytes; Chorus Pro refuses a flux over 10 Mo (GDP_MSG_11.022)")
        let long = String(repeating: "a", count: 201) + ".xml"
        #expect(
            refusal(Data("<x/>".utf8), name: long)?.hasSuffix("is 205 characters; the platform keeps at most 200")
                == true)
        #expect(
            refusal(Data("<x/>".utf8), name: "f.txt")
                == "'f.txt' has no extension the platform accepts for a flux (.xml, .pdf, .zip, .tar, .tar.gz, .tgz)")
    }

    @Test func contentThatIsNotAnInvoiceIsRefused() {
        #expect(
            refusal(Data("<Invoice><cbc:ID>1</Invoice>".utf8))
                == "'f.xml' is not a well-formed UBL Invoice/CreditNote or CII CrossIndustryInvoice XML document")
        #expect(
            refusal(Data("%PDF-1.4 plain".utf8), name: "f.pdf")
                == "'f.pdf' is a PDF without an embedded CII invoice (not Factur-X)")
        #expect(
            refusal(Data("hello".utf8)) == "'f.xml' is not an invoice chorus recognises (UBL or CII XML, Factur-X PDF)")
    }

    @Test func aSyntaxThatDisagreesWithTheContentIsRefused() throws {
        #expect(
            refusal(try example("ubl-invoice.xml"), syntax: "IN_DP_E1_CII_16B")
                == "'f.xml' is UBL (syntaxeFlux IN_DP_E1_UBL_INVOICE), not IN_DP_E1_CII_16B as given")
    }

    @Test func missingNumberAndSiretsNameTheirElement() throws {
        let text = try String(decoding: example("ubl-invoice.xml"), as: UTF8.self)
        let noNumber = text.replacingOccurrences(of: "<cbc:ID>FA-UBL-2026-0001</cbc:ID>", with: "")
        #expect(refusal(Data(noNumber.utf8)) == "'f.xml' has no invoice number (Invoice/cbc:ID)")
        let noSupplier = text.replacingOccurrences(
            of: #"<cac:PartyIdentification><cbc:ID schemeID="0009">98765432100015</cbc:ID></cac:PartyIdentification>"#,
            with: "")
        #expect(
            refusal(Data(noSupplier.utf8))
                == "'f.xml' has no supplier SIRET (Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID)"
        )
        let noRecipient = text.replacingOccurrences(
            of: #"<cac:PartyIdentification><cbc:ID schemeID="0009">12345678200051</cbc:ID></cac:PartyIdentification>"#,
            with: "")
        #expect(
            refusal(Data(noRecipient.utf8))
                == "'f.xml' has no recipient SIRET (Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID)"
        )
    }

    @Test func aLotIsRefusedForNow() throws {
        #expect(
            refusal(try example("lot-ubl.zip"), name: "lot.zip")?.hasPrefix("'lot.zip' is an archive (lot) of invoices")
                == true)
    }
}
