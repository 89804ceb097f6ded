import LuaRuntime

/// `chorus.invoices`: deposit, submit, search (both sides, all pages), read, history, download,
/// process, complete, recycle — over the official Factures operations, official field names kept.
enum InvoicesLua {
    static let docs: [String: FunctionDoc] = [
        "deposit": FunctionDoc(
            "Deposits an invoice file as a flux (deposerFluxFacture). file = path (read, base64-encoded, syntax detected: UBL, CII, Factur-X PDF), or data = bytes with name. Returns the answer: numeroFluxDepot, dateDepot, syntaxeFlux. Follow it with chorus.flows.wait.",
            parameters: [.init("options", "{file: string?, data: string?, name: string?, syntax: string?, signed: boolean?}")],
            returns: [.init("answer", "{numeroFluxDepot: string, dateDepot: string, syntaxeFlux: string}")],
            yields: true, raises: ["bad argument for a missing file or a file that is not an invoice", "chorus.Error"]),
        "submit": FunctionDoc(
            "Creates an invoice from structured data (soumettreFacture, modeDepot SAISIE_API by default); the table is the official payload. Returns the answer (identifiantFactureCPP, numeroFacture, statutFacture...).",
            parameters: [.init("invoice", "table", "official soumettreFacture fields")], returns: [.init("answer", "table")],
            yields: true),
        "search": FunctionDoc(
            "Searches invoices on the supplier side (side = 'supplier', default) or the recipient side (side = 'recipient'), all pages; other fields are the official criteria (numeroFluxDepot, numeroFacture, statutCourant, ...). Returns the list (empty when none).",
            parameters: [.init("query", "table?")], returns: [.init("invoices", "table[]")], yields: true),
        "each": FunctionDoc(
            "Like search, as an iterator fetching page by page: for invoice in chorus.invoices.each{...} do ... end.",
            parameters: [.init("query", "table?")], returns: [.init("iterator", "fun(): table?")], yields: true),
        "get": FunctionDoc(
            "Reads one invoice in full (consulterFacturePar...), or nil if it does not exist. Supplier side by default; {side = 'recipient'} for received invoices.",
            parameters: [.init("id", "integer", "identifiantFactureCPP / idFacture"), .init("options", "{side: string?}?")],
            returns: [.init("facture", "table?")], yields: true),
        "history": FunctionDoc(
            "The status history of an invoice (consulterHistoriqueFacture): statutCourantCode, historiquesDesStatuts.histoStatut[...]; nil if it does not exist.",
            parameters: [.init("id", "integer")], returns: [.init("history", "table?")], yields: true),
        "download": FunctionDoc(
            "Downloads invoices (telechargerGroupeFacture). format 'PDF' (default) or 'PIVOT'. With to = folder, writes the file there and returns {file, size}; otherwise returns the bytes.",
            parameters: [.init("options", "{ids: integer[], format: string?, to: string?, attachments: boolean?}")],
            returns: [.init("result", "string|{file: string, size: integer}")], yields: true),
        "process": FunctionDoc(
            "Moves a received invoice to a new status (traiterUneFactureRecue): MISE_A_DISPOSITION, SUSPENDUE, REJETEE, MANDATEE, MISE_EN_PAIEMENT, COMPTABILISEE, MISE_A_DISPOSITION_COMPTABLE, A_RECYCLER, SERVICE_FAIT. motif is required for REJETEE and SUSPENDUE.",
            parameters: [.init("options", "{id: integer, status: string, motif: string?, numeroDPMandat: string?}")],
            returns: [.init("answer", "table")], yields: true),
        "complete": FunctionDoc(
            "Completes a suspended invoice with a comment and attachments (completerFacture).",
            parameters: [.init("options", "{id: integer, comment: string?, attachments: table[]?}")],
            returns: [.init("answer", "table")], yields: true),
        "recycle": FunctionDoc(
            "Sends an invoice in status A_RECYCLER to another recipient or service (recyclerFacture).",
            parameters: [.init("options", "{id: integer, recipient: string, service: string?, comment: string?}")],
            returns: [.init("answer", "table")], yields: true),
    ]

    static let source = #"""
local lib, helpers = ...
local S = helpers.chorus
local chorus = helpers.namespace
local string_format, type, ipairs = string.format, type, ipairs

local SYNTAXES = { "IN_DP_E1_UBL_INVOICE", "IN_DP_E1_CII", "IN_DP_E1_PES_FACTURE", "IN_DP_E1_XCBL",
  "IN_DP_E2_UBL_INVOICE_MIN", "IN_DP_E2_CII_MIN", "IN_DP_E2_PES_FACTURE_MIN", "IN_DP_E2_CPP_FACTURE_MIN",
  "IN_DP_PDFARCHIVE_UBL_INVOICE_MUG", "IN_DP_PDFARCHIVE_CII_MUG", "IN_DP_E1_CII_16B", "IN_DP_E2_CII_MIN_16B",
  "IN_DP_E2_CII_FACTURX", "IN_DP_E3_UBL_INVOICE" }
local SYNTAX_SET = S.set(SYNTAXES)

function lib.deposit(options)
  S.options("deposit", 1, options, { "file", "data", "name", "syntax", "signed" })
  local data, name = options.data, options.name
  if options.file ~= nil then
    S.check("deposit", 1, options.file, "string")
    if data ~= nil then S.fail("deposit", 1, "give file or data, not both") end
    local err
    data, err = chorus.fs.read(options.file)
    if data == nil then S.fail("deposit", 1, string_format("cannot deposit '%s': %s", options.file, err)) end
    name = name or chorus.fs.basename(options.file)
  elseif data ~= nil then
    if type(data) ~= "string" then S.fail("deposit", 1, "data must be a string of bytes") end
    if type(name) ~= "string" then S.fail("deposit", 1, "name (the file name, with its extension) is required with data") end
  else
    S.fail("deposit", 1, "file (a path) or data (bytes, with name) is required")
  end
  local syntax = options.syntax
  if syntax == nil then
    syntax = S.detect(data)
    if syntax == nil then
      S.fail("deposit", 1, string_format("'%s' is not an invoice chorus recognises (UBL or CII XML, Factur-X PDF); pass syntax = 'IN_DP_...' to deposit it anyway", name))
    end
  elseif not SYNTAX_SET[syntax] then
    S.fail("deposit", 1, string_format("unknown syntax '%s' (the official syntaxeFlux values: %s)", tostring(syntax), table.concat(SYNTAXES, ", ")))
  end
  return S.call("factures.deposerFluxFacture", {
    fichierFlux = chorus.base64.encode(data), nomFichier = name, syntaxeFlux = syntax,
    avecSignature = options.signed == true,
  })
end

function lib.submit(invoice)
  S.check("submit", 1, invoice, "table")
  local payload = S.copy(invoice)
  payload.modeDepot = payload.modeDepot or "SAISIE_API"
  return S.call("factures.soumettreFacture", payload)
end

local SUPPLIER_FIELDS = { "idUtilisateurCourant", "listeDestinataire", "rechercheSirenDestinataire", "numeroFacture",
  "periodeDateDepotDu", "periodeDateDepotAu", "typeFacture", "idFournisseur", "idServiceFournisseur",
  "idStructureValideur", "cadreFacturation", "statutCourant", "periodeDateFactureDu", "periodeDateFactureAu",
  "montantHTMin", "montantHTMax", "montantTTCMin", "montantTTCMax", "montantApayerMin", "montantApayerMax",
  "coordonneeBancaire", "idUtilisateurCreateur", "numeroMarche", "numeroBonCommande", "numeroFactureOrigine",
  "modeDepot", "numeroFluxDepot", "rechercheFactureParFournisseur", "recupererTaille",
  "periodeDateHeureEtatCourantDu", "periodeDateHeureEtatCourantAu", "rejetTraite", "side", "page_size" }
local RECIPIENT_FIELDS = { "idUtilisateurCourant", "typeDemandePaiement", "idDestinataire", "idServiceExecutant",
  "numeroFacture", "periodeDateDepotDu", "periodeDateDepotAu", "listeTypeFacture", "listeTypeFactureTravaux",
  "listeFournisseurs", "rechercheSirenFournisseur", "idStructureValideur", "cadreFacturation", "statutCourant",
  "periodeDateFactureDu", "periodeDateFactureAu", "montantHTMin", "montantHTMax", "montantTTCMin", "montantTTCMax",
  "montantAPayerMin", "montantAPayerMax", "numeroMarche", "numeroBonCommande", "factureTelechargeeParDestinataire",
  "paramRecherche", "recupererTaille", "periodeDateHeureEtatCourantDu", "periodeDateHeureEtatCourantAu",
  "side", "page_size" }

-- The page fetcher for a query; the checks are done by the public function.
local function fetcher(query)
  local payload = S.copy(query)
  local side, size = payload.side or "supplier", payload.page_size
  payload.side, payload.page_size = nil, nil
  if type(payload.statutCourant) == "string" then payload.statutCourant = { payload.statutCourant } end
  if side == "recipient" then
    return S.pager("factures.rechercherFactureRecipiendaire", payload, "paramRecherche", "listeFactures", size)
  end
  return S.pager("factures.rechercherFactureParFournisseur", payload, "rechercheFactureParFournisseur", "listeFactures", size)
end

local function check_query(fname, query)
  if query == nil then return {} end
  S.check(fname, 1, query, "table")
  local side = query.side
  if side ~= nil and side ~= "supplier" and side ~= "recipient" then
    S.fail(fname, 1, string_format("side must be 'supplier' or 'recipient', not '%s'", tostring(side)))
  end
  return query, side == "recipient" and RECIPIENT_FIELDS or SUPPLIER_FIELDS
end

function lib.search(query)
  local q, fields = check_query("search", query)
  if fields then S.options("search", 1, q, fields) end
  return S.collect(fetcher(q))
end

function lib.each(query)
  local q, fields = check_query("each", query)
  if fields then S.options("each", 1, q, fields) end
  return S.iterate(fetcher(q))
end

function lib.get(id, options)
  S.id("get", 1, id, "invoice id")
  options = S.options("get", 2, options, { "side" }, true)
  local answer
  if options.side == "recipient" then
    answer = S.call("factures.consulterFactureParRecipiendaire", { identifiantFactureCPP = id, codeLangue = "FR" }, true)
  elseif options.side == nil or options.side == "supplier" then
    answer = S.call("factures.consulterFactureParFournisseur", { identifiantFactureCPP = id, codeLangue = "FR" }, true)
  else
    S.fail("get", 2, string_format("side must be 'supplier' or 'recipient', not '%s'", tostring(options.side)))
  end
  return answer and answer.facture
end

function lib.history(id)
  S.id("history", 1, id, "invoice id")
  return S.call("factures.consulterHistoriqueFacture", { idFacture = id }, true)
end

local function extension_of(data)
  if data:sub(1, 4) == "%PDF" then return "pdf" end
  if data:sub(1, 2) == "PK" then return "zip" end
  return "xml"
end

function lib.download(options)
  S.options("download", 1, options, { "ids", "format", "to", "attachments" })
  local ids = options.ids
  if type(ids) ~= "table" or #ids == 0 then S.fail("download", 1, "ids must be a non-empty list of invoice ids") end
  local list = {}
  for i, id in ipairs(ids) do
    if math.type(id) ~= "integer" then S.fail("download", 1, string_format("ids[%d] is not an integer id", i)) end
    list[i] = { idFacture = id }
  end
  local format = options.format or "PDF"
  if format ~= "PDF" and format ~= "PIVOT" then
    S.fail("download", 1, string_format("format must be 'PDF' or 'PIVOT', not '%s'", tostring(format)))
  end
  if options.to ~= nil then S.check("download", 1, options.to, "string") end
  local answer = S.call("factures.telechargerGroupeFacture", {
    format = format, listeFacture = list,
    avecPiecesJointesComplementaires = options.attachments == nil and chorus.null or (options.attachments and "OUI" or "NON"),
  })
  local data = chorus.base64.decode(answer.fichierResultat or "")
  if options.to == nil then return data end
  local file = string_format("%s/factures-%d%s.%s", options.to, ids[1], #ids > 1 and ("-" .. #ids) or "", extension_of(data))
  chorus.fs.write(file, data)
  return { file = file, size = #data }
end

local STATUSES = { "MISE_A_DISPOSITION", "SUSPENDUE", "REJETEE", "MANDATEE", "MISE_EN_PAIEMENT", "COMPTABILISEE",
  "MISE_A_DISPOSITION_COMPTABLE", "A_RECYCLER", "SERVICE_FAIT" }
local STATUS_SET = S.set(STATUSES)

function lib.process(options)
  S.options("process", 1, options, { "id", "status", "motif", "numeroDPMandat" })
  S.id("process", 1, options.id, "id")
  if not STATUS_SET[options.status] then
    S.fail("process", 1, string_format("status must be one of %s, not '%s'", table.concat(STATUSES, ", "), tostring(options.status)))
  end
  if (options.status == "REJETEE" or options.status == "SUSPENDUE") and type(options.motif) ~= "string" then
    S.fail("process", 1, string_format("motif (the reason) is required to set %s", options.status))
  end
  return S.call("factures.traiterUneFactureRecue", {
    idFacture = options.id, nouveauStatut = options.status, motif = options.motif, numeroDPMandat = options.numeroDPMandat,
  })
end

function lib.complete(options)
  S.options("complete", 1, options, { "id", "comment", "attachments" })
  S.id("complete", 1, options.id, "id")
  return S.call("factures.completerFacture", {
    identifiantFactureCPP = options.id, commentaire = options.comment,
    pieceJointeComplementaire = options.attachments,
  })
end

function lib.recycle(options)
  S.options("recycle", 1, options, { "id", "recipient", "service", "comment" })
  S.id("recycle", 1, options.id, "id")
  if type(options.recipient) ~= "string" then S.fail("recycle", 1, "recipient (codeDestinataire, a SIRET) is required") end
  return S.call("factures.recyclerFacture", {
    identifiantFactureCPP = options.id, commentaire = options.comment,
    destinataire = { codeDestinataire = options.recipient, codeServiceExecutant = options.service },
  })
end
"""#
}
