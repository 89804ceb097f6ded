import LuaRuntime

/// `chorus.structures`: finding structures by SIRET, reading them, their services and what an
/// invoice to them must carry (service code, engagement juridique).
enum StructuresLua {
    static let docs: [String: FunctionDoc] = [
        "search": FunctionDoc(
            "Searches structures (rechercherStructure), all pages. Fields of the official `structure` criteria (identifiantStructure, raisonSocialeStructure, typeStructure...) may be given at the top level; restreindreStructuresPrivees defaults to false.",
            parameters: [.init("query", "table")], returns: [.init("structures", "table[]")], yields: true),
        "find": FunctionDoc(
            "The idStructureCPP of a SIRET in this environment, or nil when it is unknown here.",
            parameters: [.init("siret", "string", "14 digits")], returns: [.init("idStructureCPP", "integer?")], yields: true,
            raises: ["bad argument when the SIRET is not 14 digits"]),
        "get": FunctionDoc(
            "A structure in full (consulterStructure): informationGenerales, parametres, adressePostaleDuSiege; nil if unknown.",
            parameters: [.init("idStructureCPP", "integer")], returns: [.init("structure", "table?")], yields: true),
        "services": FunctionDoc(
            "The services (services exécutants) of a structure, all pages: idService, codeService, libelleService, estActif...",
            parameters: [.init("idStructureCPP", "integer")], returns: [.init("services", "table[]")], yields: true),
        "requirements": FunctionDoc(
            "What an invoice to this SIRET must carry: {idStructureCPP, codeServiceDoitEtreRenseigne, numeroEJDoitEtreRenseigne, gestionNumeroEJOuCodeService, requires = 'none'|'service'|'engagement'|'both'|'service_or_engagement'}; nil if the SIRET is unknown here.",
            parameters: [.init("siret", "string")], returns: [.init("requirements", "table?")], yields: true),
    ]

    static let source = #"""
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

local function get(id)
  return S.call("structures.consulterStructureAvecTVAIntraCom", { idStructureCPP = id, codeLangue = "FR" }, true)
end

function lib.get(id)
  return get(S.id("get", 1, id, "idStructureCPP"))
end

function lib.services(id)
  S.id("services", 1, id, "idStructureCPP")
  return S.collect(S.pager("structures.rechercherServicesStructure", { idStructure = id },
    "parametresRechercherServicesStructure", "listeServices", 1000))
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
"""#
}
