import ChorusAPI
import Crypto
import Foundation

/// One file that passed the pre-deposit checks: ready to send as one flux, with the invoices the ledger
/// keys it by (one, or one per entry of a lot).
public struct DepositCandidate: Sendable {
    /// One invoice of the file: the file itself, or one entry of a lot (archive).
    public struct Invoice: Sendable {
        /// The name refusals and ledger rows show: the file's, or `lot.zip/entry.xml` in a lot.
        public let name: String
        /// The invoice number read from the file.
        public let invoiceNumber: String
        /// The supplier's SIRET read from the file.
        public let supplierSiret: String
        /// The recipient's SIRET read from the file.
        public let recipientSiret: String
        /// SHA-256 of the invoice's bytes (the entry's, in a lot), hex.
        public let contentHash: String
        /// The fields read from the file (service code, engagement...).
        public let document: InvoiceDocument
    }

    /// The request body, built once.
    public let flux: FluxDeposit
    /// The invoices the flux carries, in file order: one, or one per entry of a lot.
    public let invoices: [Invoice]
    /// The archive's file name when the file is a lot of invoices; nil for one invoice.
    public let lot: String?

    /// The (first) invoice's number: the only one unless the file is a lot.
    public var invoiceNumber: String { invoices[0].invoiceNumber }
    /// The (first) invoice's supplier SIRET.
    public var supplierSiret: String { invoices[0].supplierSiret }
    /// The (first) invoice's recipient SIRET.
    public var recipientSiret: String { invoices[0].recipientSiret }
    /// The (first) invoice's SHA-256, hex.
    public var contentHash: String { invoices[0].contentHash }
    /// The (first) invoice's fields.
    public var document: InvoiceDocument { invoices[0].document }

    /// Largest file accepted: the rule file-too-large of ChorusAPI's rule set (GDP_MSG_11.022).
    public static let maximumBytes = CheckRules.maximumFileBytes
    /// Longest `nomFichier` accepted: the rule file-name-too-long.
    public static let maximumNameLength = CheckRules.maximumFileNameLength
    /// File name extensions the platform accepts for a flux: the rule file-extension.
    public static let extensions = CheckRules.fileExtensions
    /// The extensions of a lot: the platform reads such a flux as an archive of invoices.
    public static let lotExtensions = ["zip", "tar", "tar.gz", "tgz"]

    /// Runs the checks that need no network on `data`, deposited as `name` (docs/ledger.md):
    /// size and name, syntax detected from the content (and consistent with `syntax` when given),
    /// well-formed XML, invoice number and both SIRETs present. A lot (`.zip`, `.tar`, `.tar.gz`,
    /// `.tgz`) is read within the archive reader's budget, and each of its invoices is checked.
    /// - Throws: a `Refusal` naming the file (`lot.zip/entry.xml` in a lot) and what is wrong, with the
    ///   XML element where it applies.
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
        let isLot = Self.lotExtensions.contains { lower.hasSuffix("." + $0) }
        let invoices = isLot ? try Self.lot(bytes, name: name) : [try Self.invoice(bytes, name: name)]
        let syntaxes = Set(invoices.map(\.document.syntaxeFlux))
        guard syntaxes.count == 1, let found = syntaxes.first else {
            throw FluxDeposit.Refusal(
                "'\(name)' mixes syntaxes (" + invoices.map { "\($0.name) is \(Self.label($0.document))" }
                    .joined(separator: ", ") + "); a lot holds invoices of one syntax")
        }
        if let syntax, syntax != found {
            throw FluxDeposit.Refusal(
                "'\(name)' is \(isLot ? "a lot of " : "")\(Self.label(invoices[0].document)) (syntaxeFlux \(found)), "
                    + "not \(syntax) as given")
        }
        var seen: [String: String] = [:]
        for invoice in invoices {
            let key = invoice.supplierSiret + " " + invoice.invoiceNumber
            if let earlier = seen[key] {
                throw FluxDeposit.Refusal(
                    "'\(name)' holds invoice \(invoice.invoiceNumber) of \(invoice.supplierSiret) twice "
                        + "(\(earlier) and \(invoice.name))")
            }
            seen[key] = invoice.name
        }
        self.flux = try FluxDeposit(data: data, name: name, syntax: found, signed: signed)
        self.invoices = invoices
        self.lot = isLot ? name : nil
    }

    /// The invoices of a lot, each checked like a file of its own and named `lot.zip/entry.xml`.
    static func lot(_ bytes: [UInt8], name: String) throws(FluxDeposit.Refusal) -> [Invoice] {
        let entries: [InvoiceArchive.Entry]?
        do throws(InvoiceArchive.Refusal) {
            entries = try InvoiceArchive.read(bytes)
        } catch {
            switch error {
            case .tooManyEntries(let limit):
                throw FluxDeposit.Refusal(
                    "'\(name)' holds more than \(limit) files; Chorus Pro refuses such a lot (GDP_MSG_11.023)")
            case .entryTooLarge(let entry, let limit):
                throw FluxDeposit.Refusal(
                    "'\(name)/\(entry)' is over \(limit / 1024 / 1024) Mo once inflated; "
                        + "Chorus Pro refuses it (GDP_MSG_11.022)")
            case .tooLarge(let limit):
                throw FluxDeposit.Refusal(
                    "'\(name)' inflates past \(limit / 1024 / 1024) Mo; chorus reads no larger lot")
            case .nested(let entry):
                throw FluxDeposit.Refusal(
                    "'\(name)/\(entry)' is an archive inside the lot; Chorus Pro refuses nested archives (GDP_MSG_11.024)")
            }
        }
        guard let entries else {
            throw FluxDeposit.Refusal("'\(name)' is not a readable ZIP, tar or tar.gz archive (a lot of invoices)")
        }
        guard !entries.isEmpty else { throw FluxDeposit.Refusal("'\(name)' is an archive with no file in it") }
        var invoices: [Invoice] = []
        for entry in entries { invoices.append(try invoice(entry.bytes, name: "\(name)/\(entry.name)")) }
        return invoices
    }

    /// One invoice file's checks: recognised from its content, well-formed, with its number and SIRETs.
    static func invoice(_ bytes: [UInt8], name: String) throws(FluxDeposit.Refusal) -> Invoice {
        guard let document = InvoiceDocument.detect(bytes) else {
            if InvoiceArchive.looksLikeArchive(bytes) {
                throw FluxDeposit.Refusal(
                    "'\(name)' is an archive (lot) of invoices: name it .zip, .tar or .tar.gz to deposit it as a lot")
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
        return Invoice(
            name: name, invoiceNumber: number, supplierSiret: supplier, recipientSiret: recipient,
            contentHash: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(), document: document)
    }

    /// `UBL`, `CII` or `FACTURX`, as refusals name a format.
    static func label(_ document: InvoiceDocument) -> String { document.format.rawValue.uppercased() }

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
