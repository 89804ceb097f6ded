extension CheckRules {
    /// Largest attachment (10 Mo), longest attachment name (50 characters, extension included), largest
    /// invoice with its attachments (120 Mo): OCA/l10n-france's constants, after the AIFE page on attachments.
    public static let maximumAttachmentBytes = 10 * 1024 * 1024
    public static let maximumAttachmentNameLength = 50
    public static let maximumTotalBytes = 120 * 1024 * 1024

    static let attachmentSource =
        "https://communaute.chorus-pro.gouv.fr/pieces-jointes-dans-chorus-pro-quelques-regles-a-respecter/; "
        + "https://github.com/OCA/l10n-france/blob/16.0/l10n_fr_chorus_account/models/account_move.py "
        + "(CHORUS_FILESIZE_MAX_MO, CHORUS_TOTAL_FILESIZE_MAX_MO, CHORUS_FILENAME_MAX, CHORUS_ALLOWED_FORMATS)"

    /// An attachment embedded in the invoice XML (BG-24: UBL EmbeddedDocumentBinaryObject, CII
    /// AttachmentBinaryObject), measured without decoding it.
    struct Attachment {
        var name: String
        var bytes: Int
        var line: Int

        static func all(in c: CheckContext) -> [Attachment] {
            c.elements(c.format == .ubl ? Path.attachment.ubl : Path.attachment.cii).map { node in
                // One pass, no copy: an attachment may be megabytes of base64.
                var count = 0
                var padding = 0
                for byte in node.text.utf8 where !(byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09) {
                    count += 1
                    padding = byte == UInt8(ascii: "=") ? padding + 1 : 0
                }
                return Attachment(
                    name: node.attributes["filename"] ?? "", bytes: max(0, count / 4 * 3 - padding), line: node.line)
            }
        }
    }

    static let attachments: [CheckRule] = [
        CheckRule(
            id: "attachment-empty", scope: .attachment, term: "BT-125", at: Path.attachment,
            message: "La piece jointe {name} (balise : {tag}) est vide. ",
            meaningFR: "Une pièce jointe de la facture est vide.",
            meaningEN: "An attachment of the invoice is empty.",
            fix: "Embed the attachment's content, or leave the attachment out.",
            source: attachmentSource, confidence: .claimed,
            evaluate: { c in
                Attachment.all(in: c).filter { $0.bytes == 0 }.map { a in
                    var hit = c.hit(Path.attachment, ["name": a.name])
                    hit.line = a.line
                    return hit
                }
            }),
        CheckRule(
            id: "attachment-too-large", scope: .attachment, term: "BT-125", at: Path.attachment,
            message: "La piece jointe {name} (balise : {tag}) depasse la taille maximale autorisee (10 Mo). ",
            meaningFR: "Une pièce jointe dépasse 10 Mo.",
            meaningEN: "An attachment is larger than 10 Mo.",
            fix: "Compress or split the attachment (scan at a lower resolution, PDF instead of images).",
            source: attachmentSource, confidence: .verified,
            evaluate: { c in
                Attachment.all(in: c).filter { $0.bytes >= maximumAttachmentBytes }.map { a in
                    var hit = c.hit(Path.attachment, ["name": a.name])
                    hit.line = a.line
                    return hit
                }
            }),
        CheckRule(
            id: "attachments-total-too-large", scope: .attachment, term: "BG-24", at: Path.attachment,
            message: "La taille totale de la facture et de ses pieces jointes ({size} octets) depasse 120 Mo. ",
            meaningFR: "La facture et ses pièces jointes dépassent ensemble 120 Mo.",
            meaningEN: "The invoice and its attachments are larger than 120 Mo together.",
            fix: "Send fewer or smaller attachments.",
            source: attachmentSource, confidence: .verified,
            evaluate: { c in
                let total = c.size + Attachment.all(in: c).reduce(0) { $0 + $1.bytes }
                return total > maximumTotalBytes ? [c.hit(Path.attachment, ["size": String(total)])] : []
            }),
        CheckRule(
            id: "attachment-name-too-long", scope: .attachment, term: "BT-125", at: Path.attachment,
            message: "Le nom de la piece jointe {name} depasse 50 caracteres (extension comprise). ",
            meaningFR: "Le nom d'une pièce jointe dépasse 50 caractères, extension comprise.",
            meaningEN: "An attachment's file name is longer than 50 characters, extension included.",
            fix: "Rename the attachment (the filename attribute) to at most 50 characters.",
            source: attachmentSource, confidence: .verified,
            evaluate: { c in
                Attachment.all(in: c).filter { $0.name.count > maximumAttachmentNameLength }.map { a in
                    var hit = c.hit(Path.attachment, ["name": a.name])
                    hit.line = a.line
                    return hit
                }
            }),
        CheckRule(
            id: "attachment-extension", scope: .attachment, term: "BT-125", at: Path.attachment,
            message: "L'extension de la piece jointe {name} n'est pas autorisee. ",
            meaningFR: "Une pièce jointe n'a pas d'extension, ou une extension que Chorus Pro refuse.",
            meaningEN: "An attachment has no extension, or one Chorus Pro refuses.",
            fix: "Convert it to an accepted format (PDF, JPG, PNG, XML, CSV, ODT, DOCX, XLSX, ZIP...) and name it "
                + "with that extension.",
            source: attachmentSource, confidence: .verified,
            evaluate: { c in
                Attachment.all(in: c).filter { a in
                    guard let dot = a.name.lastIndex(of: ".") else { return true }
                    return !Identifiers.attachmentExtensions.contains(a.name[a.name.index(after: dot)...].uppercased())
                }.map { a in
                    var hit = c.hit(Path.attachment, ["name": a.name])
                    hit.line = a.line
                    return hit
                }
            }),
    ]
}
