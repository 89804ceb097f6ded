/// Recognises the invoice formats a deposit can send, from the file's content.
enum InvoiceSyntax {
    /// The official `syntaxeFlux` for UBL or CII XML and Factur-X PDF, or nil for anything else.
    static func detect(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if bytes.starts(with: Array("%PDF".utf8)) {
            return contains(bytes, "CrossIndustryInvoice") ? "IN_DP_E2_CII_FACTURX" : nil
        }
        if head.contains("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")
            || head.contains("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")
        {
            return "IN_DP_E1_UBL_INVOICE"
        }
        if head.contains("CrossIndustryInvoice") { return "IN_DP_E1_CII_16B" }
        return nil
    }

    private static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count else { return false }
        var i = 0
        while i <= bytes.count - pattern.count {
            if bytes[i] == pattern[0] && bytes[i..<i + pattern.count].elementsEqual(pattern) { return true }
            i += 1
        }
        return false
    }
}
