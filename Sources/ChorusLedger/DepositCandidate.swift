import ChorusAPI
import Crypto
import Foundation

/// One invoice file that passed the pre-deposit checks: ready to send, with what the ledger keys it by.
public struct DepositCandidate: Sendable {
    /// The request body, built once.
    public let flux: FluxDeposit
    /// The invoice number read from the file.
    public let invoiceNumber: String
    /// The supplier's SIRET read from the file.
    public let supplierSiret: String
    /// The recipient's SIRET read from the file.
    public let recipientSiret: String
    /// SHA-256 of the file, hex.
    public let contentHash: String
    /// The fields read from the file (service code, engagement...).
    public let document: InvoiceDocument

    /// Largest file accepted (Chorus Pro refuses a flux over 10 Mo with GDP_MSG_11.022).
    public static let maximumBytes = 10 * 1024 * 1024
    /// Longest `nomFichier` accepted (varchar(200) on the platform).
    public static let maximumNameLength = 200
    /// File name extensions the platform accepts for a flux.
    public static let extensions = ["xml", "pdf", "zip", "tar", "tar.gz", "tgz"]

    /// Runs the checks that need no network on `data`, deposited as `name` (docs/ledger.md):
    /// size and name, syntax detected from the content (and consistent with `syntax` when given),
    /// well-formed XML, invoice number and both SIRETs present.
    /// - Throws: a `Refusal` naming the file and what is wrong, with the XML element where it applies.
    public init(data: Data, name: String, syntax: String? = nil, signed: Bool = false) throws(FluxDeposit.Refusal) {
        guard !data.isEmpty else { throw FluxDeposit.Refusal("'\(name)' is empty") }
        guard data.count <= Self.maximumBytes else {
            throw FluxDeposit.Refusal(
                "'\(name)' is \(data.count) bytes; Chorus Pro refuses a flux over 10 Mo (GDP_MSG_11.022)")
        }
        guard name.count <= Self.maximumNameLength else {
            throw FluxDeposit.Refusal(
                "the file name '\(name.prefix(40))...' is \(name.count) characters; the platform keeps at most 200")
        }
        let lower = name.lowercased()
        guard Self.extensions.contains(where: { lower.hasSuffix("." + $0) }) else {
            throw FluxDeposit.Refusal(
                "'\(name)' has no extension the platform accepts for a flux ("
                    + Self.extensions.map { "." + $0 }.joined(separator: ", ") + ")")
        }
        let bytes = [UInt8](data)
        guard let document = InvoiceDocument.detect(bytes) else {
            if InvoiceArchive.looksLikeArchive(bytes) {
                throw FluxDeposit.Refusal(
                    "'\(name)' is an archive (lot) of invoices; the ledger tracks one invoice per file for now: "
                        + "deposit its invoices one by one (or deposit the lot without the ledger, unsafe)")
            }
            if Self.looksLikeXML(bytes) {
                throw FluxDeposit.Refusal(
                    "'\(name)' is not a well-formed UBL Invoice/CreditNote or CII CrossIndustryInvoice XML document")
            }
            if bytes.starts(with: Array("%PDF-".utf8)) {
                throw FluxDeposit.Refusal("'\(name)' is a PDF without an embedded CII invoice (not Factur-X)")
            }
            throw FluxDeposit.Refusal("'\(name)' is not an invoice chorus recognises (UBL or CII XML, Factur-X PDF)")
        }
        if let syntax, syntax != document.syntaxeFlux {
            throw FluxDeposit.Refusal(
                "'\(name)' is \(document.format.rawValue.uppercased()) (syntaxeFlux \(document.syntaxeFlux)), "
                    + "not \(syntax) as given")
        }
        let paths = Self.elementPaths(document.format)
        guard let number = document.invoiceNumber?.trimmed, !number.isEmpty else {
            throw FluxDeposit.Refusal("'\(name)' has no invoice number (\(paths.number))")
        }
        guard let supplier = document.supplierSiret?.trimmed, !supplier.isEmpty else {
            throw FluxDeposit.Refusal("'\(name)' has no supplier SIRET (\(paths.supplier))")
        }
        guard let recipient = document.recipientSiret?.trimmed, !recipient.isEmpty else {
            throw FluxDeposit.Refusal("'\(name)' has no recipient SIRET (\(paths.recipient))")
        }
        self.flux = try FluxDeposit(data: data, name: name, syntax: document.syntaxeFlux, signed: signed)
        self.invoiceNumber = number
        self.supplierSiret = supplier
        self.recipientSiret = recipient
        self.contentHash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        self.document = document
    }

    /// The elements each field is read from, as written in refusals.
    static func elementPaths(_ format: InvoiceDocument.Format) -> (number: String, supplier: String, recipient: String)
    {
        switch format {
        case .ubl:
            return (
                "Invoice/cbc:ID",
                "Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID",
                "Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID"
            )
        case .cii, .facturX:
            let agreement =
                "rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
            return (
                "rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
                "\(agreement)/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
                "\(agreement)/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
            )
        }
    }

    private static func looksLikeXML(_ bytes: [UInt8]) -> Bool {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        return rest.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<")
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
