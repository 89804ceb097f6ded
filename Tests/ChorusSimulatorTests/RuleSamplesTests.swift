import ChorusAPI
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Logging
import Testing

/// One rule set for both sides (docs/check.md): for every broken sample, `chorus check`'s checker finds its
/// rule (the live rules through the simulator's directory), the simulator rejects the deposit with that rule's
/// message, and the explainer maps the simulator's message back to the rule. Warnings are found but never
/// rejected; the platform's own rules are rejected but not found.
@Suite("Rule samples against the simulator", .serialized)
struct RuleSamplesTests {
    static let broken = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/invoices/broken").standardized

    /// A simulator with the samples' scenario, flux processed at once, and room for the 14 Mo sample.
    static func simulator() async throws -> (ChorusClient, InProcessSimulatorLauncher) {
        let file = try JSONValue.parse([UInt8](try Data(contentsOf: broken.appendingPathComponent("scenario.json"))))
        let (launcher, client, _) = try await SimulatedSupplier.start(
            scenario: try #require(file.objectValue), settings: ["max_flux_bytes": .integer(20 * 1024 * 1024)],
            retry: .none)
        return (client, launcher)
    }

    /// Deposits `bytes` and returns the simulator's rejection lines: the refusal of the request itself, or
    /// the rejection lines of the flow report once final (empty when integrated).
    static func rejection(_ client: ChorusClient, _ bytes: [UInt8], name: String) async throws -> [String] {
        let syntax = InvoiceDocument.detect(bytes)?.syntaxeFlux ?? "IN_DP_E1_UBL_INVOICE"
        let answer: JSONValue
        do {
            answer = try await client.call(
                "factures.deposerFluxFacture",
                payload: [
                    "fichierFlux": .string(Data(bytes).base64EncodedString()), "nomFichier": .string(name),
                    "syntaxeFlux": .string(syntax), "avecSignature": false,
                ])
        } catch {
            return [error.libelle ?? error.message]
        }
        let flux = try #require(answer["numeroFluxDepot"]?.stringValue)
        for _ in 0..<50 {
            let report = try await client.call("transverses.consulterCRDetaille", payload: ["numeroFluxDepot": .string(flux)])
            let state = report["etatCourantDepotFlux"]?.stringValue ?? ""
            if Vocabulary.FlowState.final.contains(state) {
                return RejectionExplainer.explain(report: report).map(\.line)
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        Issue.record("\(name): the flux never became final")
        return []
    }

    static func samples() throws -> [(rule: String, name: String, bytes: [UInt8])] {
        var list = try FileManager.default.contentsOfDirectory(atPath: broken.path).sorted()
            .filter { !$0.hasSuffix(".json") }
            .map { name in
                (String(name.prefix { $0 != "." }), name, [UInt8](try Data(contentsOf: broken.appendingPathComponent(name))))
            }
        // The samples too large to commit.
        let invoice = try String(contentsOf: broken.appendingPathComponent("../ubl-invoice.xml").standardized, encoding: .utf8)
        let padded = invoice.replacingOccurrences(
            of: "<cbc:IssueDate>", with: "<cbc:Note>" + String(repeating: "x", count: 10 * 1024 * 1024) + "</cbc:Note><cbc:IssueDate>")
        list.append(("file-too-large", "file-too-large.xml", Array(padded.replacingOccurrences(of: "FA-UBL-2026-0001", with: "FA-BRK-0090").utf8)))
        let attached = invoice.replacingOccurrences(
            of: "\n  <cac:AccountingSupplierParty>",
            with: "\n  <cac:AdditionalDocumentReference><cbc:ID>PJ</cbc:ID><cac:Attachment>"
                + "<cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\" filename=\"plan.pdf\">"
                + String(repeating: "A", count: 14 * 1024 * 1024)
                + "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
                + "\n  <cac:AccountingSupplierParty>")
        list.append(("attachment-too-large", "attachment-too-large.xml", Array(attached.replacingOccurrences(of: "FA-UBL-2026-0001", with: "FA-BRK-0091").utf8)))
        return list
    }

    @Test func everySampleIsFoundRejectedAndExplainedWithItsRule() async throws {
        let (client, launcher) = try await Self.simulator()
        let lookup = LiveRecipientLookup(client: client)
        let today = ChorusDate.day(Date())
        var covered: Set<String> = []
        for sample in try Self.samples() {
            let rule = try #require(CheckRules.rule(sample.rule), "\(sample.name)")
            let findings = try await InvoiceChecker.check(sample.bytes, name: sample.name, today: today, lookup: lookup)
            let found = findings.contains { $0.rule == rule.id && $0.severity == rule.severity }
            #expect(found == (rule.scope != .platform), "check on \(sample.name): \(findings.map(\.rule))")

            if rule.id == "invoice-duplicate" { _ = try await Self.rejection(client, sample.bytes, name: sample.name) }
            let lines = try await Self.rejection(client, sample.bytes, name: sample.name)
            let explained = lines.map { RejectionExplainer.explain($0).compactMap(\.rule) }
            let rejectedByRule = explained.contains { $0.contains(rule.id) }
            if rule.severity == .error {
                #expect(rejectedByRule, "simulator on \(sample.name): \(lines)")
                // Every line the simulator wrote is one chorus explains.
                #expect(!explained.contains { $0.isEmpty }, "unexplained: \(lines)")
                // What check found as errors is what the simulator rejected (platform rules aside).
                let checkErrors = Set(findings.filter { $0.severity == .error }.map(\.rule))
                let simulatorRules = Set(explained.flatMap { $0 })
                #expect(checkErrors.isSubset(of: simulatorRules), "\(sample.name): check \(checkErrors) vs simulator \(simulatorRules)")
            } else {
                #expect(!rejectedByRule, "a warning never rejects: \(sample.name) \(lines)")
            }
            covered.insert(rule.id)
        }
        let missing = Set(CheckRules.all.map(\.id)).subtracting(covered)
        #expect(missing == ["syntax-mismatch", "attachments-total-too-large"], "rules with no end-to-end sample: \(missing)")
        _ = await launcher.store  // the simulator lives until here
    }

    @Test func thePassingExamplesAreIntegrated() async throws {
        let (client, launcher) = try await Self.simulator()
        let lookup = LiveRecipientLookup(client: client)
        let folder = Self.broken.deletingLastPathComponent()
        for name in ["ubl-invoice.xml", "ubl-credit-note.xml", "cii-invoice.xml", "facturx-invoice.pdf", "facturx-uncompressed.pdf"] {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            let findings = try await InvoiceChecker.check(bytes, name: name, today: ChorusDate.day(Date()), lookup: lookup)
            #expect(findings == [], "\(name)")
            #expect(try await Self.rejection(client, bytes, name: name) == [], "\(name)")
        }
        _ = await launcher.store
    }
}
