import LuaRuntime

/// `chorus.invoices`: deposit, submit, search (both sides, all pages), read, history, download,
/// process, complete, recycle — over the official Factures operations, official field names kept.
enum InvoicesLua {
    static let docs: [String: FunctionDoc] = [
        "deposit": FunctionDoc(
            "Deposits an invoice file as a flux (deposerFluxFacture) through the deposit ledger. file = path (read, checked against the rules of chorus check as chorus deposit does, base64-encoded, syntax detected: UBL, CII, Factur-X PDF), or data = bytes with name. A file failing a rule raises its rule id and message. An invoice already deposited in this environment raises DUPLICATE (err.numeroFluxDepot is the earlier flux); force = true sends it anyway; ledger = false skips the ledger and the rules (unsafe: nothing stops a duplicate). Returns the answer: numeroFluxDepot, dateDepot, syntaxeFlux. Follow it with chorus.flows.wait.",
            parameters: [.init("options", "{file: string?, data: string?, name: string?, syntax: string?, signed: boolean?, force: boolean?, ledger: boolean?}")],
            returns: [.init("answer", "{numeroFluxDepot: string, dateDepot: string, syntaxeFlux: string, reconciled: boolean?, forced: boolean?}")],
            yields: true, raises: ["bad argument for a missing file or a file that fails the pre-deposit checks", "chorus.Error DUPLICATE, UNCERTAIN, ..."]),
        "submit": FunctionDoc(
            "Creates an invoice from structured data (soumettreFacture, modeDepot SAISIE_API by default); the table is the official payload. Returns the answer (identifiantFactureCPP, numeroFacture, statutFacture...).",
            parameters: [.init("invoice", "table", "official soumettreFacture fields")], returns: [.init("answer", "table")],
            yields: true),
        "search": FunctionDoc(
            "Searches invoices on the supplier side (side = 'supplier', default) or the recipient side (side = 'recipient'), all pages; other fields are the official criteria (numeroFluxDepot, numeroFacture, statutCourant, ...). Returns the list (empty when none).",
            parameters: [.init("query", "chorus.InvoiceQuery?")], returns: [.init("invoices", "table[]")], yields: true),
        "each": FunctionDoc(
            "Like search, as an iterator fetching page by page: for invoice in chorus.invoices.each{...} do ... end. The pages are fetched as the account the iterator was made in (chorus.as).",
            parameters: [.init("query", "chorus.InvoiceQuery?")], returns: [.init("iterator", "fun(): table?")], yields: true),
        "status_of": FunctionDoc(
            "The status of an invoice in any of the platform's shapes: statutFacture (get), statut (search), statutCourantCode (history), statutCourant (criteria), statutPossiblePourTraitement; a string is returned as is; nil when none is there.",
            parameters: [.init("value", "table|string", "an invoice, an answer, or a status")], returns: [.init("status", "string?")]),
        "id_of": FunctionDoc(
            "The id of an invoice in any of the platform's shapes: idFacture or identifiantFactureCPP (also inside a get answer's facture); an integer is returned as is; nil when none is there.",
            parameters: [.init("value", "table|integer")], returns: [.init("id", "integer?")]),
        "get": FunctionDoc(
            "Reads one invoice in full (consulterFacturePar...), or nil if it does not exist. Supplier side by default; {side = 'recipient'} for received invoices.",
            parameters: [.init("id", "integer", "identifiantFactureCPP / idFacture"), .init("options", "{side: string?}?")],
            returns: [.init("facture", "table?")], yields: true),
        "history": FunctionDoc(
            "The status history of an invoice (consulterHistoriqueFacture): statutCourantCode, historiquesDesStatuts.histoStatut[...]; nil if it does not exist.",
            parameters: [.init("id", "integer")], returns: [.init("history", "table?")], yields: true),
        "download": FunctionDoc(
            "Downloads invoices (telechargerGroupeFacture). ids are invoice ids or invoices (as search returns them). format 'PDF' (default) or 'PIVOT'. One id gives the file itself; several come back as one ZIP. With to, writes the file and returns {file, size}: to is the file when its last part has an extension (out/FA-1.pdf), else a folder, where the file is named by invoice number (FA-2026-001.pdf; FA-2026-001-and-2-more.zip for several); without to, returns the bytes.",
            parameters: [.init("options", "{ids: (integer|table)[], format: string?, to: string?, attachments: boolean?}")],
            returns: [.init("result", "string|{file: string, size: integer}")], yields: true),
        "process": FunctionDoc(
            "Moves a received invoice to a new status (traiterUneFactureRecue): one of MISE_A_DISPOSITION, PRISE_EN_COMPTE_DESTINATAIRE, SERVICE_FAIT, SUSPENDUE, REJETEE, MANDATEE, MISE_EN_PAIEMENT, COMPTABILISEE, MISE_A_DISPOSITION_COMPTABLE, A_RECYCLER (chorus.lookups.next_statuses says which, from the invoice's status). motif is required for SUSPENDUE, REJETEE and A_RECYCLER.",
            parameters: [.init("options", "{id: integer, status: string, motif: string?, numeroDPMandat: string?}")],
            returns: [.init("answer", "table")], yields: true),
        "complete": FunctionDoc(
            "Completes a suspended invoice with a comment and attachments (completerFacture). Each attachment is a path (uploaded for you with ajouterFichierDansSysteme), {file =, name =, type =} (uploaded too), or the official object with pieceJointeComplementaireId (from chorus.attachments.add).",
            parameters: [.init("options", "{id: integer, comment: string?, attachments: (string|chorus.CompleteAttachment)[]?}")],
            returns: [.init("answer", "table")], yields: true),
        "recycle": FunctionDoc(
            "Sends an invoice in status A_RECYCLER to another recipient or service (recyclerFacture).",
            parameters: [.init("options", "{id: integer, recipient: string, service: string?, comment: string?}")],
            returns: [.init("answer", "table")], yields: true),
    ]

    /// The Lua that defines them (`lua/invoices.lua`).
    static let source = LuaSource(name: "chorus/invoices.lua", bytes: PackageResources.invoices_lua, bytecode: PrecompiledLua.chunks["invoices.lua"])
}
