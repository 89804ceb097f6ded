extension CheckRules {
    /// The recipient's live requirements and the supplier's existence, from the directory.
    static let recipient: [CheckRule] = [
        CheckRule(
            id: "supplier-unknown", scope: .live, term: "BT-29", at: Path.supplier,
            message: "L'identifiant fournisseur de la demande de paiement (balise : {tag}.value) n'est pas "
                + "reference dans notre systeme. ",
            meaningFR: "Le SIRET du fournisseur n'est pas une structure connue de Chorus Pro dans cet environnement.",
            meaningEN: "The supplier's SIRET is not a structure Chorus Pro knows in this environment.",
            fix: "Write your own SIRET as registered on Chorus Pro (qualification knows only its matelas SIRETs); "
                + "`chorus call structures.rechercherStructure` finds it.",
            // The platform's exact message, AIFE's consulterCRDetaille example (libelleErreurDP).
            source: "https://communaute.chorus-pro.gouv.fr/show-detailed-report/?lang=en (AIFE's consulterCRDetaille "
                + "example, listeErreurDP.libelleErreurDP)",
            confidence: .verified,
            evaluate: { c in c.supplier?.known == false ? [c.hit(Path.supplier)] : [] }),
        CheckRule(
            id: "recipient-unknown", scope: .live, term: "BT-46", at: Path.recipient,
            message: "L'identifiant destinataire de la demande de paiement (balise : {tag}.value) n'est pas "
                + "reference dans notre systeme. ",
            meaningFR: "Le SIRET du destinataire n'est pas une structure publique connue de Chorus Pro dans cet "
                + "environnement.",
            meaningEN: "The recipient's SIRET is not a public structure Chorus Pro knows in this environment.",
            fix: "Check the recipient's SIRET in the Chorus Pro directory (`chorus call structures.rechercherStructure`); "
                + "qualification knows only its matelas SIRETs.",
            // Same wording as the supplier's, for the recipient (inferred from the AIFE example).
            source: "https://communaute.chorus-pro.gouv.fr/show-detailed-report/?lang=en (the supplier case's "
                + "wording); inferred for the recipient",
            confidence: .inferred,
            evaluate: { c in c.recipient == .unknown ? [c.hit(Path.recipient)] : [] }),
        CheckRule(
            id: "recipient-inactive", scope: .live, term: "BT-46", at: Path.recipient,
            message: "Le destinataire {siret} de la demande de paiement n'est pas actif. ",
            meaningFR: "La structure destinataire existe mais n'est plus active sur Chorus Pro.",
            meaningEN: "The recipient structure exists but is no longer active on Chorus Pro.",
            fix: "Ask the recipient which structure now receives its invoices (a merger or reorganisation "
                + "usually moves them).",
            source: "inferred (PISTE Swagger, Structures API, operation rechercherStructure, field "
                + "listeStructures.statut: ACTIVE or INACTIVE); wording ours",
            confidence: .inferred,
            evaluate: { c in
                guard case .known(let r) = c.recipient, !r.active else { return [] }
                return [c.hit(Path.recipient, ["siret": r.siret])]
            }),
        CheckRule(
            id: "service-unknown", scope: .live, term: "BT-10", at: Path.service,
            message: "Le code service {value} (balise : {tag}.value) n'est pas reference pour le destinataire {siret}. ",
            meaningFR: "Le code service n'est pas un service du destinataire.",
            meaningEN: "The service code is not one of the recipient's services.",
            fix: "Use a service code the recipient lists (`chorus call structures.rechercherServicesStructure`).",
            source: "https://github.com/OCA/l10n-france/blob/16.0/l10n_fr_chorus_account/models/account_move.py "
                + "(the service must be the recipient's and active); wording ours",
            confidence: .inferred,
            evaluate: { c in
                guard case .known(let r) = c.recipient, let services = r.services, let code = c.text(Path.service),
                    services[code] == nil
                else { return [] }
                return [c.hit(Path.service, ["value": code, "siret": r.siret])]
            }),
        CheckRule(
            id: "service-inactive", scope: .live, term: "BT-10", at: Path.service,
            message: "Le service {value} du destinataire {siret} n'est pas actif. ",
            meaningFR: "Le service exécutant existe mais n'est plus actif.",
            meaningEN: "The service exists but is no longer active.",
            fix: "Ask the recipient for its current service code.",
            source: "https://github.com/OCA/l10n-france/blob/16.0/l10n_fr_chorus_account/models/account_move.py "
                + "(\"the Chorus service must be active\"); wording ours",
            confidence: .inferred,
            evaluate: { c in
                guard case .known(let r) = c.recipient, let code = c.text(Path.service),
                    r.services?[code]?.active == false
                else { return [] }
                return [c.hit(Path.service, ["value": code, "siret": r.siret])]
            }),
        CheckRule(
            id: "service-factures-publiques", scope: .live, term: "BT-10", at: Path.service,
            message: "Le service FACTURES_PUBLIQUES est reserve a la facturation entre structures publiques "
                + "(balise : {tag}.value). ",
            meaningFR: "Le service FACTURES_PUBLIQUES ne reçoit que les factures entre structures publiques.",
            meaningEN: "The FACTURES_PUBLIQUES service only receives invoices between public structures.",
            fix: "A private supplier uses one of the recipient's other services, or none when it requires none.",
            source: "https://communaute.chorus-pro.gouv.fr/documentation/guide-dutilisation-de-lannuaire-des-"
                + "structures-publiques-dans-chorus-pro/ (\"Le Service des factures publiques est exclusivement dédié "
                + "à la facturation intra-sphère publique\"), as https://github.com/OCA/l10n-france quotes it "
                + "(l10n_fr_chorus_account/models/chorus_partner_service.py, service_factures_publiques_dont_use)",
            confidence: .verified,
            evaluate: { c in
                guard c.text(Path.service) == "FACTURES_PUBLIQUES", c.supplier?.isPrivate == true else { return [] }
                return [c.hit(Path.service)]
            }),
        CheckRule(
            id: "service-engagement-required", scope: .live, term: "BT-13", at: Path.engagement,
            message: "Le numero d'engagement est obligatoire pour le service {service} du destinataire {siret} "
                + "(balise : {tag}.value). ",
            meaningFR: "Le service exécutant exige un numéro d'engagement juridique, absent de la facture.",
            meaningEN: "The service requires an engagement juridique number, which the invoice lacks.",
            fix: "Write the engagement number (bon de commande) the recipient gave (UBL cac:OrderReference/cbc:ID, "
                + "CII ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID).",
            source: "https://github.com/OCA/l10n-france/pull/178 (engagement_required on a Chorus service)",
            confidence: .verified,
            evaluate: { c in
                guard case .known(let r) = c.recipient, let code = c.text(Path.service),
                    r.services?[code]?.engagementRequired == true, c.text(Path.engagement) == nil
                else { return [] }
                return [c.hit(Path.engagement, ["service": code, "siret": r.siret])]
            }),
        CheckRule(
            id: "service-or-engagement-required", scope: .live, term: "BT-10, BT-13", at: Path.service,
            message: "Le code service ou le numero d'engagement doit etre renseigne pour le destinataire {siret} "
                + "(balises : {tag}.value, {tag2}.value). ",
            meaningFR: "Le destinataire (gestionNumeroEJOuCodeService) exige un code service ou un numéro "
                + "d'engagement ; la facture n'a ni l'un ni l'autre.",
            meaningEN: "The recipient (gestionNumeroEJOuCodeService) requires a service code or an engagement "
                + "number; the invoice has neither.",
            fix: "Write the service code (BT-10) or the engagement number (BT-13) the recipient gave.",
            source: "PISTE Swagger, Structures API, operation consulterStructureAvecTVAIntraCom, field "
                + "parametres.gestionNumeroEJOuCodeService; https://github.com/OCA/l10n-france "
                + "(l10n_fr_chorus_account/models/res_partner.py, fr_chorus_api_structures_consulter: "
                + "service_or_engagement)",
            confidence: .verified,
            evaluate: { c in
                guard case .known(let r) = c.recipient, r.serviceOrEngagement, c.text(Path.service) == nil,
                    c.text(Path.engagement) == nil
                else { return [] }
                let tag2 = (c.format == .ubl ? Path.engagement.ubl : Path.engagement.cii)
                    .replacingASCII("/", with: ".")
                return [c.hit(Path.service, ["siret": r.siret, "tag2": tag2])]
            }),
        CheckRule(
            id: "service-required", scope: .live, term: "BT-10", at: Path.service,
            message: "Le code service est obligatoire pour le destinataire {siret} (balise : {tag}.value). ",
            meaningFR: "Le destinataire exige un code service (codeServiceDoitEtreRenseigne) ; la facture n'en a pas.",
            meaningEN: "The recipient requires a service code (codeServiceDoitEtreRenseigne); the invoice has none.",
            fix: "Write the recipient's service code in the buyer reference (UBL cbc:BuyerReference, CII "
                + "ram:BuyerReference).",
            // The rejection integrators see most (Tempolia's FAQ quotes it for BuyerReference).
            source: "https://cloud.tempolia.fr/en/faq/34-manage-rejections-chorus-pro.html; PISTE Swagger, Structures "
                + "API, operation consulterStructureAvecTVAIntraCom, field parametres.codeServiceDoitEtreRenseigne",
            confidence: .verified,
            evaluate: { c in
                guard case .known(let r) = c.recipient, r.serviceRequired, !r.serviceOrEngagement,
                    c.text(Path.service) == nil
                else { return [] }
                return [c.hit(Path.service, ["siret": r.siret])]
            }),
        CheckRule(
            id: "engagement-required", scope: .live, term: "BT-13", at: Path.engagement,
            message: "Le numero d'engagement est obligatoire pour le destinataire {siret} (balise : {tag}.value). ",
            meaningFR: "Le destinataire exige un numéro d'engagement juridique (numeroEJDoitEtreRenseigne) ; la "
                + "facture n'en a pas.",
            meaningEN: "The recipient requires an engagement juridique number (numeroEJDoitEtreRenseigne); the "
                + "invoice has none.",
            fix: "Write the engagement number (bon de commande) in the order reference (UBL cac:OrderReference/cbc:ID, "
                + "CII ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID).",
            source: "https://cloud.tempolia.fr/en/faq/34-manage-rejections-chorus-pro.html; PISTE Swagger, Structures "
                + "API, operation consulterStructureAvecTVAIntraCom, field parametres.numeroEJDoitEtreRenseigne",
            confidence: .verified,
            evaluate: { c in
                guard case .known(let r) = c.recipient, r.engagementRequired, !r.serviceOrEngagement,
                    c.text(Path.engagement) == nil
                else { return [] }
                return [c.hit(Path.engagement, ["siret": r.siret])]
            }),
        CheckRule(
            id: "engagement-unknown", scope: .live, term: "BT-13", at: Path.engagement,
            message: "Le numero d'engagement {value} (balise : {tag}.value) n'existe pas pour le destinataire {siret}. ",
            meaningFR: "Le numéro d'engagement n'existe pas chez ce destinataire (ses engagements sont gérés dans "
                + "Chorus, comme pour l'État).",
            meaningEN: "The engagement number does not exist for this recipient (whose engagements Chorus holds, "
                + "as for the State).",
            fix: "Copy the engagement number from the purchase order; `chorus call engagementsJuridiques.rechercherEngagementJuridique` "
                + "searches it.",
            // OCA checks the number with engagementsJuridiques/rechercher before sending
            // (chorus_invoice_check_commitment_number); which recipients the platform checks is inferred.
            source: "https://github.com/OCA/l10n-france/blob/16.0/l10n_fr_chorus_account/models/account_move.py "
                + "(chorus_invoice_check_commitment_number, which asks engagementsJuridiques/v1/rechercher)",
            confidence: .inferred,
            evaluate: { c in
                guard case .known(let r) = c.recipient, r.managesEngagements, let known = r.engagements,
                    let number = c.text(Path.engagement), !known.contains(number)
                else { return [] }
                return [c.hit(Path.engagement, ["value": number, "siret": r.siret])]
            }),
    ]

    /// What only the platform knows: the simulator applies these, `chorus explain` explains them.
    static let platform: [CheckRule] = [
        CheckRule(
            id: "supplier-not-attached", scope: .platform, term: "BT-29", at: Path.supplier,
            message: "L'utilisateur n'est pas rattache a la structure fournisseur {siret} de la demande de paiement "
                + "(balise : {tag}.value). ",
            meaningFR: "Le compte technique qui dépose n'est pas rattaché à la structure fournisseur de la facture.",
            meaningEN: "The depositing technical account is not attached to the invoice's supplier structure.",
            fix: "Deposit with the technical account of that supplier, or attach the account to the structure on "
                + "the portal (gestionnaire principal); `chorus doctor` shows the account's structures.",
            source: "inferred (AIFE/PISTE onboarding guide \"Réussir son raccordement Chorus Pro en mode API OAuth2\": "
                + "the raccordement and its technical account are made for one chosen structure; the account's "
                + "structures: utilisateurs/v1/monCompte/recuperer/rattachements, "
                + "https://github.com/antoine2116/go-choruspro utilisateurs_rattachements.go); wording ours",
            confidence: .inferred,
            evaluate: { c in c.supplier?.attached == false ? [c.hit(Path.supplier, ["siret": c.document?.supplierSiret ?? ""])] : [] }),
        CheckRule(
            id: "invoice-duplicate", scope: .platform, term: "BT-1", at: Path.number,
            message: "La facture numero {value} existe deja pour le fournisseur {siret}. ",
            meaningFR: "Ce fournisseur a déjà déposé une facture avec ce numéro.",
            meaningEN: "This supplier already deposited an invoice with this number.",
            fix: "Do not send it again (`chorus ledger show` tells where it went); a corrected invoice needs a new "
                + "number, or a credit note.",
            source: "inferred (EN 16931 BT-1: an invoice number identifies the invoice for its seller); wording ours",
            confidence: .inferred),
    ]
}
