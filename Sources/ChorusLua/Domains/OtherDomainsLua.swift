import LuaRuntime

/// `chorus.attachments`, `chorus.commitments`, `chorus.account`, `chorus.lookups`,
/// `chorus.works_invoices`: smaller domains over their official operations.
enum OtherDomainsLua {
    static let docs: [String: FunctionDoc] = [
        "attachments.add": FunctionDoc(
            "Uploads an attachment (ajouterFichierDansSysteme, 10 Mo max) and returns its pieceJointeId, which serves completerFacture (chorus.invoices.complete attachments) as well as soumettreFacture. Takes a path, or {file =, name =, mime =}.",
            parameters: [.init("options", "string|{file: string, name: string?, mime: string?}")],
            returns: [.init("pieceJointeId", "integer")], yields: true),
        "commitments.search": FunctionDoc(
            "Searches engagements juridiques (rechercherEngagementJuridique), all pages; fields are the official criteria (numeroEngagementJuridique, structureReceptriceEngagementJuridique...).",
            parameters: [.init("query", "table?")], returns: [.init("engagements", "table[]")], yields: true),
        "account.structures": FunctionDoc(
            "The structures and services the technical account is attached to (recupererRattachementsMonCompte), all pages.",
            returns: [.init("rattachements", "table[]")], yields: true),
        "works_invoices.search": FunctionDoc(
            "Searches works invoices (rechercherFactureTravaux), all pages; fields are the official criteria.",
            parameters: [.init("query", "table?")], returns: [.init("invoices", "table[]")], yields: true),
        "lookups.vat_rates": FunctionDoc("VAT rate codes (recupererTauxTva): codeTauxTva, libelleTauxTva, valeurTauxTva.", returns: [.init("list", "table[]")], yields: true),
        "lookups.currencies": FunctionDoc("Currencies (recupererDevises).", returns: [.init("list", "table[]")], yields: true),
        "lookups.countries": FunctionDoc("Countries (recupererPays).", returns: [.init("list", "table[]")], yields: true),
        "lookups.payment_modes": FunctionDoc("Payment methods (recupererModesReglement).", returns: [.init("list", "table[]")], yields: true),
        "lookups.flux_formats": FunctionDoc("Flux formats accepted for deposits (recupererFormatFlux).", returns: [.init("list", "table[]")], yields: true),
        "lookups.deposit_modes": FunctionDoc("Deposit modes (recupererModesDepot).", returns: [.init("list", "table[]")], yields: true),
        "lookups.vat_exemptions": FunctionDoc("VAT exemption reasons (recupererMotifsExonerationTva).", returns: [.init("list", "table[]")], yields: true),
        "lookups.next_statuses": FunctionDoc(
            "The statuses a received invoice can be moved to from a status (recupererEtatsPossiblesPourTraitement), as strings, each one chorus.invoices.process accepts. Takes a status or an invoice (read with chorus.invoices.status_of).",
            parameters: [.init("status", "string|table")], returns: [.init("statuses", "string[]")], yields: true),
    ]

    /// The Lua that defines them (`lua/domains.lua`).
    static let source = LuaSource(name: "chorus/domains.lua", bytes: PackageResources.domains_lua, bytecode: PrecompiledLua.chunks["domains.lua"])
}
