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
            "The services (services exécutants) of a structure, all pages: idService, codeService, libelleService, estActif...; nil if the structure is unknown.",
            parameters: [.init("idStructureCPP", "integer")], returns: [.init("services", "table[]?")], yields: true),
        "requirements": FunctionDoc(
            "What an invoice to this SIRET must carry: {idStructureCPP, codeServiceDoitEtreRenseigne, numeroEJDoitEtreRenseigne, gestionNumeroEJOuCodeService, requires = 'none'|'service'|'engagement'|'both'|'service_or_engagement'}; nil if the SIRET is unknown here.",
            parameters: [.init("siret", "string")], returns: [.init("requirements", "table?")], yields: true),
    ]

    /// The Lua that defines them (`lua/structures.lua`).
    static let source = LuaSource(name: "chorus/structures.lua", bytes: PackageResources.structures_lua, bytecode: PrecompiledLua.chunks["structures.lua"])
}
