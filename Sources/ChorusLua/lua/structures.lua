local lib, helpers = ...
local S = helpers.chorus
local type = type

local STRUCTURE_FIELDS = { "identifiantStructure", "typeIdentifiantStructure", "raisonSocialeStructure",
  "libelleStructure", "nomStructure", "prenomStructure", "adresseCodePostal", "adresseVille", "adresseCodePays",
  "typeStructure", "statutStructure", "estMOA", "estMOAUniquement" }
local STRUCTURE_SET = S.set(STRUCTURE_FIELDS)
local QUERY_FIELDS = { "structure", "restreindreStructuresPrivees", "parametres", "page_size" }
for _, f in ipairs(STRUCTURE_FIELDS) do QUERY_FIELDS[#QUERY_FIELDS + 1] = f end

local function fetcher(query)
  local payload = { structure = S.copy(query.structure), parametres = query.parametres }
  for k, v in pairs(query) do if STRUCTURE_SET[k] then payload.structure[k] = v end end
  payload.restreindreStructuresPrivees = query.restreindreStructuresPrivees == true
  return S.pager("structures.rechercherStructure", payload, "parametres", "listeStructures", query.page_size)
end

function lib.search(query)
  S.options("search", 1, query, QUERY_FIELDS)
  return S.collect(fetcher(query))
end

local function find(siret)
  local items = fetcher({ identifiantStructure = siret, typeIdentifiantStructure = "SIRET" })(1)
  local first = items[1]
  return first and first.idStructureCPP
end

function lib.find(siret)
  return find(S.siret("find", 1, siret))
end

-- Unknown structures give nil, as everywhere in chorus ("not found" is nil, not an error).
local function get(id)
  return S.call("structures.consulterStructureAvecTVAIntraCom", { idStructureCPP = id, codeLangue = "FR" }, "structure") or nil
end

function lib.get(id)
  return get(S.id("get", 1, id, "idStructureCPP"))
end

function lib.services(id)
  S.id("services", 1, id, "idStructureCPP")
  return S.collect(S.pager("structures.rechercherServicesStructure", { idStructure = id },
    "parametresRechercherServicesStructure", "listeServices", 1000, "structure"))
end

local function flag(v) return v == true end

function lib.requirements(siret)
  siret = S.siret("requirements", 1, siret)
  local id = find(siret)
  if id == nil then return nil end
  local structure = get(id)
  if structure == nil then return nil end
  local p = structure.parametres
  if type(p) ~= "table" then p = {} end
  local service, ej, either = flag(p.codeServiceDoitEtreRenseigne), flag(p.numeroEJDoitEtreRenseigne), flag(p.gestionNumeroEJOuCodeService)
  local requires = "none"
  if either then requires = "service_or_engagement"
  elseif service and ej then requires = "both"
  elseif service then requires = "service"
  elseif ej then requires = "engagement" end
  return {
    idStructureCPP = id, identifiantStructure = siret,
    codeServiceDoitEtreRenseigne = service, numeroEJDoitEtreRenseigne = ej, gestionNumeroEJOuCodeService = either,
    requires = requires,
  }
end
