-- chorus.invoices: deposit, submit, search (both sides, all pages), read, history, download,
-- process, complete, recycle, over the official Factures operations (official field names kept).
local lib, helpers = ...
local S = helpers.chorus
local chorus = helpers.namespace
local string_format, type, ipairs = string.format, type, ipairs

local V = S.vocabulary
local deposit_raw = lib._deposit
lib._deposit = nil

-- The file goes to the host once (its path, or the bytes the script holds); the host reads it,
-- checks it, detects its syntax, encodes it and sends it, through the deposit ledger unless
-- ledger = false (unsafe: nothing then stops a second deposit of the same invoice).
function lib.deposit(options)
  S.options("deposit", 1, options, { "file", "data", "name", "syntax", "signed", "ledger", "force" })
  if options.ledger ~= nil and type(options.ledger) ~= "boolean" then S.fail("deposit", 1, "ledger must be true or false") end
  if options.force ~= nil and type(options.force) ~= "boolean" then S.fail("deposit", 1, "force must be true or false") end
  if options.force and options.ledger == false then S.fail("deposit", 1, "force needs the ledger (ledger = false sends anyway)") end
  local data, name = options.data, options.name
  if options.file ~= nil then
    S.check("deposit", 1, options.file, "string")
    if data ~= nil then S.fail("deposit", 1, "give file or data, not both") end
    if name ~= nil then S.check("deposit", 1, name, "string") end
  elseif data ~= nil then
    if type(data) ~= "string" then S.fail("deposit", 1, "data must be a string of bytes") end
    if type(name) ~= "string" then S.fail("deposit", 1, "name (the file name, with its extension) is required with data") end
  else
    S.fail("deposit", 1, "file (a path) or data (bytes, with name) is required")
  end
  local syntax = options.syntax
  if syntax ~= nil and not V.syntax_set[syntax] then
    S.fail("deposit", 1, string_format("unknown syntax '%s' (the official syntaxeFlux values: %s)", tostring(syntax), table.concat(V.syntaxes, ", ")))
  end
  local result = deposit_raw(options.file, data, name, syntax, options.signed == true, options.ledger ~= false, options.force == true, S.account())
  if result.refused then S.fail("deposit", 1, result.refused) end
  return result.answer
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

-- The platform names the same things differently in each operation; these read any of the shapes.
local STATUS_FIELDS = { "statutFacture", "statut", "statutCourantCode", "statutCourant", "statutPossiblePourTraitement" }
local ID_FIELDS = { "idFacture", "identifiantFactureCPP" }

function lib.status_of(value)
  if type(value) == "string" then return value end
  S.check("status_of", 1, value, "table")
  if type(value.facture) == "table" then value = value.facture end
  for _, field in ipairs(STATUS_FIELDS) do
    local v = value[field]
    if type(v) == "table" then v = v.code or v[1] end
    if type(v) == "string" then return v end
  end
  return nil
end

function lib.id_of(value)
  if math.type(value) == "integer" then return value end
  S.check("id_of", 1, value, "table")
  if type(value.facture) == "table" then value = value.facture end
  for _, field in ipairs(ID_FIELDS) do
    local v = value[field]
    if math.type(v) == "integer" then return v end
  end
  return nil
end

local function extension_of(data)
  if data:sub(1, 4) == "%PDF" then return "pdf" end
  if data:sub(1, 2) == "PK" then return "zip" end
  return "xml"
end

-- A file name from an invoice number (which may hold '/', spaces...).
local function safe_name(text)
  return (tostring(text):gsub("[^%w%-_.]", "_"))
end

-- The invoice number of an id, read as the supplier or as the recipient (nil when neither can see it).
local function number_of(id)
  for _, side in ipairs({ "supplier", "recipient" }) do
    local ok, facture = pcall(lib.get, id, { side = side })
    if ok and type(facture) == "table" and facture.numeroFacture then return facture.numeroFacture end
  end
  return nil
end

function lib.download(options)
  S.options("download", 1, options, { "ids", "format", "to", "attachments" })
  local ids = options.ids
  if type(ids) ~= "table" or #ids == 0 then S.fail("download", 1, "ids must be a non-empty list of invoice ids (or of invoices, as search returns them)") end
  local list, numbers = {}, {}
  for i, item in ipairs(ids) do
    local id = math.type(item) == "integer" and item or (type(item) == "table" and lib.id_of(item))
    if not id then S.fail("download", 1, string_format("ids[%d] is neither an integer id nor an invoice with idFacture", i)) end
    list[i] = { idFacture = id }
    numbers[i] = type(item) == "table" and item.numeroFacture or nil
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
  -- `to` names the file when its last part has an extension (`out/FA-1.pdf`), else the folder.
  local file = options.to
  if not file:match("[^/]%.%w+$") then
    local first = numbers[1] or number_of(list[1].idFacture) or ("facture-" .. list[1].idFacture)
    local stem = safe_name(first)
    if #list > 1 then stem = string_format("%s-and-%d-more", stem, #list - 1) end
    file = string_format("%s/%s.%s", (file:gsub("/+$", "")), stem, extension_of(data))
  end
  S.at_user_line(chorus.fs.write, file, data)
  return { file = file, size = #data }
end

local STATUSES = V.processing_statuses
local STATUS_SET = S.set(STATUSES)
local NEEDS_REASON = S.set(V.statuses_needing_reason)

function lib.process(options)
  S.options("process", 1, options, { "id", "status", "motif", "numeroDPMandat" })
  S.id("process", 1, options.id, "id")
  if not STATUS_SET[options.status] then
    S.fail("process", 1, string_format("status must be one of %s, not '%s'", table.concat(STATUSES, ", "), tostring(options.status)))
  end
  if NEEDS_REASON[options.status] and type(options.motif) ~= "string" then
    S.fail("process", 1, string_format("motif (the reason) is required to set %s", options.status))
  end
  return S.call("factures.traiterUneFactureRecue", {
    idFacture = options.id, nouveauStatut = options.status, motif = options.motif, numeroDPMandat = options.numeroDPMandat,
  })
end

-- The complementary attachments of complete: a path (uploaded for you), {file = path, name =, type =}
-- (uploaded too), or the official object {pieceJointeComplementaireId = ..., ...Designation, ...Type}.
local function attachment_items(fname, items)
  if items == nil then return nil end
  if type(items) ~= "table" then S.fail(fname, 1, string_format("attachments must be a list, got %s", S.typename(items))) end
  local list = {}
  for i, item in ipairs(items) do
    if type(item) == "string" then item = { file = item } end
    if type(item) ~= "table" then
      S.fail(fname, 1, string_format("attachments[%d] must be a path or a table, got %s", i, S.typename(item)))
    end
    if item.file ~= nil then
      for k in pairs(item) do
        if k ~= "file" and k ~= "name" and k ~= "type" then
          S.fail(fname, 1, string_format("attachments[%d] has file, so it takes only file, name and type, not '%s'", i, tostring(k)))
        end
      end
      local id = chorus.attachments.add{ file = item.file, name = item.name }
      list[i] = { pieceJointeComplementaireId = id,
        pieceJointeComplementaireDesignation = item.name or chorus.fs.basename(item.file),
        pieceJointeComplementaireType = item.type or "PIECE_JUSTIFICATIVE" }
    else
      list[i] = item
    end
  end
  return setmetatable(list, helpers.array_mt)
end

function lib.complete(options)
  S.options("complete", 1, options, { "id", "comment", "attachments" })
  S.id("complete", 1, options.id, "id")
  return S.call("factures.completerFacture", {
    identifiantFactureCPP = options.id, commentaire = options.comment,
    pieceJointeComplementaire = attachment_items("complete", options.attachments),
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
