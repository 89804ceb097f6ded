extension CheckRules {
    /// The totals, the credit note specifics and the routing references' own format.
    static let totals: [CheckRule] = [
        CheckRule(
            id: "totals-missing", scope: .document, term: "BT-109, BT-112", at: Path.totalTTC, message: mandatory,
            meaningFR: "La facture ne donne pas son total HT ou son total TTC.",
            meaningEN: "The invoice does not give its total without VAT or its total with VAT.",
            fix: "Write the document totals (UBL cac:LegalMonetaryTotal, CII "
                + "ram:SpecifiedTradeSettlementHeaderMonetarySummation).",
            source: "EN 16931 BR-13, BR-14; wording as OCA/l10n-france#414",
            confidence: .inferred,
            evaluate: { c in
                for paths in [Path.totalHT, Path.totalTTC] where c.text(paths) == nil { return [c.hit(paths)] }
                return []
            }),
        CheckRule(
            id: "totals-inconsistent", scope: .document, term: "BT-109, BT-110, BT-112", at: Path.totalTTC,
            message: "Le montant TTC {ttc} (balise : {tag}.value) est different de la somme du montant HT {ht} "
                + "et du montant de TVA {tva}. ",
            meaningFR: "Le total TTC n'est pas égal au total HT plus le total de TVA.",
            meaningEN: "The total with VAT is not the total without VAT plus the total VAT.",
            fix: "Recompute the totals: TTC = HT + TVA (to the cent); check rounding of each VAT line.",
            // EN 16931 BR-CO-15, which Chorus Pro's EN 16931 controls apply; the wording is ours.
            source: "EN 16931 BR-CO-15 (https://github.com/ConnectingEurope/eInvoicing-EN16931)",
            confidence: .inferred,
            evaluate: { c in
                guard let ht = InvoiceDocument.amount(c.text(Path.totalHT)),
                    let ttc = InvoiceDocument.amount(c.text(Path.totalTTC))
                else { return [] }
                let tva = InvoiceDocument.amount(c.text(Path.totalTVA)) ?? 0
                guard abs(ht + tva - ttc) > 0.005 else { return [] }
                return [
                    c.hit(
                        Path.totalTTC,
                        ["ttc": c.text(Path.totalTTC) ?? "", "ht": c.text(Path.totalHT) ?? "",
                         "tva": c.text(Path.totalTVA) ?? "0"])
                ]
            }),
        CheckRule(
            id: "invoice-negative-total", scope: .document, term: "BT-112", at: Path.totalTTC,
            message: "Le montant TTC {value} d'une facture (balise : {tag}.value) ne peut pas etre negatif. ",
            meaningFR: "Une facture (type 380) a un total TTC négatif : c'est un avoir.",
            meaningEN: "An invoice (type 380) has a negative total: it is a credit note.",
            fix: "Issue a credit note (UBL CreditNote, or type code 381) with positive amounts instead.",
            // Inferred from typeFacture FACTURE/AVOIR: a refund is an AVOIR, not a negative FACTURE.
            source: "inferred (PISTE Swagger, Factures API, operation soumettreFacture, field references.typeFacture: "
                + "FACTURE or AVOIR; a refund is an AVOIR)",
            confidence: .inferred,
            evaluate: { c in
                guard c.document?.kind == .invoice, let text = c.text(Path.totalTTC),
                    let ttc = InvoiceDocument.amount(text), ttc < 0
                else { return [] }
                return [c.hit(Path.totalTTC, ["value": text])]
            }),
        CheckRule(
            id: "credit-note-negative", scope: .document, term: "BT-109, BT-112", at: Path.totalTTC,
            message: "Les montants d'un avoir (balise : {tag}.value) doivent etre positifs : {value}. ",
            meaningFR: "Un avoir porte des montants négatifs ; le type de document (avoir) dit déjà le sens.",
            meaningEN: "A credit note carries negative amounts; its type (credit note) already says the direction.",
            fix: "Write the credit note's amounts as positive numbers.",
            // EN 16931 (a credit note's amounts are positive; the type code gives the sign); inferred.
            source: "EN 16931 (credit note 381 with positive amounts); inferred",
            confidence: .inferred,
            evaluate: { c in
                guard c.document?.kind == .creditNote, let text = c.text(Path.totalTTC),
                    let ttc = InvoiceDocument.amount(text), ttc < 0
                else { return [] }
                return [c.hit(Path.totalTTC, ["value": text])]
            }),
        CheckRule(
            id: "credit-note-payment-means", severity: .warning, scope: .document, term: "BT-81",
            at: Path.paymentMeans,
            message: "Un avoir ne doit pas porter de moyen de paiement (balise : {tag}.value). ",
            meaningFR: "Un avoir porte un moyen de paiement ; OCA le refuse avant l'envoi à Chorus Pro.",
            meaningEN: "A credit note carries a payment means; OCA refuses that before sending to Chorus Pro.",
            fix: "Leave the payment means out of credit notes.",
            // OCA/l10n-france refuses a payment mode on refunds sent to Chorus; the platform's own
            // behaviour is not documented, hence a warning.
            source: "https://github.com/OCA/l10n-france/blob/16.0/l10n_fr_chorus_account/models/account_move.py "
                + "(\"The Payment Mode must be empty for customer refunds sent to Chorus\")",
            confidence: .claimed,
            evaluate: { c in
                guard c.document?.kind == .creditNote, c.text(Path.paymentMeans) != nil else { return [] }
                return [c.hit(Path.paymentMeans)]
            }),
        CheckRule(
            id: "service-code-characters", scope: .document, term: "BT-10", at: Path.service,
            message: "Le champ (FichierXml.{tag}.value) doit etre alphanumerique",
            meaningFR: "Le code service contient un caractère que Chorus Pro refuse (autorisés : lettres, "
                + "chiffres, '_', '-', espace, lettres accentuées).",
            meaningEN: "The service code holds a character Chorus Pro refuses (allowed: letters, digits, '_', "
                + "'-', space, accented letters).",
            fix: "Copy the service code exactly as the recipient's directory entry gives it "
                + "(`chorus call structures.rechercherServicesStructure`).",
            // The platform's message, reported in akretion/factur-x-libreoffice-extension#12.
            source: "https://github.com/akretion/factur-x-libreoffice-extension/issues/12",
            confidence: .verified,
            evaluate: { c in
                guard let code = c.text(Path.service),
                    !code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == " " })
                else { return [] }
                return [c.hit(Path.service, ["value": code])]
            }),
        CheckRule(
            id: "service-code-too-long", scope: .document, term: "BT-10", at: Path.service,
            message: "Le code service {value} (balise : {tag}.value) depasse 100 caracteres. ",
            meaningFR: "Le code service dépasse 100 caractères.",
            meaningEN: "The service code is longer than 100 characters.",
            fix: "Copy the service code from the recipient's directory entry; it is short.",
            // XP Z12-012 Annexe A, BT-10, Chorus Pro column: "limité à 100 caractères" (quoted in
            // Dolibarr/dolibarr-community-modules#691); the wording is ours.
            source: "https://github.com/Dolibarr/dolibarr-community-modules/pull/691 (XP Z12-012 Annexe A, BT-10)",
            confidence: .claimed,
            evaluate: { c in
                guard let code = c.text(Path.service), code.count > 100 else { return [] }
                return [c.hit(Path.service, ["value": code])]
            }),
        CheckRule(
            id: "engagement-too-long", scope: .document, term: "BT-13", at: Path.engagement,
            message: "Le numero d'engagement {value} depasse 50 caracteres (balise : {tag}.value). ",
            meaningFR: "Le numéro d'engagement juridique dépasse 50 caractères.",
            meaningEN: "The engagement juridique number is longer than 50 characters.",
            fix: "Give the engagement number (bon de commande) as the recipient wrote it; at most 50 characters.",
            // OCA checks 50 (raised from 10), after the AIFE delivery note V1.3.6 (OCA/l10n-france#275).
            source: "https://github.com/OCA/l10n-france/pull/275 (after page 4 of AIFE's delivery note V1.3.6, "
                + "https://communaute.chorus-pro.gouv.fr/wp-content/uploads/2019/03/"
                + "AIFE-Chorus-Pro-Note-de-livraison-V1.3.6_IT4.pdf)",
            confidence: .verified,
            evaluate: { c in
                guard let number = c.text(Path.engagement), number.count > 50 else { return [] }
                return [c.hit(Path.engagement, ["value": number])]
            }),
    ]
}
