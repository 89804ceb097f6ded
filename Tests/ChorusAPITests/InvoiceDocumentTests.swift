import ChorusAPI
import Foundation
import Testing

@Suite("Invoice documents")
struct InvoiceDocumentTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/invoices").standardized

    static func sample(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    @Test func ublInvoiceIsRecognisedWithItsFields() throws {
        let document = try #require(InvoiceDocument.detect(Self.sample("ubl-invoice.xml")))
        #expect(
            document
                == InvoiceDocument(
                    format: .ubl, kind: .invoice, invoiceNumber: "FA-UBL-2026-0001", issueDate: "2026-11-02",
                    supplierSiret: "98765432100015", recipientSiret: "12345678200051", currency: "EUR",
                    totalHT: 1000, totalTVA: 200, totalTTC: 1200, amountDue: 1200, hasPaymentMeansCode: true))
        #expect(document.syntaxeFlux == "IN_DP_E1_UBL_INVOICE")
    }

    @Test func ublCreditNoteIsAnAvoir() throws {
        let document = try #require(InvoiceDocument.detect(Self.sample("ubl-credit-note.xml")))
        #expect(document.kind == .creditNote)
        #expect(document.kind.rawValue == "AVOIR")
        #expect(document.totalTTC == 120)
    }

    @Test func ciiInvoiceIsRecognisedWithServiceAndDate() throws {
        let document = try #require(InvoiceDocument.detect(Self.sample("cii-invoice.xml")))
        #expect(document.format == .cii)
        #expect(document.syntaxeFlux == "IN_DP_E1_CII_16B")
        #expect(document.invoiceNumber == "FA-CII-2026-0001")
        #expect(document.issueDate == "2026-11-03")
        #expect(document.supplierSiret == "98765432100015")
        #expect(document.recipientSiret == "12345678200028")
        #expect(document.serviceCode == "SERVICE_DEST_SERV_OBL")
        #expect(document.engagementNumber == nil)
        #expect(document.totalHT == 2500)
        #expect(document.totalTVA == 500)
        #expect(document.totalTTC == 3000)
        #expect(document.hasPaymentMeansCode)
    }

    @Test func facturXWithFlateDecodeIsRecognised() throws {
        let document = try #require(InvoiceDocument.detect(Self.sample("facturx-invoice.pdf")))
        #expect(document.format == .facturX)
        #expect(document.syntaxeFlux == "IN_DP_E2_CII_FACTURX")
        #expect(document.invoiceNumber == "FA-FX-2026-0001")
        #expect(document.recipientSiret == "12345678200044")
        #expect(document.serviceCode == "SERVICE_DEST_SERV_EJ")
        #expect(document.engagementNumber == "EJ0000000044")
        #expect(document.totalTTC == 1500)
    }

    @Test func facturXWithUncompressedStreamIsRecognised() throws {
        let document = try #require(InvoiceDocument.detect(Self.sample("facturx-uncompressed.pdf")))
        #expect(document.format == .facturX)
        #expect(document.engagementNumber == "147853")
        #expect(document.recipientSiret == "12345678200036")
    }

    @Test func facturXWithoutTheOptionalEmbeddedFileTypeIsRecognised() throws {
        // Blank out "/Type /EmbeddedFile" in place, so the xref offsets stay right.
        var text = String(decoding: try Self.sample("facturx-uncompressed.pdf"), as: UTF8.self)
        text = text.replacingOccurrences(of: "/Type /EmbeddedFile ", with: String(repeating: " ", count: 20))
        #expect(!text.contains("/EmbeddedFile "))
        let document = try #require(InvoiceDocument.detect(Array(text.utf8)))
        #expect(document.format == .facturX)
        #expect(document.invoiceNumber == "FA-FX-2026-0002")
    }

    @Test func entitiesCDATAAndCommentsAreRead() {
        let xml = """
            \u{FEFF}<?xml version="1.0"?><!-- note --><Invoice xmlns:cbc="x"><cbc:ID>A&amp;B&#x2D;1</cbc:ID>\
            <cbc:IssueDate><![CDATA[2026-01-05]]></cbc:IssueDate><cbc:BuyerReference/></Invoice>
            """
        let document = InvoiceDocument.detect(Array(xml.utf8))
        #expect(document?.invoiceNumber == "A&B-1")
        #expect(document?.issueDate == "2026-01-05")
        #expect(document?.serviceCode == nil)
    }

    @Test(arguments: [
        "", "not xml at all", "<Invoice><ID>1</ID>", "<Order><ID>1</ID></Order>", "<Invoice></Other>",
        "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF", "<a/><b/>",
    ])
    func otherContentIsNotAnInvoice(_ text: String) {
        #expect(InvoiceDocument.detect(Array(text.utf8)) == nil)
    }

    @Test func corruptFlateStreamIsNotAnInvoice() throws {
        var pdf = try Self.sample("facturx-invoice.pdf")
        let marker = Array("/FlateDecode".utf8)
        // Damage the first bytes of the compressed stream that follows the FlateDecode dictionary.
        var index = 0
        while index + marker.count < pdf.count, !pdf[index..<index + marker.count].elementsEqual(marker) { index += 1 }
        while index + 7 < pdf.count, !pdf[index..<index + 7].elementsEqual("stream\n".utf8) { index += 1 }
        for offset in 7..<27 { pdf[index + offset] = 0xFF }
        #expect(InvoiceDocument.detect(pdf) == nil)
    }

    @Test func zipLotIsReadAndHasItsSyntax() throws {
        let bytes = try Self.sample("lot-ubl.zip")
        let entries = try #require(InvoiceArchive.entries(in: bytes))
        #expect(entries.map(\.name) == ["FA-UBL-2026-0011.xml", "FA-UBL-2026-0012.xml"])
        #expect(InvoiceDocument.detect(entries[1].bytes)?.serviceCode == "SFACETAT")
        #expect(InvoiceDocument.detect(bytes) == nil)
        #expect(InvoiceDocument.syntaxeFlux(of: bytes) == "IN_DP_E1_UBL_INVOICE")
    }

    @Test func tarGzLotIsRead() throws {
        let entries = try #require(InvoiceArchive.entries(in: Self.sample("lot-partial.tar.gz")))
        #expect(
            entries.map { InvoiceDocument.detect($0.bytes)?.invoiceNumber } == ["FA-UBL-2026-0021", "FA-UBL-2026-0022"])
    }

    @Test func otherBytesAreNotArchives() throws {
        #expect(InvoiceArchive.entries(in: Array("PK\u{3}\u{4}truncated".utf8)) == nil)
        #expect(InvoiceArchive.entries(in: [0x1F, 0x8B, 0, 1, 2]) == nil)
        #expect(InvoiceArchive.entries(in: try Self.sample("ubl-invoice.xml")) == nil)
        #expect(InvoiceDocument.syntaxeFlux(of: Array("plain text".utf8)) == nil)
    }
}
