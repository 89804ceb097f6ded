/// The rule set: every rule Chorus Pro applies to a deposited invoice that chorus knows of, as data
/// (docs/check.md lists them with their sources). Adding a rule is one entry in one of the group files
/// (`CheckRules+File`, `+Document`, `+Parties`, `+Recipient`, `+Attachments`) plus one broken sample in
/// `examples/invoices/broken/` named after its id (docs/architecture.md).
public enum CheckRules {
    /// Every rule, in the order they run (and the order their findings are listed).
    public static let all: [CheckRule] = file + document + parties + recipient + attachments + platform

    /// The rule with this id.
    public static func rule(_ id: String) -> CheckRule? { byId[id] }

    private static let byId: [String: CheckRule] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    /// Where the fields the rules read live in each syntax (from the root; CII paths also serve the XML
    /// of a Factur-X PDF).
    enum Path {
        static let agreement = "SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement"
        static let settlement = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement"
        static let summation = settlement + "/SpecifiedTradeSettlementHeaderMonetarySummation"

        static let number: XMLPaths = ("ID", "ExchangedDocument/ID")
        static let issueDate: XMLPaths = ("IssueDate", "ExchangedDocument/IssueDateTime/DateTimeString")
        static let currency: XMLPaths = ("DocumentCurrencyCode", settlement + "/InvoiceCurrencyCode")
        static let cadre: XMLPaths = (
            "ProfileID", "ExchangedDocumentContext/BusinessProcessSpecifiedDocumentContextParameter/ID"
        )
        static let supplier: XMLPaths = (
            "AccountingSupplierParty/Party/PartyIdentification/ID",
            agreement + "/SellerTradeParty/SpecifiedLegalOrganization/ID"
        )
        static let recipient: XMLPaths = (
            "AccountingCustomerParty/Party/PartyIdentification/ID",
            agreement + "/BuyerTradeParty/SpecifiedLegalOrganization/ID"
        )
        static let service: XMLPaths = ("BuyerReference", agreement + "/BuyerReference")
        static let engagement: XMLPaths = (
            "OrderReference/ID", agreement + "/BuyerOrderReferencedDocument/IssuerAssignedID"
        )
        static let paymentMeans: XMLPaths = (
            "PaymentMeans/PaymentMeansCode", settlement + "/SpecifiedTradeSettlementPaymentMeans/TypeCode"
        )
        static let iban: XMLPaths = (
            "PaymentMeans/PayeeFinancialAccount/ID",
            settlement + "/SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount/IBANID"
        )
        static let totalHT: XMLPaths = ("LegalMonetaryTotal/TaxExclusiveAmount", summation + "/TaxBasisTotalAmount")
        static let totalTVA: XMLPaths = ("TaxTotal/TaxAmount", summation + "/TaxTotalAmount")
        static let totalTTC: XMLPaths = ("LegalMonetaryTotal/TaxInclusiveAmount", summation + "/GrandTotalAmount")
        static let attachment: XMLPaths = (
            "AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject",
            agreement + "/AdditionalReferencedDocument/AttachmentBinaryObject"
        )
    }

    /// The shared wording of the platform for a missing element (OCA/l10n-france#414, #612).
    static let mandatory = "L'element FichierXml.{tag}.value est obligatoire."
}
