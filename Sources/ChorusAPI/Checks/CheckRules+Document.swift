extension CheckRules {
    /// Longest invoice number.
    public static let maximumNumberLength = 20

    /// The invoice's own content: number, date, currency, cadre, payment means, totals, credit notes.
    static let document: [CheckRule] = [
        CheckRule(
            id: "invoice-number-missing", scope: .document, term: "BT-1", at: Path.number, message: mandatory,
            meaningFR: "La facture n'a pas de numéro.",
            meaningEN: "The invoice has no number.",
            fix: "Write the invoice number in the element named (UBL cbc:ID, CII rsm:ExchangedDocument/ram:ID).",
            // The platform's wording for any missing mandatory element (OCA/l10n-france#414); BT-1 is
            // mandatory in EN 16931 (BR-02).
            source: "https://github.com/OCA/l10n-france/issues/414 (wording); EN 16931 BR-02",
            confidence: .verified,
            evaluate: { c in c.text(Path.number) == nil ? [c.hit(Path.number)] : [] }),
        CheckRule(
            id: "invoice-number-too-long", scope: .document, term: "BT-1", at: Path.number,
            message: "Le numero de facture {value} (balise : {tag}.value) depasse 20 caracteres. ",
            meaningFR: "Le numéro de facture dépasse 20 caractères, la longueur que Chorus Pro accepte.",
            meaningEN: "The invoice number is longer than the 20 characters Chorus Pro accepts.",
            fix: "Use invoice numbers of at most 20 characters (drop a prefix or separators in the numbering).",
            // Claimed: integrators report rejections of longer numbers (issue tracker summaries); no AIFE text
            // at hand states the limit, and the Swagger gives numeroFacture no maxLength. The platform's exact
            // wording is not public: this one is ours.
            source: "integrators' reports (OCA/l10n-france, vendor FAQs); not in the PISTE Swagger, Factures API "
                + "(numeroFacture has no maxLength); the wording is ours",
            confidence: .claimed,
            evaluate: { c in
                guard let number = c.text(Path.number), number.count > maximumNumberLength else { return [] }
                return [c.hit(Path.number, ["value": number])]
            }),
        CheckRule(
            id: "issue-date-missing", scope: .document, term: "BT-2", at: Path.issueDate, message: mandatory,
            meaningFR: "La facture n'a pas de date d'émission.",
            meaningEN: "The invoice has no issue date.",
            fix: "Write the issue date (UBL cbc:IssueDate as YYYY-MM-DD, CII udt:DateTimeString format 102 as YYYYMMDD).",
            source: "EN 16931 BR-03; wording as OCA/l10n-france#414",
            confidence: .inferred,
            evaluate: { c in c.text(Path.issueDate) == nil ? [c.hit(Path.issueDate)] : [] }),
        CheckRule(
            id: "issue-date-invalid", scope: .document, term: "BT-2", at: Path.issueDate,
            message: "La date de facture {value} (balise : {tag}.value) n'est pas une date valide. ",
            meaningFR: "La date d'émission n'est pas une date du calendrier au format attendu.",
            meaningEN: "The issue date is not a calendar date in the expected format.",
            fix: "UBL: YYYY-MM-DD (2026-11-02); CII: YYYYMMDD with format=\"102\" (20261102).",
            // The XSD types of both syntaxes (xs:date; format 102) make a wrong date irrecevable.
            source: "UBL 2.1 and CII D16B XSD date types; a flux must respect its XSD: "
                + "https://portail.chorus-pro.gouv.fr/aife_documentation?id=kb_article_view&sys_kb_id="
                + "b436366cc3575250d8b3b265e00131d4",
            confidence: .inferred,
            evaluate: { c in
                guard let raw = c.text(Path.issueDate) else { return [] }
                let day = InvoiceDocument.isoDate(raw) ?? raw
                let shapeOK = c.format == .ubl ? raw.count == 10 : raw.count == 8
                return shapeOK && Identifiers.isDay(day) ? [] : [c.hit(Path.issueDate, ["value": raw])]
            }),
        CheckRule(
            id: "issue-date-future", severity: .warning, scope: .document, term: "BT-2", at: Path.issueDate,
            message: "La date de facture {value} (balise : {tag}.value) est posterieure a la date de depot. ",
            meaningFR: "La facture est datée après le jour du dépôt.",
            meaningEN: "The invoice is dated after the day it is deposited.",
            fix: "Deposit the invoice on or after its issue date, or correct the date.",
            // Inferred: the portal does not let an invoice be dated in the future; the wording is ours. A
            // warning: the deposit day depends on the machine's clock and zone, the platform's does not.
            source: "inferred (portal behaviour; no public message)",
            confidence: .inferred,
            evaluate: { c in
                guard let raw = c.text(Path.issueDate), let day = InvoiceDocument.isoDate(raw), Identifiers.isDay(day),
                    day > c.today
                else { return [] }
                return [c.hit(Path.issueDate, ["value": raw])]
            }),
        CheckRule(
            id: "currency-missing", scope: .document, term: "BT-5", at: Path.currency, message: mandatory,
            meaningFR: "La facture n'indique pas sa devise.",
            meaningEN: "The invoice does not give its currency.",
            fix: "Write the ISO 4217 currency code (EUR) in the element named.",
            source: "EN 16931 BR-05; wording as OCA/l10n-france#414",
            confidence: .inferred,
            evaluate: { c in c.text(Path.currency) == nil ? [c.hit(Path.currency)] : [] }),
        CheckRule(
            id: "currency-invalid", scope: .document, term: "BT-5", at: Path.currency,
            message: "Le code devise {value} (balise : {tag}.value) n'est pas reference dans notre systeme. ",
            meaningFR: "Le code devise n'est pas un code ISO 4217 connu de Chorus Pro.",
            meaningEN: "The currency code is not an ISO 4217 code Chorus Pro knows.",
            fix: "Use a three-letter ISO 4217 code in capitals (EUR, USD...); `chorus call transverses.recupererDevises` lists them.",
            // The platform's list is recupererDevises (Transverses); the wording is ours.
            source: "https://github.com/antoine2116/go-choruspro (transverses_misc.go, RecupererDevises: "
                + "transverses/v1/recuperer/devises, the currency codes an invoice may carry); ISO 4217; wording ours",
            confidence: .inferred,
            evaluate: { c in
                guard let code = c.text(Path.currency), !Identifiers.currencies.contains(code) else { return [] }
                return [c.hit(Path.currency, ["value": code])]
            }),
        CheckRule(
            id: "cadre-unknown", scope: .document, term: "BT-23", at: Path.cadre,
            message: "Le cadre de facturation {value} (balise : {tag}.value) n'est pas reference dans notre systeme. ",
            meaningFR: "Le cadre de facturation indiqué (A1, A2, A9...) n'est pas un de ceux de Chorus Pro.",
            meaningEN: "The billing frame (cadre de facturation: A1, A2, A9...) is not one of Chorus Pro's.",
            fix: "Use one of the platform's frames: A1 (invoice), A2 (already paid), A9 (subcontractor), "
                + "A12 (co-contractor)...; leave the element out for a plain supplier invoice (A1).",
            // The values: codeCadreFacturation in the Factures Swagger. That the flux carries it in BT-23 is
            // inferred; only values shaped like a frame (A<digits>) are checked, so a Peppol profile id passes.
            source: "PISTE Swagger, Factures API: codeCadreFacturation (soumettreFacture, cadreDeFacturation: A1, A2, "
                + "A9, A12; CadreDeFacturationOutput: A1...A25); BT-23 placement inferred",
            confidence: .inferred,
            evaluate: { c in
                guard let value = c.text(Path.cadre), value.first == "A", value.dropFirst().first?.isNumber == true
                else { return [] }
                let short = String(value.prefix { $0 != "_" })
                return cadres.contains(short) || cadreNames.contains(value) ? [] : [c.hit(Path.cadre, ["value": value])]
            }),
        CheckRule(
            id: "payment-means-missing", scope: .document, term: "BT-81", at: Path.paymentMeans, message: mandatory,
            meaningFR: "La facture n'indique pas de moyen de paiement (code UNTDID 4461, par exemple 30 pour un virement).",
            meaningEN: "The invoice gives no payment means code (UNTDID 4461, e.g. 30 for a credit transfer).",
            fix: "Add the payment means with its type code (CII ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode, "
                + "UBL cac:PaymentMeans/cbc:PaymentMeansCode), e.g. 30 or 58 with the IBAN.",
            // The platform's exact message (OCA/l10n-france#414, #612, invoicerr live runs).
            source: "https://github.com/OCA/l10n-france/issues/414; https://github.com/OCA/l10n-france/issues/612",
            confidence: .verified,
            evaluate: { c in
                guard c.document?.kind == .invoice else { return [] }
                let codes = c.elements(c.format == .ubl ? Path.paymentMeans.ubl : Path.paymentMeans.cii)
                return codes.contains { !$0.text.isEmpty } ? [] : [c.hit(Path.paymentMeans)]
            }),
        CheckRule(
            id: "iban-missing", scope: .document, term: "BT-84", at: Path.iban,
            message: "L'element FichierXml.{tag}.value est obligatoire pour le moyen de paiement {value}.",
            meaningFR: "Le moyen de paiement est un virement, mais la facture ne donne pas l'IBAN à créditer.",
            meaningEN: "The payment means is a credit transfer, but the invoice gives no IBAN to pay into.",
            fix: "Add the IBAN of the account to credit (CII ram:PayeePartyCreditorFinancialAccount/ram:IBANID, "
                + "UBL cac:PayeeFinancialAccount/cbc:ID).",
            // OCA refuses to send a credit transfer (30, 31, 42) without an IBAN; EN 16931 BR-61 (30, 58).
            source: "https://github.com/OCA/l10n-france/blob/16.0/l10n_fr_chorus_account/models/account_move.py "
                + "(CREDIT_TRF_CODES); EN 16931 BR-61",
            confidence: .inferred,
            evaluate: { c in
                guard c.document?.kind == .invoice else { return [] }
                let means = c.elements(c.format == .ubl ? "PaymentMeans" : Path.settlement + "/SpecifiedTradeSettlementPaymentMeans")
                for node in means {
                    let code = node.child(c.format == .ubl ? "PaymentMeansCode" : "TypeCode")?.text ?? ""
                    guard creditTransferCodes.contains(code) else { continue }
                    let account = c.format == .ubl
                        ? node.at("PayeeFinancialAccount", "ID")?.text
                        : node.at("PayeePartyCreditorFinancialAccount", "IBANID")?.text
                            ?? node.at("PayeePartyCreditorFinancialAccount", "ProprietaryID")?.text
                    if (account ?? "").isEmpty {
                        var hit = c.hit(Path.iban, ["value": code])
                        hit.line = node.line
                        return [hit]
                    }
                }
                return []
            }),
        CheckRule(
            id: "iban-invalid", scope: .document, term: "BT-84", at: Path.iban,
            message: "L'IBAN {value} (balise : {tag}.value) n'est pas valide. ",
            meaningFR: "L'IBAN à créditer n'a pas une clé de contrôle correcte (ISO 13616).",
            meaningEN: "The IBAN to pay into fails its check digits (ISO 13616).",
            fix: "Copy the IBAN again from the bank details (RIB); spaces are allowed, other characters are not.",
            // Chorus Pro only accepts IBANs (OCA account_move.py); the checksum test is inferred.
            source: "https://github.com/OCA/l10n-france/blob/16.0/l10n_fr_chorus_account/models/account_move.py "
                + "(\"Chorus only accepts IBAN\"); ISO 13616",
            confidence: .inferred,
            evaluate: { c in
                c.elements(c.format == .ubl ? Path.iban.ubl : Path.iban.cii).compactMap { node in
                    guard !node.text.isEmpty, !Identifiers.ibanPasses(node.text) else { return nil }
                    var hit = c.hit(Path.iban, ["value": node.text])
                    hit.line = node.line
                    return hit
                }
            }),
    ] + totals

    /// UNTDID 4461 codes of a credit transfer (OCA's CREDIT_TRF_CODES, plus 58, SEPA credit transfer).
    static let creditTransferCodes: Set<String> = ["30", "31", "42", "58"]

    /// The short forms of the platform's billing frames (A1 to A25).
    static let cadres: Set<String> = Set((1...25).map { "A\($0)" })
    /// The full codeCadreFacturation values soumettreFacture takes.
    static let cadreNames: Set<String> = [
        "A1_FACTURE_FOURNISSEUR", "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE", "A9_FACTURE_SOUSTRAITANT",
        "A12_FACTURE_COTRAITANT",
    ]
}
