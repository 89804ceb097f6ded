import ChorusAPI
import Foundation
import JSONValue

extension Handlers {
    /// The `syntaxeFlux` values the platform accepts (invented values are refused).
    static var syntaxes: [String] { Vocabulary.syntaxesFlux }

    /// Interface code shown in reports for a syntax.
    static func interfaceCode(_ syntaxe: String) -> String {
        switch syntaxe {
        case "IN_DP_E1_UBL_INVOICE": return "FSO1100A"
        case "IN_DP_E1_CII_16B", "IN_DP_E1_CII": return "FSO1106A"
        case "IN_DP_E2_CII_FACTURX": return "FSO1117A"
        default: return "FSO1110A"
        }
    }

    static let deposits: [String: Handler] = [
        "deposerFluxFacture": deposerFlux,
        "consulterCRDetaille": consulterCRDetaille,
        "consulterCR": consulterCR,
    ]

    /// Decodes a base64 file member: strict alphabet (line breaks tolerated), not empty, within `limit`.
    static func decodeFile(_ text: String, member: String, limit: Int, tooLarge: Reply) throws(Reply) -> [UInt8] {
        let compact = text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
        guard let data = Data(base64Encoded: compact) else {
            throw Reply.invalid("Le paramètre '\(member)' n'est pas un contenu encodé en base 64 valide.")
        }
        guard !data.isEmpty else { throw Reply.invalid("Le fichier transmis dans '\(member)' est vide.") }
        guard data.count <= limit else { throw tooLarge }
        return [UInt8](data)
    }

    /// Checks a file name: present, at most `maxLength` characters, no path, an extension among `extensions`.
    static func checkFileName(_ name: String, member: String, maxLength: Int, extensions: [String]) throws(Reply) {
        guard name.count <= maxLength else {
            throw Reply.invalid("Le paramètre '\(member)' dépasse \(maxLength) caractères.")
        }
        guard !name.contains("/"), !name.contains("\\") else {
            throw Reply.invalid("Le nom de fichier '\(name)' ne doit pas contenir de chemin.")
        }
        let lower = name.lowercased()
        guard extensions.contains(where: { lower.hasSuffix("." + $0) }) else {
            throw Reply.invalid(
                "L'extension du fichier '\(name)' n'est pas autorisée. Extensions possibles : "
                    + extensions.joined(separator: ", ") + ".")
        }
    }

    static let deposerFlux: Handler = { state, call throws(Reply) in
        let p = call.params
        _ = try p.int("idUtilisateurCourant")
        _ = try p.bool("avecSignature")
        let syntaxe = try p.enumeration("syntaxeFlux", syntaxes)
        let fileName = try p.requiredString("nomFichier")
        let content = try p.requiredString("fichierFlux")
        guard let syntaxe else { throw p.missing("syntaxeFlux") }
        try checkFileName(
            fileName, member: "nomFichier", maxLength: 200, extensions: ["xml", "pdf", "zip", "tar", "tar.gz", "tgz"])
        let tooLarge = Reply.business(
            20001, "GDP_MSG_11.022 - La taille du fichier dépasse la taille maximale autorisée (10 Mo).")
        let bytes = try decodeFile(
            content, member: "fichierFlux", limit: state.settings.maxFluxBytes, tooLarge: tooLarge)

        // A lot of invoices comes as an archive; an unreadable one is read as a single (non-conforming) file.
        var files: [(name: String, bytes: [UInt8])] = [(fileName, bytes)]
        if [".zip", ".tar", ".tar.gz", ".tgz"].contains(where: { fileName.lowercased().hasSuffix($0) }),
            let entries = InvoiceArchive.entries(in: bytes), !entries.isEmpty
        {
            files = entries.map { ($0.name, $0.bytes) }
        }
        let read = DepositRules.read(files: files, syntaxe: syntaxe, account: call.account, state: state, now: call.now)
        let number = "CPP001" + String(format: "%019lld", 1_117_000_000_000_000_000 + state.takeId())
        let delay = state.settings.processingDelay
        let flux = Flux(
            number: number, syntaxe: syntaxe, fileName: fileName, depositedAt: call.now,
            processingAt: call.now.addingTimeInterval(delay), finalAt: call.now.addingTimeInterval(2 * delay),
            login: call.account.login,
            outcome: FluxStateMachine.outcome(
                integrated: read.invoices.count, problems: read.dpErrors.count + read.technicalErrors.count),
            dpErrors: read.dpErrors, technicalErrors: read.technicalErrors, pendingInvoices: read.invoices)
        state.flux[number] = flux
        return ok(
            "GCU_MSG_01_000",
            [
                "numeroFluxDepot": .string(number), "dateDepot": .string(ChorusDate.day(call.now)),
                "syntaxeFlux": .string(syntaxe),
            ])
    }

    /// The flux `numeroFluxDepot` names, if the caller deposited it.
    static func ownFlux(_ state: SimulatorState, _ call: CallInfo) throws(Reply) -> Flux {
        let number = try call.params.requiredString("numeroFluxDepot")
        _ = try call.params.enumeration("syntaxeFlux", syntaxes)
        guard let flux = state.flux[number], flux.login == call.account.login else {
            throw Reply.business(20001, "POQ_MSG_01.003 - Flux introuvable.")
        }
        return flux
    }

    static let consulterCRDetaille: Handler = { state, call throws(Reply) in
        let flux = try ownFlux(state, call)
        let (current, since) = FluxStateMachine.state(of: flux, at: call.now)
        var body: [String: JSONValue] = [
            "codeInterfaceDepotFlux": .string(interfaceCode(flux.syntaxe)),
            "dateDepotFlux": .string(ChorusDate.timestamp(flux.depositedAt)),
            "dateHeureEtatCourantFlux": .string(ChorusDate.timestamp(since)),
            "etatCourantDepotFlux": .string(current),
            "nomFichier": .string("\(interfaceCode(flux.syntaxe))_CPP001_\(flux.number)"),
        ]
        if current == flux.outcome {
            if !flux.dpErrors.isEmpty {
                body["listeErreurDP"] = .array(
                    flux.dpErrors.map {
                        [
                            "identifiantDestinataire": .string($0.recipient),
                            "identifiantFournisseur": .string($0.supplier), "libelleErreurDP": .string($0.message),
                            "numeroDP": .string($0.invoiceNumber),
                        ]
                    })
            }
            if !flux.technicalErrors.isEmpty {
                body["listeErreurTechnique"] = .array(
                    flux.technicalErrors.map {
                        [
                            "codeErreur": .string($0.code), "libelleErreur": .string($0.message),
                            "natureErreur": .string($0.nature),
                        ]
                    })
            }
        }
        return ok("TRA_MSG_00.000", body)
    }

    static let consulterCR: Handler = { state, call throws(Reply) in
        _ = try call.params.string("dateDepot")
        let flux = try ownFlux(state, call)
        let (current, since) = FluxStateMachine.state(of: flux, at: call.now)
        var lines = [
            "Compte rendu du flux \(flux.number)", "Fichier : \(flux.fileName)", "Syntaxe : \(flux.syntaxe)",
            "Etat : \(current) depuis le \(ChorusDate.timestamp(since))",
        ]
        if current == flux.outcome {
            lines += flux.dpErrors.map { "Facture \($0.invoiceNumber) : \($0.message)" }
            lines += flux.technicalErrors.map { "\($0.code) : \($0.message)" }
        }
        return ok(
            "TRA_MSG_00.000",
            [
                "codeAppliPartenaire": "AIFE", "codeInterfaceFlux": .string(interfaceCode(flux.syntaxe)),
                "dateDepotFlux": .string(ChorusDate.timestamp(flux.depositedAt)),
                "dateHeureEtatCourantFlux": .string(ChorusDate.timestamp(since)),
                "designationPartenaire": "CHORUS PRO", "etatCourantFlux": .string(current),
                "fichierCR": .string(Data(SimplePDF.document(lines: lines)).base64EncodedString()),
                "nomFichierFlux": .string(flux.fileName), "numeroFluxDepot": .string(flux.number),
            ])
    }
}
