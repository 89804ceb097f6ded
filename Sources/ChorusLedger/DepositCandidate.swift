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
    /// The file's bytes, as the rule set reads them (``DepositLedger/check(_:allRules:)``).
    public let bytes: [UInt8]
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

    /// The rules of the rule set (docs/check.md) the ledger cannot do without, even with `--no-check`: the
    /// file rules (size, name, extension, well-formed, recognised, syntax as declared) and the identifiers
    /// it keys its rows by (invoice number, both SIRETs).
    public static let requiredRules: Set<String> =
        Set(CheckRules.all.filter { $0.scope == .file }.map(\.id))
        .union(["invoice-number-missing", "supplier-missing", "recipient-missing"])

    /// Runs the checks that need no network on `data`, deposited as `name` (docs/ledger.md): the
    /// ``requiredRules`` of the rule set, on the file and on each invoice of a lot (`.zip`, `.tar`,
    /// `.tar.gz`, `.tgz`, read within the archive reader's budget), then the ledger's own: a lot holds
    /// invoices of one syntax, each once. The other rules run in ``DepositLedger/check(_:allRules:)``.
    /// - Throws: a `Refusal` naming the file (`lot.zip/entry.xml` in a lot), the rule's id and message
    ///   (with its line) and its fix, as ``refusal(_:)`` writes it.
    public init(data: Data, name: String, syntax: String? = nil, signed: Bool = false) throws(FluxDeposit.Refusal) {
        try self.init(bytes: [UInt8](data), name: name, syntax: syntax, signed: signed)
    }

    /// The same checks on bytes already read (``readFile(atPath:name:)``): the candidate keeps them, the
    /// request body is encoded from them, and no other copy of the file is made.
    public init(bytes: [UInt8], name: String, syntax: String? = nil, signed: Bool = false) throws(FluxDeposit.Refusal) {
        if let refusal = Self.refusal(InvoiceChecker.fileFindings(size: bytes.count, name: name)) {
            throw FluxDeposit.Refusal(refusal)
        }
        let lower = name.lowercased()
        let isLot = Self.lotExtensions.contains { lower.hasSuffix("." + $0) }
        let invoices =
            isLot
            ? try Self.lot(bytes, name: name, syntax: syntax) : [try Self.invoice(bytes, name: name, syntax: syntax)]
        let syntaxes = Set(invoices.map(\.document.syntaxeFlux))
        guard syntaxes.count == 1, let found = syntaxes.first else {
            throw FluxDeposit.Refusal(
                "'\(name)' mixes syntaxes (" + invoices.map { "\($0.name) is \(Self.label($0.document))" }
                    .joined(separator: ", ") + "); a lot holds invoices of one syntax")
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
        self.flux = try FluxDeposit(bytes: bytes, name: name, syntax: found, signed: signed)
        self.invoices = invoices
        self.bytes = bytes
        self.lot = isLot ? name : nil
    }

    /// The invoices of a lot, each checked like a file of its own and named `lot.zip/entry.xml`.
    static func lot(_ bytes: [UInt8], name: String, syntax: String?) throws(FluxDeposit.Refusal) -> [Invoice] {
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
            case .libraryUnavailable(let reason):
                throw FluxDeposit.Refusal("'\(name)' is a lot of invoices, and \(reason)")
            }
        }
        guard let entries else {
            throw FluxDeposit.Refusal("'\(name)' is not a readable ZIP, tar or tar.gz archive (a lot of invoices)")
        }
        guard !entries.isEmpty else { throw FluxDeposit.Refusal("'\(name)' is an archive with no file in it") }
        var invoices: [Invoice] = []
        for entry in entries { invoices.append(try invoice(entry.bytes, name: "\(name)/\(entry.name)", syntax: syntax)) }
        return invoices
    }

    /// One invoice file's checks: the ``requiredRules`` (recognised from its content, well-formed, of the
    /// declared syntax, with its number and SIRETs).
    static func invoice(_ bytes: [UInt8], name: String, syntax: String?) throws(FluxDeposit.Refusal) -> Invoice {
        let context = InvoiceChecker.context(bytes, name: name, syntax: syntax, today: ChorusDate.day(Date()))
        if context.document == nil, InvoiceArchive.looksLikeArchive(bytes) {
            // Not a rule: the platform would read it as a lot if it were named like one.
            throw FluxDeposit.Refusal(
                "'\(name)' is an archive (lot) of invoices: name it .zip, .tar or .tar.gz to deposit it as a lot")
        }
        let findings = InvoiceChecker.run(context, scopes: [.file, .document])
            .filter { $0.severity == .error && requiredRules.contains($0.rule) }
        if let refusal = refusal(findings) { throw FluxDeposit.Refusal(refusal) }
        // The rules above guarantee these; a blank value (spaces only) is refused all the same.
        guard let document = context.document, let number = document.invoiceNumber?.trimmed, !number.isEmpty,
            let supplier = document.supplierSiret?.trimmed, !supplier.isEmpty,
            let recipient = document.recipientSiret?.trimmed, !recipient.isEmpty
        else {
            throw FluxDeposit.Refusal("'\(name)' has no invoice number, supplier SIRET or recipient SIRET")
        }
        return Invoice(
            name: name, invoiceNumber: number, supplierSiret: supplier, recipientSiret: recipient,
            contentHash: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(), document: document)
    }

    /// How `chorus deposit`, `chorus.invoices.deposit` and the ledger refuse a file the rules find errors
    /// in: its first error, as `'file' line N: [rule-id] message Fix: fix`, with the count of the others;
    /// nil when `findings` holds no error.
    public static func refusal(_ findings: [CheckFinding]) -> String? {
        let errors = findings.filter { $0.severity == .error }
        guard let first = errors.first else { return nil }
        var reason =
            "'\(first.file)'\(first.line.map { " line \($0)" } ?? ""): [\(first.rule)] "
            + first.message.trimmingCharacters(in: .whitespaces) + " Fix: \(first.fix)"
        if errors.count > 1 { reason += " (\(errors.count - 1) more: chorus check lists them)" }
        return reason
    }

    /// `UBL`, `CII` or `FACTURX`, as refusals name a format.
    static func label(_ document: InvoiceDocument) -> String { document.format.rawValue.uppercased() }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
