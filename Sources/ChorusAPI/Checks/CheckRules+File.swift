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
            source: "inferred (the file itself is the deposit: PISTE Swagger, Factures API, operation "
                + "deposerFluxFacture, field fichierFlux, which clients fill with the file in base64: "
                + "https://github.com/OCA/l10n-france (l10n_fr_chorus_account/models/account_move.py, "
                + "prepare_chorus_deposer_flux_payload); an empty file carries no invoice)",
            confidence: .inferred,
            evaluate: { c in c.size == 0 ? [CheckHit(["member": "fichierFlux"])] : [] }),
        CheckRule(
            id: "file-too-large", scope: .file, term: "-", code: "GDP_MSG_11.022",
            message: "GDP_MSG_11.022 - La taille du fichier dépasse la taille maximale autorisée (10 Mo).",
            meaningFR: "Le flux dépasse 10 Mo : la plateforme le refuse au dépôt (codeRetour 20001).",
            meaningEN: "The flux is over 10 Mo: the platform refuses the deposit (codeRetour 20001).",
            fix: "Deposit smaller files: split a lot into several archives, compress attachments, or deposit "
                + "invoices one by one.",
            // Claimed: omnibill-chorus-pro's fixture, which its docs say is written from the API appendix of
            // AIFE's external specifications, V5.00 ("10 MB a file, 30 compressed"); never observed live.
            source: "https://github.com/glitchr-studio/omnibill-chorus-pro "
                + "(Tests/Fixtures/deposer-flux-trop-gros.json; docs/index.md: deposerFluxFacture \"10 MB a file, 30 "
                + "compressed\", read in the API appendix V5.00 of AIFE's external specifications, "
                + "https://communaute.chorus-pro.gouv.fr/documentation/external-specifications/?lang=en)",
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
                + "\"varchar(200)\"); PISTE Swagger, Factures API, operation deposerFluxFacture, field nomFichier "
                + "(a string, no maxLength given)",
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
            // AIFE: a flux that breaks its format's XSD is irrecevable, reported in consulterCRDetaille. The
            // code ERR_XSD_001 and the "IRRECEVABILITE: " prefix are read in a public client's test of
            // consulterCRDetaille whose repository we could not identify; AIFE's error appendix is the authority.
            source: "https://portail.chorus-pro.gouv.fr/aife_documentation?id=kb_article_view&sys_kb_id="
                + "b436366cc3575250d8b3b265e00131d4 (\"Tout flux constitué doit respecter les règles de format "
                + "(XSD)\"); https://communaute.chorus-pro.gouv.fr/show-detailed-report/?lang=en (consulterCRDetaille "
                + "reports the errors for the inadmissibility of the flow); listeErreurTechnique code ERR_XSD_001 and "
                + "its \"IRRECEVABILITE: ...\" wording as a public client's consulterCRDetaille test expects them",
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
            source: "PISTE Swagger, Factures API, operation deposerFluxFacture, field syntaxeFlux (13 values: UBL, "
                + "CII, PES, XCBL, Factur-X and their E2/PDF variants); "
                + "https://communaute.chorus-pro.gouv.fr/show-detailed-report/?lang=en (inadmissibility of the flow)",
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
            source: "inferred (PISTE Swagger, Factures API, operation deposerFluxFacture, field syntaxeFlux; the "
                + "syntax per format as https://github.com/OCA/l10n-france sends it: "
                + "l10n_fr_chorus_ubl/models/chorus_flow.py IN_DP_E1_UBL_INVOICE, "
                + "l10n_fr_chorus_facturx/models/chorus_flow.py IN_DP_E1_CII_16B and IN_DP_E2_CII_FACTURX, "
                + "syntax_odoo2chorus)",
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
