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
        let compact = compactBase64(text)
        guard let data = Data(base64Encoded: compact) else {
            throw Reply.invalid("Le paramètre '\(member)' n'est pas un contenu encodé en base 64 valide.")
        }
        guard !data.isEmpty else { throw Reply.invalid("Le fichier transmis dans '\(member)' est vide.") }
        guard data.count <= limit else { throw tooLarge }
        return [UInt8](data)
    }

    /// Base64 text without its line breaks. Most clients send one line: the text (up to 13 Mo) is copied
    /// only when it has some.
    static func compactBase64(_ text: String) -> String {
        // memchr, not a per-byte closure: 20 ms on 13 Mo of base64 otherwise, before the deposit is answered.
        let hasBreaks =
            text.utf8.withContiguousStorageIfAvailable { buffer in
                guard let base = buffer.baseAddress else { return false }
                return memchr(base, 0x0A, buffer.count) != nil || memchr(base, 0x0D, buffer.count) != nil
            } ?? text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D })
        guard hasBreaks else { return text }
        return text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
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
        // The gateway prepares the deposit before taking the store's lock; tests calling the handler
        // directly get it prepared here.
        var deposit: PreparedDeposit
        if let prepared = call.deposit {
            deposit = prepared
        } else {
            deposit = try DepositRules.prepare(call.params, maxFluxBytes: state.settings.maxFluxBytes)
        }
        let number = fluxNumber(state.takeId())
        for index in deposit.files.indices { deposit.files[index].key = "flux/\(number)/\(index)" }
        let today = ChorusDate.day(call.now)
        let read = DepositRules.read(
            files: deposit.files, syntaxe: deposit.syntaxe, account: call.account, state: state, now: call.now,
            today: today)
        // Only the files an invoice comes from are kept (for downloads), apart from the flux record.
        let kept = Set(read.invoices.compactMap { $0.file?.key })
        for file in deposit.files where kept.contains(file.key) { _ = state.files.put(file.bytes, key: file.key) }
        let delay = state.settings.processingDelay
        let flux = Flux(
            number: number, syntaxe: deposit.syntaxe, fileName: deposit.fileName, depositedAt: call.now,
            processingAt: call.now.addingTimeInterval(delay), finalAt: call.now.addingTimeInterval(2 * delay),
            login: call.account.login,
            outcome: FluxStateMachine.outcome(
                integrated: read.invoices.count, problems: read.dpErrors.count + read.technicalErrors.count),
            dpErrors: read.dpErrors, technicalErrors: read.technicalErrors, pendingInvoices: read.invoices)
        state.add(flux)
        return ok(
            "GCU_MSG_01_000",
            [
                "numeroFluxDepot": .string(number), "dateDepot": .string(today),
                "syntaxeFlux": .string(deposit.syntaxe),
            ])
    }

    /// The `numeroFluxDepot` of the flux with technical id `id`: `CPP001` and 19 digits, as
    /// `String(format: "%019lld", 1_117_000_000_000_000_000 + id)` writes it (without its cost per deposit).
    static func fluxNumber(_ id: Int64) -> String {
        let (value, overflow) = Int64(1_117_000_000_000_000_000).addingReportingOverflow(id)
        guard !overflow, value >= 0 else { return "CPP001" + String(format: "%019lld", value) }
        let digits = String(value)
        return "CPP001" + String(repeating: "0", count: max(0, 19 - digits.utf8.count)) + digits
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
