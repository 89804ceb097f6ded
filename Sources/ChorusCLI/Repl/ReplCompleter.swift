import ChorusAPI
import Foundation
import LineEditor
import LuaRuntime

/// Tab completion in `chorus repl`: names come from the Lua state (raw reads, by the runtime);
/// inside strings, operation ids after `chorus.call("` and the values the catalog knows.
struct ReplCompleter: Sendable {
    let runner: ScriptRunner

    /// Every operation id, qualified (`factures.deposerFluxFacture`) and bare (`deposerFluxFacture`).
    static let operationIds: [String] = Array(Set(Catalog.operations.flatMap { [$0.qualifiedName, $0.operationId] }))
        .sorted()

    /// Allowed values by field name, from the request fields of every operation and the vocabulary.
    static let valuesByField: [String: [String]] = {
        var values: [String: Set<String>] = [:]
        func collect(_ fields: [RequestField]) {
            for field in fields {
                if !field.values.isEmpty { values[field.name, default: []].formUnion(field.values) }
                collect(field.fields)
            }
        }
        for operation in Catalog.operations { collect(operation.requestSchema.fields) }
        values["syntaxeFlux", default: []].formUnion(Vocabulary.syntaxesFlux)
        values["syntax", default: []].formUnion(Vocabulary.syntaxesFlux)
        for key in ["status", "statut", "statutCourant", "statutFacture", "nouveauStatut"] {
            values[key, default: []].formUnion(Vocabulary.invoiceStatuses + Vocabulary.recipientProcessingStatuses)
        }
        return values.mapValues { $0.sorted() }
    }()

    static let allValues: [String] = Array(Set(valuesByField.values.flatMap { $0 })).sorted()

    /// Completes the text before the cursor. Called on the editing thread (not the concurrency pool),
    /// so it may wait for the runner, which is idle while a line is edited.
    func complete(_ text: String) -> Completion {
        switch ReplCompletion.analyze(text) {
        case .string(let partial, let before):
            return Completion(
                wordLength: partial.count, candidates: Self.stringCandidates(partial: partial, before: before))
        case .name:
            let runner = runner
            let box = ResultBox()
            let done = DispatchSemaphore(value: 0)
            Task {
                box.value = await runner.completeName(text)
                done.signal()
            }
            guard done.wait(timeout: .now() + 5) == .success, let result = box.value else {
                return Completion(wordLength: 0, candidates: [])
            }
            return Completion(wordLength: result.wordLength, candidates: result.candidates)
        case .none:
            return Completion(wordLength: 0, candidates: [])
        }
    }

    static func stringCandidates(partial: String, before: String) -> [String] {
        let code = before.trimmingCharacters(in: .whitespaces)
        if code.range(of: #"(^|[^\w.])chorus\s*\.\s*call\s*\(\s*$"#, options: .regularExpression) != nil {
            return operationIds.filter { $0.hasPrefix(partial) }
        }
        if let match = code.range(of: #"([A-Za-z_]\w*)\s*=\s*$"#, options: .regularExpression) {
            let field = String(code[match].prefix { $0 == "_" || $0.isLetter || $0.isNumber })
            if let values = valuesByField[field] { return values.filter { $0.hasPrefix(partial) } }
        }
        guard !partial.isEmpty else { return [] }
        return allValues.filter { $0.hasPrefix(partial) }
    }
}

private final class ResultBox: @unchecked Sendable {
    var value: (wordLength: Int, candidates: [String])?
}
