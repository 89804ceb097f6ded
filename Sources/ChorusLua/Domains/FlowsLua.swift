import ChorusAPI
import LuaRuntime

/// `chorus.flows`: the report of a deposited flux, waiting for it to finish, and its invoices.
enum FlowsLua {
    static let docs: [String: FunctionDoc] = [
        "report": FunctionDoc(
            "The detailed report of a flux (consulterCRDetaille): etatCourantDepotFlux, listeErreurDP, listeErreurTechnique...; nil if the flux is unknown.",
            parameters: [.init("numeroFluxDepot", "string")], returns: [.init("report", "table?")], yields: true),
        "wait": FunctionDoc(
            "Polls the report until the flux is final (IN_INTEGRE, IN_INTEGRE_PARTIEL, IN_REJETE, IN_INCIDENTE) and returns it; the pause grows from interval (default 2 s) to 30 s. Raises a chorus.Error TIMEOUT after timeout seconds (default 600). With IN_INTEGRE_PARTIEL, listeErreurDP names the rejected invoices.",
            parameters: [.init("numeroFluxDepot", "string"), .init("options", "{timeout: number?, interval: number?}?")],
            returns: [.init("report", "table")], yields: true, raises: ["chorus.Error TIMEOUT", "chorus.Error BUSINESS for an unknown flux"]),
        "is_final": FunctionDoc(
            "Whether a flux state (etatCourantDepotFlux) is final: " + Vocabulary.FlowState.final.joined(separator: ", ") + ". Any other state, known or not, is still pending.",
            parameters: [.init("state", "string")], returns: [.init("final", "boolean")]),
        "invoices": FunctionDoc(
            "The invoices created from a flux (supplier side search by numeroFluxDepot).",
            parameters: [.init("numeroFluxDepot", "string")], returns: [.init("invoices", "table[]")], yields: true),
    ]

    /// The Lua that defines them (`lua/flows.lua`).
    static let source = LuaSource(name: "chorus/flows.lua", bytes: PackageResources.flows_lua, bytecode: PrecompiledLua.chunks["flows.lua"])
}
