import ChorusAPI
import ChorusLedger
import ChorusTestSupport
import Foundation
import Testing

/// The recipient of each file exists in this environment and its requirements are met, before anything
/// is reserved (the simulator's seeded recipients: none, service, engagement, unknown).
@Suite struct RecipientCheckTests {
    func candidate(_ file: String) throws -> DepositCandidate {
        let url = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/\(file)")
        return try DepositCandidate(data: try Data(contentsOf: url), name: file)
    }

    @Test func recipientsAreLookedUpAndTheirRequirementsChecked() async throws {
        let h = try await LedgerHarness()
        let directory = RecipientDirectory(client: h.client)
        let none = try await directory.requirements(siret: "12345678200051")
        #expect(none.map { !$0.service && !$0.engagement && !$0.serviceOrEngagement } == true)
        #expect(try candidate("ubl-invoice.xml").recipientProblem(none) == nil)

        let service = try await directory.requirements(siret: "12345678200028")
        #expect(service?.service == true)
        #expect(
            try candidate("rejected-missing-service.xml").recipientProblem(service)
                == "'rejected-missing-service.xml': the recipient 12345678200028 requires a service code "
                + "(rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerReference)"
        )
        #expect(try candidate("facturx-invoice.pdf").recipientProblem(service) == nil)

        let engagement = try await directory.requirements(siret: "12345678200036")
        #expect(engagement?.engagement == true)
        #expect(
            try candidate("ubl-invoice.xml").recipientProblem(engagement)
                == "'ubl-invoice.xml': the recipient 12345678200051 requires an engagement juridique number (Invoice/cac:OrderReference/cbc:ID)"
        )

        let unknown = try await directory.requirements(siret: "99999999999999")
        #expect(unknown == nil)
        let file = try candidate("rejected-unknown-recipient.xml")
        #expect(
            file.recipientProblem(try await directory.requirements(siret: file.recipientSiret))
                == "'rejected-unknown-recipient.xml': the recipient \(file.recipientSiret) is not known in this environment "
                + "(Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID)")
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
        let directory = RecipientDirectory(client: h.client)
        // The State recipient takes a service code or an engagement juridique.
        let either = try ubl(to: "11000201100044")
        #expect(
            try await directory.problem(for: either)
                == "'f.xml': the recipient 11000201100044 requires a service code (Invoice/cbc:BuyerReference) "
                + "or an engagement juridique number (Invoice/cac:OrderReference/cbc:ID)")
        #expect(try await directory.problem(for: try ubl(to: "11000201100044", engagement: "EJ-1")) == nil)
        #expect(try await directory.problem(for: try ubl(to: "11000201100044", service: "SFACETAT")) == nil)
        // This one requires both.
        #expect(
            try await directory.problem(for: try ubl(to: "12345678200044"))
                == "'f.xml': the recipient 12345678200044 requires a service code (Invoice/cbc:BuyerReference)")
        #expect(
            try await directory.problem(for: try ubl(to: "12345678200044", service: "SERVICE_DEST_SERV_EJ"))
                == "'f.xml': the recipient 12345678200044 requires an engagement juridique number (Invoice/cac:OrderReference/cbc:ID)")
        #expect(
            try await directory.problem(for: try ubl(to: "12345678200044", service: "S", engagement: "EJ-2")) == nil)
    }
}
