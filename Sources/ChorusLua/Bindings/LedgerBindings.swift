import ChorusAPI
import ChorusLedger
import Foundation
import LuaRuntime

/// `chorus.ledger.list` and `chorus.ledger.get`: read the deposit ledger of the run's environment
/// (docs/ledger.md). Rows are plain tables; the platform's words keep their official names.
enum LedgerBindings {
    static func library(_ context: ChorusLuaContext) -> LuaLibrary {
        let clients = context.clients
        let ledgers = context.ledgers
        return LuaLibrary(
            path: [ChorusModule.namespace, "ledger"],
            summary: "The deposit ledger of this environment: what was deposited, when, and where it stands.",
            functions: [
                HostFunction(
                    "list",
                    FunctionDoc(
                        "The ledger rows of this environment, oldest first; with state = 'uncertain' (or a list of states) only those. States: "
                            + LedgerState.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                        parameters: [.init("options", "{state: string|string[]?}?")],
                        returns: [
                            .init(
                                "rows", "table[]",
                                "invoice_number, supplier, recipient, state, numeroFluxDepot, dateDepot, file, syntaxeFlux, sha256, attempts..."
                            )
                        ], yields: true)
                ) { call in
                    let states = try stateFilter(&call)
                    return call.startOperation {
                        let ledger = try await ledgers.ledger(for: try await clients.client())
                        return .array(try ledger.entries(states: states).map(row))
                    }
                },
                HostFunction(
                    "get",
                    FunctionDoc(
                        "The ledger row of invoice number (of supplier, a SIRET, when several suppliers use the number), or nil.",
                        parameters: [.init("number", "string"), .init("supplier", "string?")],
                        returns: [.init("row", "table?")], yields: true)
                ) { call in
                    let number = try call.string(1)
                    let supplier = call.isNoneOrNil(2) ? nil : try call.string(2)
                    return call.startOperation {
                        let ledger = try await ledgers.ledger(for: try await clients.client())
                        let found = try ledger.entries().filter {
                            $0.invoiceNumber == number && (supplier == nil || $0.supplierSiret == supplier)
                        }
                        return found.last.map(row) ?? .nil
                    }
                },
            ])
    }

    /// The `state` option: one state name or a list of them; nil when absent.
    static func stateFilter(_ call: inout LuaCall) throws(LuaArgumentError) -> Set<LedgerState>? {
        guard !call.isNoneOrNil(1) else { return nil }
        guard case .object(let options) = try call.table(1) else {
            if case .array(let items) = try call.table(1), items.isEmpty { return nil }
            throw LuaArgumentError(1, "options must be named fields, not array items")
        }
        for key in options.keys where key != "state" {
            throw LuaArgumentError(1, "unknown option '\(key)'")
        }
        let names: [LuaValue]
        switch options["state"] {
        case nil: return nil
        case .string(let name)?: names = [.string(name)]
        case .array(let items)?: names = items
        default: throw LuaArgumentError(1, "state must be a state name or a list of them")
        }
        var states = Set<LedgerState>()
        for name in names {
            guard case .string(let text) = name, let state = LedgerState(rawValue: text) else {
                throw LuaArgumentError(
                    1, "unknown state (the states: \(LedgerState.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            states.insert(state)
        }
        return states
    }

    /// A ledger row as Lua sees it.
    static func row(_ entry: LedgerEntry) -> LuaValue {
        var fields: [String: LuaValue] = [
            "invoice_number": .string(entry.invoiceNumber), "supplier": .string(entry.supplierSiret),
            "state": .string(entry.state.rawValue), "file": .string(entry.fileName),
            "syntaxeFlux": .string(entry.syntax), "sha256": .string(entry.contentHash),
            "environment": .string(entry.envName), "account": .string(entry.account),
            "created_at": .number(entry.createdAt.timeIntervalSince1970),
            "updated_at": .number(entry.updatedAt.timeIntervalSince1970),
            "attempts": .array(
                entry.attempts.map { attempt in
                    var a: [String: LuaValue] = [
                        "at": .number(attempt.at.timeIntervalSince1970), "action": .string(attempt.action),
                        "outcome": .string(attempt.outcome),
                    ]
                    if let detail = attempt.detail { a["detail"] = .string(detail) }
                    return .object(a)
                }),
        ]
        if let recipient = entry.recipientSiret { fields["recipient"] = .string(recipient) }
        if let lot = entry.lot { fields["lot"] = .string(lot) }
        if let flux = entry.fluxNumber { fields["numeroFluxDepot"] = .string(flux) }
        if let date = entry.depositDate { fields["dateDepot"] = .string(date) }
        if let flow = entry.flowState { fields["etatCourantFlux"] = .string(flow) }
        if let report = entry.report { fields["report"] = .string(report) }
        return .object(fields)
    }
}
