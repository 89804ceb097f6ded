import ChorusAPI
import Foundation

/// One file of a deposit, already read: what the integration rules need, and the content as kept.
struct DepositedFile: Sendable {
    var name: String
    /// What the rules that need no directory found, judged when the file was read (before the lock).
    var findings: [CheckFinding]
    /// What the directory rules read of the file (its invoice and the few elements they name, not its
    /// whole XML tree); the directory is filled in at processing.
    var context: CheckContext
    /// The invoice read from the file, if it is one.
    var document: InvoiceDocument? { context.document }
    /// The content, kept in the state's files when an invoice comes from it.
    var bytes: [UInt8]
    /// Its key in the state's files (set once the flux has its number).
    var key = ""

    /// Reads `bytes` deposited as `name` with `syntaxe` and runs the rules that need no directory.
    init(name: String, bytes: [UInt8], syntaxe: String) {
        let full = InvoiceChecker.context(bytes, name: name, syntax: syntaxe, today: ChorusDate.day(Date()))
        self.name = name
        self.findings = InvoiceChecker.run(full, scopes: [.file, .document, .attachment])
        self.context = full.prunedForLiveRules()
        self.bytes = bytes
    }
}

/// A deposerFluxFacture request checked and read: everything that does not depend on the state, done
/// before taking the store's lock (decoding, opening archives, reading XML and PDF).
struct PreparedDeposit: Sendable {
    var syntaxe: String
    var fileName: String
    var files: [DepositedFile]
}

extension DepositRules {
    /// What reading a deposited archive may cost (documented in docs/simulator.md).
    static let archiveBudget = InvoiceArchive.Budget()

    /// Checks the members of a deposit and reads its file(s); throws the platform's 400 when a member
    /// or the archive is refused.
    static func prepare(_ p: Params, maxFluxBytes: Int) throws(Reply) -> PreparedDeposit {
        _ = try p.int("idUtilisateurCourant")
        _ = try p.bool("avecSignature")
        let syntaxe = try p.enumeration("syntaxeFlux", Handlers.syntaxes)
        let fileName = try p.requiredString("nomFichier")
        guard let content = try p.string("fichierFlux") else { throw p.missing("fichierFlux") }
        guard let syntaxe else { throw p.missing("syntaxeFlux") }
        // An empty file is the rule file-empty's refusal (docs/check.md), not a missing member.
        if content.isEmpty { throw Reply.invalid(DepositRules.render("file-empty", ["member": "fichierFlux"], format: nil)) }
        try Handlers.checkFileName(
            fileName, member: "nomFichier", maxLength: 200, extensions: ["xml", "pdf", "zip", "tar", "tar.gz", "tgz"])
        let tooLarge = Reply.business(
            20001, "GDP_MSG_11.022 - La taille du fichier dépasse la taille maximale autorisée (10 Mo).")
        let compact = Handlers.compactBase64(content)
        let bytes = try Handlers.decodeFile(compact, member: "fichierFlux", limit: maxFluxBytes, tooLarge: tooLarge)

        // A lot of invoices comes as an archive; an unreadable one is read as a single (non-conforming) file.
        if [".zip", ".tar", ".tar.gz", ".tgz"].contains(where: { fileName.lowercased().hasSuffix($0) }) {
            do throws(InvoiceArchive.Refusal) {
                if let entries = try InvoiceArchive.read(bytes, budget: archiveBudget), !entries.isEmpty {
                    return PreparedDeposit(
                        syntaxe: syntaxe, fileName: fileName,
                        files: entries.map {
                            DepositedFile(name: $0.name, bytes: $0.bytes, syntaxe: syntaxe)
                        })
                }
            } catch {
                throw refusal(error)
            }
        }
        return PreparedDeposit(
            syntaxe: syntaxe, fileName: fileName,
            files: [DepositedFile(name: fileName, bytes: bytes, syntaxe: syntaxe)])
    }

    /// The platform's answer to an archive over budget.
    static func refusal(_ refusal: InvoiceArchive.Refusal) -> Reply {
        switch refusal {
        case .tooManyEntries(let limit):
            return Reply.business(
                20001, "GDP_MSG_11.023 - L'archive contient trop de fichiers (\(limit) au maximum).")
        case .entryTooLarge(let name, let limit):
            return Reply.business(
                20001,
                "GDP_MSG_11.022 - La taille du fichier \(name) dépasse la taille maximale autorisée "
                    + "(\(limit / 1024 / 1024) Mo).")
        case .tooLarge(let limit):
            return Reply.business(
                20001,
                "GDP_MSG_11.022 - La taille décompressée de l'archive dépasse la taille maximale autorisée "
                    + "(\(limit / 1024 / 1024) Mo).")
        case .nested(let name):
            return Reply.business(
                20001, "GDP_MSG_11.024 - L'archive ne doit pas contenir d'autre archive (\(name)).")
        case .libraryUnavailable(let reason):
            // The simulator's machine cannot open archives: its own fault, not the deposit's.
            return Reply.business(500, "chorus sim: \(reason)", status: 500)
        }
    }
}
