import ChorusAPI
import Foundation
import Testing

/// The rule set on the samples, without any directory: each broken sample is found by its rule, the
/// passing examples by none, and every message a rule writes is explained back as that rule.
@Suite("Check rules")
struct CheckRulesTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/invoices").standardized
    static let broken = examples.appendingPathComponent("broken")
    static let today = "2026-12-01"

    /// Rules without a committed sample, and why (docs/check.md says the same).
    static let unsampled: Set = [
        "file-too-large", "attachment-too-large", "attachments-total-too-large", "syntax-mismatch",
    ]

    /// The broken samples: the rule id is the file name up to its first dot.
    static func samples() throws -> [(rule: String, name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: broken.path).sorted()
            .filter { !$0.hasSuffix(".json") }
            .map { name in
                (String(name.prefix { $0 != "." }), name, [UInt8](try Data(contentsOf: broken.appendingPathComponent(name))))
            }
    }

    static func offline(_ bytes: [UInt8], _ name: String, syntax: String? = nil) -> [CheckFinding] {
        InvoiceChecker.run(InvoiceChecker.context(bytes, name: name, syntax: syntax, today: today))
    }

    @Test func everyRuleIsDataWithASourceAndASampleOrAReason() throws {
        let ids = CheckRules.all.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate rule ids")
        let sampled = Set(try Self.samples().map(\.rule))
        for rule in CheckRules.all {
            #expect(!rule.source.isEmpty && !rule.meaningFR.isEmpty && !rule.meaningEN.isEmpty && !rule.fix.isEmpty, "\(rule.id)")
            #expect(sampled.contains(rule.id) != Self.unsampled.contains(rule.id), "\(rule.id): a sample, or a reason for none")
        }
        #expect(sampled.subtracting(ids).isEmpty, "samples named after no rule: \(sampled.subtracting(ids))")
    }

    @Test func thePassingExamplesHaveNoError() throws {
        for name in ["ubl-invoice.xml", "ubl-credit-note.xml", "cii-invoice.xml", "facturx-invoice.pdf", "facturx-uncompressed.pdf"] {
            let bytes = [UInt8](try Data(contentsOf: Self.examples.appendingPathComponent(name)))
            #expect(Self.offline(bytes, name) == [], "\(name)")
        }
    }

    @Test func eachOfflineRuleFindsItsSample() throws {
        for sample in try Self.samples() {
            let rule = try #require(CheckRules.rule(sample.rule))
            guard rule.scope != .live, rule.scope != .platform else { continue }
            let findings = Self.offline(sample.bytes, sample.name)
            let mine = findings.filter { $0.rule == rule.id }
            #expect(mine.count == 1, "\(sample.name): \(findings.map(\.rule))")
            #expect(mine.first?.severity == rule.severity)
        }
    }

    @Test func findingsGiveTheElementAndItsLine() throws {
        let cii = [UInt8](try Data(contentsOf: Self.broken.appendingPathComponent("payment-means-missing.xml")))
        let finding = try #require(Self.offline(cii, "f.xml").first)
        #expect(finding.rule == "payment-means-missing")
        #expect(finding.path == "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementPaymentMeans/TypeCode")
        // The element is absent: the line is its closest parent's, ApplicableHeaderTradeSettlement.
        let lines = String(decoding: cii, as: UTF8.self).components(separatedBy: "\n")
        let settlement = try #require(lines.firstIndex { $0.contains("<ram:ApplicableHeaderTradeSettlement>") })
        #expect(finding.line == settlement + 1)
        #expect(
            finding.message
                == "L'element FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement."
                + "SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire.")

        let ubl = [UInt8](try Data(contentsOf: Self.broken.appendingPathComponent("supplier-siren-not-siret.xml")))
        let siren = try #require(Self.offline(ubl, "f.xml").first { $0.rule == "supplier-siren-not-siret" })
        #expect(siren.path == "AccountingSupplierParty/Party/PartyIdentification/ID")
        #expect(siren.line == 11)
        #expect(siren.message.contains("987654321"))
    }

    @Test func sizeAndSyntaxRulesWithoutCommittedSamples() throws {
        let invoice = [UInt8](try Data(contentsOf: Self.examples.appendingPathComponent("ubl-invoice.xml")))
        let cii = [UInt8](try Data(contentsOf: Self.examples.appendingPathComponent("cii-invoice.xml")))
        #expect(Self.offline(cii, "f.xml", syntax: "IN_DP_E1_UBL_INVOICE").map(\.rule) == ["syntax-mismatch"])
        #expect(Self.offline(cii, "f.xml", syntax: "IN_DP_E1_CII_16B") == [])
        // A file over 10 Mo whose bulk is one attachment: both the flux and the attachment are too large.
        let big = String(repeating: "A", count: 14 * 1024 * 1024)
        let text = String(decoding: invoice, as: UTF8.self).replacingOccurrences(
            of: "\n  <cac:AccountingSupplierParty>",
            with: "\n  <cac:AdditionalDocumentReference><cbc:ID>PJ</cbc:ID><cac:Attachment>"
                + "<cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\" filename=\"plan.pdf\">\(big)"
                + "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
                + "\n  <cac:AccountingSupplierParty>")
        #expect(Self.offline(Array(text.utf8), "big.xml").map(\.rule) == ["file-too-large", "attachment-too-large"])
    }

    @Test func everyRuleMessageIsExplainedAsItsRule() {
        for rule in CheckRules.all {
            for format in [InvoiceDocument.Format.ubl, .cii] {
                let values = ["value": "X1", "siret": "12345678200051", "name": "f.xml", "member": "nomFichier",
                              "max": "200", "extensions": "xml", "syntax": "IN_DP_E1_UBL_INVOICE", "ttc": "1",
                              "ht": "1", "tva": "1", "service": "S", "size": "1", "tag2": "OrderReference.ID"]
                let message = rule.render(values, format: format)
                let found = RejectionExplainer.explain(message).compactMap(\.rule)
                #expect(found.contains(rule.id), "\(rule.id) (\(format)): \(message) → \(found)")
            }
        }
    }

    @Test func explainReadsPlatformTextsAndCodes() {
        // The platform's text, as OCA/l10n-france#414 quotes it, and as the ledger shows a technical line.
        let verbatim = "L'element FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement."
            + "SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire."
        #expect(RejectionExplainer.explain(verbatim).map(\.rule) == ["payment-means-missing"])
        #expect(RejectionExplainer.explain(verbatim).first?.term == "BT-81")
        #expect(RejectionExplainer.explain("GDP_MSG_11.022").map(\.rule) == ["file-too-large"])
        #expect(
            RejectionExplainer.explain("L'identifiant fournisseur de la demande de paiement (balise : "
                + "AccountingSupplierParty.Party.PartyIdentification.ID.value) n'est pas référencé dans notre système.")
                .map(\.rule) == ["supplier-unknown"])
        // A mandatory element chorus has no rule for is still named.
        let other = RejectionExplainer.explain("L'element FichierXml.Foo.Bar.value est obligatoire.")
        #expect(other.map(\.rule) == [nil])
        #expect(other.first?.element == "Foo.Bar")
        #expect(RejectionExplainer.explain("POQ_MSG_01.003").first?.meaningEN.contains("flux not found") == true)
        #expect(RejectionExplainer.explain("something else entirely") == [])
        #expect(RejectionExplainer.explain("") == [])
        let lines = RejectionExplainer.explain(reportText: verbatim + "; ERR_XSD_001: IRRECEVABILITE: le fichier a.xml n'est pas un document XML bien forme.")
        #expect(lines.map { $0.explanations.map(\.rule) } == [["payment-means-missing"], ["xml-malformed"]])
    }

    @Test func explainingHostileTextEnds() {
        // Every template's literal parts, repeated: the worst case for lazy groups, within the length cap.
        let template = CheckRules.rule("totals-inconsistent")!.message
        let parts = template.components(separatedBy: CharacterSet(charactersIn: "{}"))
        let hostile = String(String(repeating: parts.joined(), count: 40).prefix(RejectionExplainer.maximumLength))
        _ = RejectionExplainer.explain(hostile)
        #expect(RejectionExplainer.explain(String(repeating: "a", count: RejectionExplainer.maximumLength + 1)) == [])
    }

    @Test func identifierChecks() throws {
        let ubl = [UInt8](try Data(contentsOf: Self.examples.appendingPathComponent("ubl-invoice.xml")))
        func with(_ old: String, _ new: String) -> [String] {
            let text = String(decoding: ubl, as: UTF8.self).replacingOccurrences(of: old, with: new)
            return Self.offline(Array(text.utf8), "f.xml").map(\.rule)
        }
        // La Poste's establishments use their own key (sum of digits multiple of 5).
        #expect(with("98765432100015", "35600000000001") == [])
        #expect(with("98765432100015", "DE123456789") == [])  // a foreign supplier's VAT number is its id
        #expect(with("98765432100015", "9876 5432 1000 15") == [])
        #expect(with("<cbc:IssueDate>2026-11-02", "<cbc:IssueDate>2024-02-29") == [])
        #expect(with("<cbc:IssueDate>2026-11-02", "<cbc:IssueDate>2026-13-01") == ["issue-date-invalid"])
        #expect(with("<cbc:ID>FA-UBL-2026-0001</cbc:ID>", "<cbc:ID>12345678901234567890</cbc:ID>") == [])
        #expect(with("</cbc:CustomizationID>", "</cbc:CustomizationID><cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>") == [])
        #expect(with("</cbc:CustomizationID>", "</cbc:CustomizationID><cbc:ProfileID>A9</cbc:ProfileID>") == [])
    }
}
