import ChorusAPI
import ChorusLedger
import Foundation
import HostCore
import JSONValue
import LuaRuntime

/// The plugin hooks `chorus deposit` fires (docs/plugins.md, Hooks): `deposit.before` (a handler that
/// raises refuses the file, before the ledger reserves anything), `deposit.after`, and `flow.final`
/// with `--wait`. Events have no `plugin` field: no plugin run made them. What handlers print goes
/// to stderr, so the summary on stdout stays as it is.
struct DepositHooks: Sendable {
    let host: PluginHost

    private static let output: @Sendable (String) -> Void = { StandardOutput.writeError($0) }

    /// The refusal of a `deposit.before` handler, or nil.
    func before(file: String) async -> String? {
        let event: LuaValue = .object([
            "file": .string(file), "name": .string(URL(fileURLWithPath: file).lastPathComponent),
            "source": .string("chorus deposit"),
        ])
        do {
            try await host.fire("deposit.before", event: event, output: Self.output)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func after(file: String, entries: [LedgerEntry]) async {
        let first = entries.first
        var answer: [String: LuaValue] = [:]
        if let flux = first?.fluxNumber { answer["numeroFluxDepot"] = .string(flux) }
        if let date = first?.depositDate { answer["dateDepot"] = .string(date) }
        if let syntax = first?.syntax { answer["syntaxeFlux"] = .string(syntax) }
        let event: LuaValue = .object([
            "file": .string(file), "name": .string(URL(fileURLWithPath: file).lastPathComponent),
            "source": .string("chorus deposit"), "answer": .object(answer),
            "invoices": .array(entries.map { .string($0.invoiceNumber) }),
        ])
        try? await host.fire("deposit.after", event: event, output: Self.output)
    }

    func final(_ entry: LedgerEntry) async {
        guard let flux = entry.fluxNumber else { return }
        var report: LuaValue = .object(["etatCourantDepotFlux": .string(entry.flowState ?? "")])
        if let text = entry.report, let json = try? JSONValue.parse(Array(text.utf8)) { report = LuaValue(json: json) }
        let event: LuaValue = .object([
            "numeroFluxDepot": .string(flux), "report": report, "source": .string("chorus deposit"),
        ])
        try? await host.fire("flow.final", event: event, output: Self.output)
    }
}
