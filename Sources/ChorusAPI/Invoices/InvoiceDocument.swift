/// An invoice file recognised from its bytes: its syntax (the official `syntaxeFlux` of a deposit) and
/// the fields Chorus Pro routes and checks it by.
///
/// The Lua layer uses ``detect(_:)`` to fill `syntaxeFlux` when a script deposits a file; the simulator
/// uses it to read deposited flux the way Chorus Pro does.
public struct InvoiceDocument: Sendable, Equatable {
    /// The file formats recognised.
    public enum Format: String, Sendable, CaseIterable {
        /// UBL 2.1 `Invoice` or `CreditNote` XML.
        case ubl
        /// UN/CEFACT CII D16B `CrossIndustryInvoice` XML.
        case cii
        /// A PDF with the CII XML embedded as a file (Factur-X / ZUGFeRD).
        case facturX

        /// The official `syntaxeFlux` of `deposerFluxFacture` for this format.
        public var syntaxeFlux: String {
            switch self {
            case .ubl: return "IN_DP_E1_UBL_INVOICE"
            case .cii: return "IN_DP_E1_CII_16B"
            case .facturX: return "IN_DP_E2_CII_FACTURX"
            }
        }
    }

    /// Invoice or credit note (`typeFacture` FACTURE or AVOIR).
    public enum Kind: String, Sendable {
        case invoice = "FACTURE"
        case creditNote = "AVOIR"
    }

    /// Format of the file.
    public var format: Format
    /// Invoice or credit note.
    public var kind: Kind
    /// Invoice number (`numeroFacture`; `numeroDP` in reports).
    public var invoiceNumber: String?
    /// Issue date as `YYYY-MM-DD`.
    public var issueDate: String?
    /// Supplier identifier as written in the file (a SIRET for French suppliers).
    public var supplierSiret: String?
    /// Recipient identifier (the SIRET of the public structure).
    public var recipientSiret: String?
    /// Code of the recipient's service exécutant (buyer reference).
    public var serviceCode: String?
    /// Engagement juridique number (buyer order reference).
    public var engagementNumber: String?
    /// ISO 4217 currency code.
    public var currency: String?
    /// Total without VAT.
    public var totalHT: Double?
    /// Total VAT.
    public var totalTVA: Double?
    /// Total with VAT.
    public var totalTTC: Double?
    /// Amount due (après acomptes).
    public var amountDue: Double?
    /// Whether a payment means code is present (Chorus Pro rejects CII files without one).
    public var hasPaymentMeansCode: Bool

    /// The official `syntaxeFlux` to deposit this file with.
    public var syntaxeFlux: String { format.syntaxeFlux }

    /// Creates a value from its fields.
    public init(
        format: Format, kind: Kind = .invoice, invoiceNumber: String? = nil, issueDate: String? = nil,
        supplierSiret: String? = nil, recipientSiret: String? = nil, serviceCode: String? = nil,
        engagementNumber: String? = nil, currency: String? = nil, totalHT: Double? = nil, totalTVA: Double? = nil,
        totalTTC: Double? = nil, amountDue: Double? = nil, hasPaymentMeansCode: Bool = false
    ) {
        self.format = format
        self.kind = kind
        self.invoiceNumber = invoiceNumber
        self.issueDate = issueDate
        self.supplierSiret = supplierSiret
        self.recipientSiret = recipientSiret
        self.serviceCode = serviceCode
        self.engagementNumber = engagementNumber
        self.currency = currency
        self.totalHT = totalHT
        self.totalTVA = totalTVA
        self.totalTTC = totalTTC
        self.amountDue = amountDue
        self.hasPaymentMeansCode = hasPaymentMeansCode
    }

    /// Recognises a UBL or CII XML file, or a Factur-X PDF, and reads its fields; nil for anything else
    /// (a plain PDF, another XML vocabulary, garbage).
    public static func detect(_ bytes: [UInt8]) -> InvoiceDocument? {
        if bytes.starts(with: Array("%PDF-".utf8)) {
            // Embedded files first; then any stream, for writers that leave out the optional /Type.
            guard
                let xml = PDFAttachments.embeddedFiles(in: bytes).first(where: isCII)
                    ?? PDFAttachments.embeddedFiles(in: bytes, anyStream: true).first(where: isCII)
            else { return nil }
            guard var document = parseXML(xml), document.format == .cii else { return nil }
            document.format = .facturX
            return document
        }
        return parseXML(bytes)
    }

    /// The syntax to deposit `bytes` with, or nil when it is not a recognised invoice. An archive
    /// (`.zip`, `.tar`, `.tar.gz`) of invoices all in one format has that format's syntax.
    public static func syntaxeFlux(of bytes: [UInt8]) -> String? {
        if let format = detectedFormat(of: bytes) { return format.syntaxeFlux }
        guard let entries = InvoiceArchive.entries(in: bytes), !entries.isEmpty else { return nil }
        let syntaxes = Set(entries.map { detectedFormat(of: $0.bytes)?.syntaxeFlux })
        guard syntaxes.count == 1, let only = syntaxes.first else { return nil }
        return only
    }

    /// The format `detect` finds in `bytes` (nil when it finds none), without reading the fields:
    /// the same checks on the XML, but no tree is built.
    static func detectedFormat(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: Array("%PDF-".utf8)) {
            let found =
                PDFAttachments.embeddedFiles(in: bytes).contains(where: isCII)
                || PDFAttachments.embeddedFiles(in: bytes, anyStream: true).contains(where: isCII)
            return found ? .facturX : nil
        }
        switch XMLReader.rootName(bytes) {
        case "Invoice", "CreditNote": return .ubl
        case "CrossIndustryInvoice": return .cii
        default: return nil
        }
    }

    private static func isCII(_ bytes: [UInt8]) -> Bool {
        XMLReader.rootName(bytes) == "CrossIndustryInvoice"
    }

    private static func parseXML(_ bytes: [UInt8]) -> InvoiceDocument? {
        guard let root = XMLReader.parse(bytes) else { return nil }
        switch root.name {
        case "Invoice", "CreditNote": return fromUBL(root)
        case "CrossIndustryInvoice": return fromCII(root)
        default: return nil
        }
    }

    /// Reads a number written in an invoice ("1234.50"); nil when it is not one.
    static func amount(_ text: String?) -> Double? {
        guard let text, !text.isEmpty else { return nil }
        return Double(text.replacingASCII(" ", with: ""))
    }

    /// `YYYYMMDD` (CII format 102) or `YYYY-MM-DD...` → `YYYY-MM-DD`.
    static func isoDate(_ text: String?) -> String? {
        guard let text else { return nil }
        // ASCII without CR (one character per byte): the same answer read on bytes.
        if let fast = String.withASCIICharacters(text, { bytes -> String in
            if bytes.count == 8, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                let d = String(decoding: bytes, as: UTF8.self)
                return "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))"
            }
            return bytes.count >= 10 ? String(decoding: bytes[..<10], as: UTF8.self) : text
        }) {
            return fast
        }
        let digits = text.filter(\.isNumber)
        if text.count == 8, digits.count == 8 {
            let chars = Array(text)
            return "\(String(chars[0..<4]))-\(String(chars[4..<6]))-\(String(chars[6..<8]))"
        }
        if text.count >= 10 { return String(text.prefix(10)) }
        return text
    }
}
