extension InvoiceDocument {
    /// Reads a CII D16B CrossIndustryInvoice (also the XML inside a Factur-X PDF).
    static func fromCII(_ root: XMLElementNode) -> InvoiceDocument {
        let transaction = root.child("SupplyChainTradeTransaction")
        let agreement = transaction?.child("ApplicableHeaderTradeAgreement")
        let settlement = transaction?.child("ApplicableHeaderTradeSettlement")
        let summation = settlement?.child("SpecifiedTradeSettlementHeaderMonetarySummation")
        let typeCode = root.text("ExchangedDocument", "TypeCode")
        return InvoiceDocument(
            format: .cii, kind: typeCode == "381" ? .creditNote : .invoice,
            invoiceNumber: root.text("ExchangedDocument", "ID"),
            issueDate: isoDate(root.text("ExchangedDocument", "IssueDateTime", "DateTimeString")),
            supplierSiret: partyIdentifier(agreement?.child("SellerTradeParty")),
            recipientSiret: partyIdentifier(agreement?.child("BuyerTradeParty")),
            serviceCode: agreement?.text("BuyerReference"),
            engagementNumber: agreement?.text("BuyerOrderReferencedDocument", "IssuerAssignedID"),
            currency: settlement?.text("InvoiceCurrencyCode"),
            totalHT: amount(summation?.text("TaxBasisTotalAmount")),
            totalTVA: amount(summation?.text("TaxTotalAmount")),
            totalTTC: amount(summation?.text("GrandTotalAmount")),
            amountDue: amount(summation?.text("DuePayableAmount")),
            hasPaymentMeansCode: settlement?.text("SpecifiedTradeSettlementPaymentMeans", "TypeCode") != nil)
    }

    /// The legal organisation id (where Chorus Pro reads the SIRET, scheme 0009), else the party id or
    /// its global id.
    private static func partyIdentifier(_ party: XMLElementNode?) -> String? {
        guard let party else { return nil }
        return party.text("SpecifiedLegalOrganization", "ID") ?? party.text("ID") ?? party.text("GlobalID")
    }
}
