extension Catalog {
    /// The 22 operations of the official "Factures" Swagger (basePath `/cpro/factures`).
    static let factures: [ChorusOperation] = [
        ChorusOperation(
            .factures, "deposerFluxFacture", "/factures/v1/deposer/flux",
            "Deposit an invoice file (UBL, CII, Factur-X...) as a flux; follow it with consulterCRDetaille.",
            write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "soumettreFacture", "/factures/v1/soumettre",
            "Create and submit an invoice from structured data (SAISIE_API or an uploaded PDF).",
            write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "deposerPdfFacture", "/factures/v1/deposer/pdf",
            "Upload a PDF invoice for OCR reading; it must then be submitted with soumettreFacture.",
            write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "completerFacture", "/factures/v1/completer",
            "Add attachments or a comment to a suspended invoice (status SUSPENDUE).",
            write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "recyclerFacture", "/factures/v1/recycler",
            "Send an invoice in status A_RECYCLER to another recipient or service.",
            write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "corrigerValideurFacture", "/factures/v1/corriger/valideur/facture",
            "Change the validator structure of an invoice awaiting validation.",
            write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "rechercherFactureParFournisseur", "/factures/v1/rechercher/fournisseur",
            "Search the invoices sent by the supplier (by flux number, invoice number, status, dates...).",
            provenance: .swagger),
        ChorusOperation(
            .factures, "rechercherFactureRecipiendaire", "/factures/v1/rechercher/recipiendaire",
            "Search the invoices received by a recipient structure.",
            aliases: ["rechercherFactureParRecipiendaire"], provenance: .swagger),
        ChorusOperation(
            .factures, "rechercherFactureParValideur", "/factures/v1/rechercher/valideur",
            "Search the invoices a validator can see.", provenance: .swagger),
        ChorusOperation(
            .factures, "rechercherFactureATraiterParValideur", "/factures/v1/rechercher/aTraiter/valideur",
            "List the invoices waiting for an action of the validator.", provenance: .swagger),
        ChorusOperation(
            .factures, "rechercherFactureATraiterParRecipiendaire",
            "/factures/v1/rechercher/atraiter/recipiendaire",
            "List the received invoices waiting for an action of the recipient.",
            deprecated: true, provenance: .swagger),
        ChorusOperation(
            .factures, "rechercherFactureATraiterParFournisseur", "/factures/v1/rechercher/atraiter/fournisseur",
            "List the sent invoices waiting for an action of the supplier.",
            deprecated: true, provenance: .swagger),
        ChorusOperation(
            .factures, "rechercherDemandePaiement", "/factures/v1/rechercher/demandePaiement",
            "Search payment requests of every kind (not available in qualification).", provenance: .swagger),
        ChorusOperation(
            .factures, "consulterFactureParFournisseur", "/factures/v1/consulter/fournisseur",
            "Read one sent invoice in full (lines, VAT, attachments) by identifiantFactureCPP.",
            provenance: .swagger),
        ChorusOperation(
            .factures, "consulterFactureParRecipiendaire", "/factures/v1/consulter/recipiendaire",
            "Read one received invoice in full.", provenance: .swagger),
        ChorusOperation(
            .factures, "consulterFactureParValideur", "/factures/v1/consulter/valideur",
            "Read one invoice as its validator.", provenance: .swagger),
        ChorusOperation(
            .factures, "consulterHistoriqueFacture", "/factures/v1/consulter/historique",
            "Read the status history, events and user actions of an invoice.", provenance: .swagger),
        ChorusOperation(
            .factures, "telechargerGroupeFacture", "/factures/v1/telecharger/groupe",
            "Download several invoices as one base64 file (PDF or PIVOT); marks them downloaded.",
            provenance: .swagger),
        ChorusOperation(
            .factures, "traiterUneFactureRecue", "/factures/v1/traiter/recue",
            "Move a received invoice to a new status (suspend, reject, mandate, pay...).",
            write: true, aliases: ["traiterFactureRecue"], provenance: .swagger),
        ChorusOperation(
            .factures, "traiterFactureAValider", "/factures/v1/traiter/factureAValider",
            "Validate, refuse or suspend an invoice as its validator.", write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "traiterFacturesRejetees", "/factures/v1/traiterRejet",
            "Acknowledge rejected payment requests.", write: true, provenance: .swagger),
        ChorusOperation(
            .factures, "recupererStatutsFactureVisiblesParValideur",
            "/factures/v1/recuperer/statutsFactureVisibles/valideur",
            "List the invoice statuses a validator can see.", provenance: .swagger),
    ]

    /// The 6 operations of the official "Structures" Swagger (basePath `/cpro/structures`).
    static let structures: [ChorusOperation] = [
        ChorusOperation(
            .structures, "rechercherStructure", "/structures/v1/rechercher",
            "Find structures by SIRET or name; gives idStructureCPP.", provenance: .swagger),
        ChorusOperation(
            .structures, "consulterStructureAvecTVAIntraCom", "/structures/v1/consulter",
            "Read a structure: address, general information and its invoicing parameters.",
            aliases: ["consulterStructure"], provenance: .swagger),
        ChorusOperation(
            .structures, "rechercherServicesStructure", "/structures/v1/rechercher/services",
            "List the services (services exécutants) of a structure.", provenance: .swagger),
        ChorusOperation(
            .structures, "consulterServiceStructure", "/structures/v1/consulter/service",
            "Read one service of a structure and whether it requires an engagement number.",
            provenance: .swagger),
        ChorusOperation(
            .structures, "listerRattachementsStructureUtilisateur", "/structures/v1/lister/rattachementsutilisateur",
            "List the attachment requests of a user to the services of a structure.", provenance: .swagger),
        ChorusOperation(
            .structures, "rechercherEspaces", "/structures/v1/rechercher/espaces",
            "List the spaces (espaces) defined on a structure or one of its services.", provenance: .swagger),
    ]
}
