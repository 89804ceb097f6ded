local lib, helpers = ...
local S = helpers.chorus
local chorus = helpers.namespace
local string_format, type, pairs = string.format, type, pairs

-- The first list in an answer (lookups name their list differently).
local function first_list(answer)
  if answer == nil then return setmetatable({}, helpers.array_mt) end
  local keys = {}
  for k in pairs(answer) do if type(k) == "string" and k:sub(1, 5) == "liste" then keys[#keys + 1] = k end end
  table.sort(keys)
  return answer[keys[1]] or setmetatable({}, helpers.array_mt)
end

local attachments, commitments, account, lookups, works = {}, {}, {}, {}, {}
lib.attachments, lib.commitments, lib.account, lib.lookups, lib.works_invoices = attachments, commitments, account, lookups, works

local MIME = { pdf = "application/pdf", xml = "application/xml", png = "image/png", jpg = "image/jpeg",
  jpeg = "image/jpeg", txt = "text/plain", csv = "text/csv", zip = "application/zip" }

-- Uploads a file; its pieceJointeId serves completerFacture (chorus.invoices.complete) as well as
-- soumettreFacture (a submitted invoice's attachments).
function attachments.add(options)
  if type(options) == "string" then options = { file = options } end
  S.options("add", 1, options, { "file", "name", "mime" })
  if type(options.file) ~= "string" then S.fail("add", 1, "file (a path) is required") end
  local data, err = S.at_user_line(chorus.fs.read, options.file)
  if data == nil then S.fail("add", 1, string_format("cannot attach '%s': %s", options.file, err)) end
  local name = options.name or chorus.fs.basename(options.file)
  local extension = (name:match("%.([%w]+)$") or ""):lower()
  local answer = S.call("transverses.ajouterFichierDansSysteme", {
    pieceJointeFichier = chorus.base64.encode(data), pieceJointeNom = name,
    pieceJointeTypeMime = options.mime or MIME[extension] or "application/octet-stream",
    pieceJointeExtension = extension:upper(),
  })
  return answer.pieceJointeId
end

-- A search over every page, the query passed through in official field names (plus page_size).
local function search_all(operation, pager_key, list_key)
  return function(query)
    if query ~= nil then S.check("search", 1, query, "table") end
    local payload = S.copy(query)
    local size = payload.page_size
    payload.page_size = nil
    return S.collect(S.pager(operation, payload, pager_key, list_key, size))
  end
end

commitments.search = search_all("engagementsJuridiques.rechercherEngagementJuridique", "parametresRecherche", "listeEngagementJuridique")
works.search = search_all("facturesTravaux.rechercherFactureTravaux", "rechercheFactureTravaux", "listeFacturesTravaux")

function account.structures()
  return S.collect(S.pager("utilisateurs.recupererRattachementsMonCompte", {}, "parametresRecherche",
    "listeStructureRattachement", 100))
end

local LOOKUPS = {
  vat_rates = "transverses.recupererTauxTva", currencies = "transverses.recupererDevises",
  countries = "transverses.recupererPays", payment_modes = "transverses.recupererModesReglement",
  flux_formats = "transverses.recupererFormatFlux", deposit_modes = "transverses.recupererModesDepot",
  vat_exemptions = "transverses.recupererMotifsExonerationTva",
}
for name, operation in pairs(LOOKUPS) do
  lookups[name] = function() return first_list(S.call(operation, { codeLangue = "FR" }, true)) end
end

-- The statuses chorus.invoices.process may set next, as strings of the one vocabulary (the platform
-- answers {statutPossiblePourTraitement = ...} objects; statuses process does not know are left out).
local PROCESSING = S.set(S.vocabulary.processing_statuses)
function lookups.next_statuses(status)
  if type(status) == "table" then status = chorus.invoices.status_of(status) end
  S.check("next_statuses", 1, status, "string")
  local list = {}
  for _, item in ipairs(first_list(S.call("transverses.recupererEtatsPossiblesPourTraitement", { statutCourant = status }, true))) do
    local next_status = type(item) == "table" and item.statutPossiblePourTraitement or item
    if PROCESSING[next_status] then list[#list + 1] = next_status end
  end
  return setmetatable(list, helpers.array_mt)
end
