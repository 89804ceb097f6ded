import ChorusAPI
import ChorusLedger
import ChorusTestSupport
import Foundation
import Testing

/// The ledger's pre-deposit check runs the rule set (docs/check.md) with the live lookups, before anything
/// is reserved: the recipient of each file exists in this environment and its requirements are met (the
/// simulator's seeded recipients: none, service, engagement, unknown), and the content rules pass.
@Suite struct RecipientCheckTests {
    /// The end of a refusal: the rule's fix.
    func fix(_ rule: String) -> String { " Fix: " + (CheckRules.rule(rule)?.fix ?? "?") }

    func candidate(_ file: String) throws -> DepositCandidate {
        let url = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/\(file)")
        return try DepositCandidate(data: try Data(contentsOf: url), name: (file as NSString).lastPathComponent)
    }

    @Test func recipientsAreLookedUpAndTheirRequirementsCheckedByTheRules() async throws {
        let h = try await LedgerHarness()
        #expect(try await h.ledger.check(candidate("ubl-invoice.xml")) == nil)
        #expect(try await h.ledger.check(candidate("facturx-invoice.pdf")) == nil)
        let service = try await h.ledger.check(candidate("rejected-missing-service.xml"))
        #expect(
            service
                == "'rejected-missing-service.xml' line 19: [service-required] Le code service est obligatoire pour le "
                + "destinataire 12345678200028 (balise : SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement."
                + "BuyerReference.value)." + fix("service-required"))
        let engagement = try await h.ledger.check(candidate("broken/engagement-required.xml"))
        #expect(
            engagement
                == "'engagement-required.xml' line 2: [engagement-required] Le numero d'engagement est obligatoire pour "
                + "le destinataire 12345678200036 (balise : OrderReference.ID.value)." + fix("engagement-required"))
        let unknown = try await h.ledger.check(candidate("rejected-unknown-recipient.xml"))
        #expect(
            unknown
                == "'rejected-unknown-recipient.xml' line 16: [recipient-unknown] L'identifiant destinataire de la "
                + "demande de paiement (balise : AccountingCustomerParty.Party.PartyIdentification.ID.value) n'est pas "
                + "reference dans notre systeme." + fix("recipient-unknown"))
    }

    @Test func withoutTheContentRulesOnlyTheRecipientsRequirementsAreChecked() async throws {
        let h = try await LedgerHarness()
        let broken = try candidate("broken/payment-means-missing.xml")
        let payment = try await h.ledger.check(broken)
        #expect(payment?.hasPrefix("'payment-means-missing.xml' line 30: [payment-means-missing] ") == true, "\(payment ?? "")")
        #expect(try await h.ledger.check(broken, allRules: false) == nil)
        let service = try candidate("rejected-missing-service.xml")
        #expect(try await h.ledger.check(service, allRules: false) == (try await h.ledger.check(service)))
    }

    /// The example UBL invoice to `recipient`, with a service code and an engagement when given.
    func ubl(to recipient: String, service: String? = nil, engagement: String? = nil) throws -> DepositCandidate {
        var text = try String(decoding: try Data(contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent(
            "examples/invoices/ubl-invoice.xml")), as: UTF8.self)
        text = text.replacingOccurrences(of: ">12345678200051<", with: ">\(recipient)<")
        var extra = service.map { "<cbc:BuyerReference>\($0)</cbc:BuyerReference>" } ?? ""
        extra += engagement.map { "<cac:OrderReference><cbc:ID>\($0)</cbc:ID></cac:OrderReference>" } ?? ""
        text = text.replacingOccurrences(of: "</cbc:IssueDate>", with: "</cbc:IssueDate>" + extra)
        return try DepositCandidate(data: Data(text.utf8), name: "f.xml")
    }

    @Test func aRecipientRequiringBothOrEitherNamesWhatIsMissing() async throws {
        let h = try await LedgerHarness()
        func rule(_ candidate: DepositCandidate) async throws -> String? {
            guard let refusal = try await h.ledger.check(candidate) else { return nil }
            return refusal.split(separator: "[").dropFirst().first.map { String($0.prefix { $0 != "]" }) } ?? refusal
        }
        // The State recipient takes a service code or an engagement juridique.
        #expect(try await rule(try ubl(to: "11000201100044")) == "service-or-engagement-required")
        #expect(try await rule(try ubl(to: "11000201100044", service: "SFACETAT")) == nil)
        // This one requires both.
        #expect(try await rule(try ubl(to: "12345678200044")) == "service-required")
        #expect(try await rule(try ubl(to: "12345678200044", service: "SERVICE_DEST_SERV_EJ")) == "engagement-required")
        #expect(try await rule(try ubl(to: "12345678200044", service: "SERVICE_DEST_SERV_EJ", engagement: "EJ-2")) == nil)
    }
}
