import Foundation

/// Runs ``CheckRules/all`` on invoice files: reads the file once, asks the directory (when given) about its
/// recipient and supplier, and lists what each failing rule found. The rules never touch the network: a
/// ``RecipientLookup`` answers before they run, so the simulator runs the very same rules on its own state.
public enum InvoiceChecker {
    /// What reading an archive may cost (a lot of invoices).
    public static let archiveBudget = InvoiceArchive.Budget()

    /// Reads `bytes` (deposited as `name`) into what the rules need; no lookup is made.
    public static func context(
        _ bytes: [UInt8], name: String, syntax: String? = nil, today: String,
        recipient: CheckContext.Recipient = .skipped, supplier: SupplierInfo? = nil
    ) -> CheckContext {
        let (root, document, looksLikeXML) = parse(bytes)
        return CheckContext(
            fileName: name, size: bytes.count, root: root, document: document, looksLikeXML: looksLikeXML,
            declaredSyntax: syntax, today: today, recipient: recipient, supplier: supplier)
    }

    /// The findings of every rule (of `scopes`, when given) on `context`, in rule order. The file rules come first; when the file is
    /// not a readable invoice nothing else runs (the platform stops there too).
    public static func run(_ context: CheckContext, scopes: Set<CheckRule.Scope>? = nil) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        // The scopes' test once, not a Set lookup (hashing) per rule per file.
        let wanted = CheckRule.Scope.allCases.map { scopes?.contains($0) ?? true }
        for rule in CheckRules.all where wanted[rule.scope.ordinal] {
            if rule.scope != .file,
                context.document == nil || findings.contains(where: { $0.rule == "syntax-mismatch" })
            {
                break
            }
            for hit in rule.evaluate(context) {
                findings.append(rule.finding(hit, format: context.format, file: context.fileName))
            }
        }
        return findings
    }

    /// Checks one file (an archive: itself, then each invoice in it, each declared with `syntax` as the
    /// platform reads a lot's members). `lookup` nil skips the live rules
    /// (`--offline`); the lookups it makes can fail with the client's errors.
    public static func check(
        _ bytes: [UInt8], name: String, syntax: String? = nil, today: String, lookup: RecipientLookup?
    ) async throws(ChorusError) -> [CheckFinding] {
        let lower = name.lowercased()
        if [".zip", ".tar", ".tar.gz", ".tgz"].contains(where: { lower.hasSuffix($0) }),
            InvoiceArchive.looksLikeArchive(bytes)
        {
            // The archive's own size and name, then each member as an invoice of its own.
            var findings = fileFindings(size: bytes.count, name: name)
            let entries: [InvoiceArchive.Entry]
            do throws(InvoiceArchive.Refusal) {
                entries = try InvoiceArchive.read(bytes, budget: archiveBudget) ?? []
            } catch {
                let (meaning, fix) =
                    if case .libraryUnavailable = error {
                        ("chorus cannot open archives on this machine.", "Install libarchive, or check the invoices one by one.")
                    } else {
                        ("The archive cannot be read within the platform's limits.",
                         "Deposit the invoices one by one, or in smaller archives.")
                    }
                return findings + [
                    CheckFinding(
                        rule: "archive-refused", severity: .error, file: name, path: "", line: nil,
                        message: "\(error)", meaning: meaning, fix: fix)
                ]
            }
            for entry in entries {
                findings += try await check(
                    entry.bytes, name: "\(name)/\(entry.name)", syntax: syntax, today: today, lookup: lookup)
            }
            return findings
        }
        var context = context(bytes, name: name, syntax: syntax, today: today)
        if let lookup, let document = context.document {
            try await resolve(&context, document: document, lookup: lookup)
        }
        return run(context)
    }

    /// The findings of the rules that read only the file's size and name (`file-empty`, `file-too-large`,
    /// `file-name-too-long`, `file-extension`): what an archive is checked for before its members, and what
    /// a file too large to read is refused for without reading it.
    public static func fileFindings(size: Int, name: String) -> [CheckFinding] {
        let file = CheckContext(
            fileName: name, size: size, root: nil, document: nil, looksLikeXML: false,
            declaredSyntax: nil, today: "", recipient: .skipped, supplier: nil)
        return CheckRules.all.filter { sizeAndNameRules.contains($0.id) }
            .flatMap { rule in rule.evaluate(file).map { rule.finding($0, format: nil, file: name) } }
    }

    /// The rules ``fileFindings(size:name:)`` runs.
    static let sizeAndNameRules: Set<String> = ["file-empty", "file-too-large", "file-name-too-long", "file-extension"]

    /// Fills the recipient and supplier from the directory, for identifiers shaped like SIRETs.
    static func resolve(_ context: inout CheckContext, document: InvoiceDocument, lookup: RecipientLookup)
        async throws(ChorusError)
    {
        if let siret = document.recipientSiret, CheckRules.PartyIdentifier(siret) == .siret {
            let info = try await lookup.recipient(
                siret: siret, serviceCode: document.serviceCode, engagement: document.engagementNumber)
            context.recipient = info.map { .known($0) } ?? .unknown
        }
        if let siret = document.supplierSiret, CheckRules.PartyIdentifier(siret) == .siret {
            context.supplier = try await lookup.supplier(siret: siret)
        }
    }

    /// The invoice XML's root (inside a Factur-X PDF), the invoice read from it, and whether the bytes
    /// look like XML at all (to tell a broken XML file from something else).
    static func parse(_ bytes: [UInt8]) -> (XMLElementNode?, InvoiceDocument?, Bool) {
        if bytes.starts(with: Array("%PDF-".utf8)) {
            let candidates = PDFAttachments.embeddedFiles(in: bytes) + PDFAttachments.embeddedFiles(in: bytes, anyStream: true)
            for xml in candidates {
                guard let root = XMLReader.parse(xml), root.name == "CrossIndustryInvoice" else { continue }
                var document = InvoiceDocument.fromCII(root)
                document.format = .facturX
                return (root, document, true)
            }
            return (nil, nil, false)
        }
        guard let root = XMLReader.parse(bytes) else {
            var rest = bytes[...]
            if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
            return (nil, nil, rest.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<"))
        }
        switch root.name {
        case "Invoice", "CreditNote": return (root, InvoiceDocument.fromUBL(root), true)
        case "CrossIndustryInvoice": return (root, InvoiceDocument.fromCII(root), true)
        default: return (root, nil, false)
        }
    }
}
