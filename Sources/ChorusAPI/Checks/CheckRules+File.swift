extension CheckRules {
    /// Largest flux Chorus Pro takes (GDP_MSG_11.022).
    public static let maximumFileBytes = 10 * 1024 * 1024
    /// Longest `nomFichier`.
    public static let maximumFileNameLength = 200
    /// The extensions a deposited flux may have.
    public static let fileExtensions = ["xml", "pdf", "zip", "tar", "tar.gz", "tgz"]

    /// The file itself: it must be something the platform can read before any business rule applies.
    static let file: [CheckRule] = [
        CheckRule(
            id: "file-empty", scope: .file, term: "-",
            message: "Le fichier transmis dans '{member}' est vide.",
            meaningFR: "Le fichier déposé est vide.",
            meaningEN: "The deposited file is empty.",
            fix: "Deposit the invoice file itself; check that the export that wrote it finished.",
            // Inferred: the platform needs content to read; the simulator refuses the request (HTTP 400).
            source: "inferred (the API takes the file as base64 in fichierFlux; Chorus Pro API reference, chorus-api.md §5.1)",
            confidence: .inferred,
            evaluate: { c in c.size == 0 ? [CheckHit(["member": "fichierFlux"])] : [] }),
        CheckRule(
            id: "file-too-large", scope: .file, term: "-", code: "GDP_MSG_11.022",
            message: "GDP_MSG_11.022 - La taille du fichier dépasse la taille maximale autorisée (10 Mo).",
            meaningFR: "Le flux dépasse 10 Mo : la plateforme le refuse au dépôt (codeRetour 20001).",
            meaningEN: "The flux is over 10 Mo: the platform refuses the deposit (codeRetour 20001).",
            fix: "Deposit smaller files: split a lot into several archives, compress attachments, or deposit "
                + "invoices one by one.",
            // Claimed: omnibill-chorus-pro fixture deposer-flux-trop-gros.json, written from the AIFE API
            // annex V5.00 (Chorus Pro API reference, chorus-api.md §5.1 and §9).
            source: "https://github.com/glitchr-studio/omnibill-chorus-pro (Tests/Fixtures/deposer-flux-trop-gros.json); "
                + "chorus-api.md §5.1, §9",
            confidence: .claimed,
            evaluate: { c in c.size > maximumFileBytes ? [CheckHit(["size": String(c.size)])] : [] }),
        CheckRule(
            id: "file-name-too-long", scope: .file, term: "-",
            message: "Le paramètre '{member}' dépasse {max} caractères.",
            meaningFR: "Le nom du fichier (nomFichier) dépasse 200 caractères.",
            meaningEN: "The file name (nomFichier) is longer than 200 characters.",
            fix: "Give the file a shorter name (at most 200 characters, extension included).",
            // Inferred from the column size the certificate-era client documents: nomFichier varchar(200).
            source: "https://github.com/CPP-2017/ChorusPro (ChorusProAPI/Factures/DeposerFluxFacture.cs, "
                + "\"varchar(200)\"); chorus-api.md §5.1",
            confidence: .inferred,
            evaluate: { c in
                c.fileName.count > maximumFileNameLength
                    ? [CheckHit(["member": "nomFichier", "max": String(maximumFileNameLength)])] : []
            }),
        CheckRule(
            id: "file-extension", scope: .file, term: "-",
            message: "L'extension du fichier '{name}' n'est pas autorisée. Extensions possibles : {extensions}.",
            meaningFR: "Le nom du fichier n'a pas une extension acceptée pour un flux (xml, pdf, zip, tar, tar.gz, tgz).",
            meaningEN: "The file name has no extension accepted for a flux (xml, pdf, zip, tar, tar.gz, tgz).",
            fix: "Name the file after its content: .xml for UBL or CII, .pdf for Factur-X, .zip/.tar.gz for a lot.",
            // The portal refuses files without one of its extensions (communaute.chorus-pro.gouv.fr
            // "Déposer une facture unitaire ou par lot"); the list is the syntaxes' (inferred for the API).
            source: "https://communaute.chorus-pro.gouv.fr/documentation/deposer-une-facture-unitaire-ou-par-lot-2/",
            confidence: .inferred,
            evaluate: { c in
                let lower = c.fileName.lowercased()
                return fileExtensions.contains(where: { lower.hasSuffix("." + $0) })
                    ? []
                    : [CheckHit(["name": c.fileName, "extensions": fileExtensions.joined(separator: ", ")])]
            }),
        CheckRule(
            id: "xml-malformed", scope: .file, term: "-", code: "ERR_XSD_001",
            message: "IRRECEVABILITE: le fichier {name} n'est pas un document XML bien forme.",
            meaningFR: "Le fichier n'est pas un XML bien formé (balise non fermée, caractère interdit...) : "
                + "le flux est irrecevable.",
            meaningEN: "The file is not well-formed XML (an unclosed tag, a stray character...): the flux is "
                + "irrecevable (technical rejection, listeErreurTechnique).",
            fix: "Open the file in an XML editor or run `xmllint --noout FILE` to find the broken element, "
                + "then fix the export that wrote it.",
            // The code and the IRRECEVABILITE wording of XSD errors: KR test fixtures (chorus-api.md §5.3).
            source: "chorus-api.md §5.3 (listeErreurTechnique ERR_XSD_001 \"IRRECEVABILITE: ...\")",
            confidence: .verified,
            evaluate: { c in c.document == nil && c.looksLikeXML ? [CheckHit(["name": c.fileName])] : [] }),
        CheckRule(
            id: "not-an-invoice", scope: .file, term: "-", code: "ERR_XSD_001",
            message: "IRRECEVABILITE: le fichier {name} n'est pas une facture UBL, CII ou Factur-X.",
            meaningFR: "Le fichier n'est ni une facture UBL (Invoice, CreditNote), ni une facture CII "
                + "(CrossIndustryInvoice), ni un PDF Factur-X contenant une facture CII.",
            meaningEN: "The file is not a UBL Invoice or CreditNote, a CII CrossIndustryInvoice, nor a Factur-X "
                + "PDF with a CII invoice embedded.",
            fix: "Deposit the structured invoice (UBL or CII XML) or the Factur-X PDF, not a plain PDF or "
                + "another document.",
            source: "chorus-api.md §6.1 (the syntaxes deposerFluxFacture accepts)",
            confidence: .verified,
            evaluate: { c in
                c.document == nil && !c.looksLikeXML && c.size > 0 ? [CheckHit(["name": c.fileName])] : []
            }),
        CheckRule(
            id: "syntax-mismatch", scope: .file, term: "-", code: "ERR_XSD_001",
            message: "IRRECEVABILITE: le fichier {name} n'est pas conforme à la syntaxe déclarée {syntax}. "
                + "- ligne: 1 - position: 1",
            meaningFR: "Le fichier ne correspond pas à la syntaxe (syntaxeFlux) déclarée au dépôt.",
            meaningEN: "The file does not match the syntax (syntaxeFlux) it was deposited with.",
            fix: "Deposit UBL as IN_DP_E1_UBL_INVOICE, CII as IN_DP_E1_CII_16B and Factur-X as "
                + "IN_DP_E2_CII_FACTURX (chorus detects it from the content when no syntax is given).",
            source: "chorus-api.md §6.1 (syntaxeFlux per format, as OCA/l10n-france sends them)",
            confidence: .inferred,
            evaluate: { c in
                guard let declared = c.declaredSyntax, let document = c.document else { return [] }
                let accepted = CheckRules.formats[declared]
                return accepted == nil || accepted == document.format
                    ? [] : [CheckHit(["name": c.fileName, "syntax": declared])]
            }),
    ]

    /// The file format each readable syntax expects (the others are not read by chorus).
    public static let formats: [String: InvoiceDocument.Format] = [
        "IN_DP_E1_UBL_INVOICE": .ubl, "IN_DP_E1_CII": .cii, "IN_DP_E1_CII_16B": .cii, "IN_DP_E2_CII_FACTURX": .facturX,
    ]
}
