extension InvoiceDocument {
    /// Reads a UBL 2.1 Invoice or CreditNote. Chorus Pro maps the buyer reference (BT-10) to the
    /// service code and the order reference (BT-13) to the engagement juridique.
    static func fromUBL(_ root: XMLElementNode) -> InvoiceDocument {
        let isCredit = root.name == "CreditNote" || root.text("InvoiceTypeCode") == "381"
        let totals = root.child("LegalMonetaryTotal")
        return InvoiceDocument(
            format: .ubl, kind: isCredit ? .creditNote : .invoice,
            invoiceNumber: root.text("ID"),
            issueDate: isoDate(root.text("IssueDate")),
            supplierSiret: partyIdentifier(root.at("AccountingSupplierParty", "Party")),
            recipientSiret: partyIdentifier(root.at("AccountingCustomerParty", "Party")),
            serviceCode: root.text("BuyerReference"),
            engagementNumber: root.text("OrderReference", "ID"),
            currency: root.text("DocumentCurrencyCode"),
            totalHT: amount(totals?.text("TaxExclusiveAmount")),
            totalTVA: amount(root.text("TaxTotal", "TaxAmount")),
            totalTTC: amount(totals?.text("TaxInclusiveAmount")),
            amountDue: amount(totals?.text("PayableAmount")),
            hasPaymentMeansCode: root.text("PaymentMeans", "PaymentMeansCode") != nil)
    }

    /// The party's identifier: PartyIdentification/ID first (where Chorus Pro wants the SIRET), then
    /// the legal entity's CompanyID.
    private static func partyIdentifier(_ party: XMLElementNode?) -> String? {
        guard let party else { return nil }
        return party.text("PartyIdentification", "ID") ?? party.text("PartyLegalEntity", "CompanyID")
    }
}
