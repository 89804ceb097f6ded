/// How a chunk of interactive input reads, by `lua.c`'s rules.
public enum ReplChunk: Sendable, Equatable {
    /// An expression: `return ` was put in front, so its values are printed.
    case expression(source: String)
    /// Statements, run as they are.
    case statements(source: String)
    /// Not finished (Lua stopped at `<eof>`): read another line (`>>` prompt) and try again.
    case incomplete
    /// A syntax error that more lines cannot fix (Lua's message, with the chunk name and line).
    case syntaxError(String)

    /// The source to run, if the chunk is complete.
    public var source: String? {
        switch self {
        case .expression(let s), .statements(let s): return s
        default: return nil
        }
    }
}

/// What running one chunk gave.
public struct ReplOutcome: Sendable {
    /// The values it returned (an expression's values), inspected.
    public var values: [InspectedValue]
    /// Why it stopped, when it did not finish.
    public var error: LuaError?
}

/// The engine of an interactive session: one state for the whole session, one chunk at a time,
/// each as a coroutine through the async driver, with the limits (deadline, cancellation, memory)
/// applying to each chunk.
extension ScriptRunner {
    /// The chunk name of interactive input: errors read `stdin:1: ...`.
    public static let replChunkName = "stdin"

    /// How `text` (the lines entered so far, joined by newlines) reads: first as an expression
    /// (`return ` in front, so `1 + 1` prints 2), then as statements; incomplete while either form
    /// ends at `<eof>` (so a function definition or a table spread over lines goes on).
    public func classify(_ text: String, chunkName: String = ScriptRunner.replChunkName) -> ReplChunk {
        let asExpression = "return " + text
        switch vm.compile(Array(asExpression.utf8), chunkName: chunkName) {
        case .compiled: return .expression(source: asExpression)
        case .incomplete:
            if case .compiled = vm.compile(Array(text.utf8), chunkName: chunkName) { return .statements(source: text) }
            return .incomplete
        case .failed:
            switch vm.compile(Array(text.utf8), chunkName: chunkName) {
            case .compiled: return .statements(source: text)
            case .incomplete: return .incomplete
            case .failed(let message): return .syntaxError(message)
            }
        }
    }

    /// Runs one complete chunk. Its limits start now (the deadline counts from this chunk), a stop
    /// (Ctrl-C through `canceller`, the deadline, the memory cap) ends this chunk only, and the state
    /// stays usable for the next. The first value returned is stored in the global `lastValueName`.
    public func evaluate(
        _ source: String, chunkName: String = ScriptRunner.replChunkName, limits: InspectLimits = InspectLimits(),
        lastValueName: String? = "_"
    ) async -> ReplOutcome {
        vm.rearm()
        await discardStaleEvents()
        let vm = vm
        defer { vm.forgetTasks(closeBudget: ScriptRunner.closeBudget) }
        do {
            let values = try await runMain(source: Array(source.utf8), chunkName: chunkName, arguments: []) { main in
                vm.inspectResults(of: main, limits: limits, storeFirstIn: lastValueName)
            }
            return ReplOutcome(values: values, error: nil)
        } catch {
            return ReplOutcome(values: [], error: error)
        }
    }

    /// The completions of a name at the end of `text` (the line before the cursor): globals, fields
    /// after `.`, methods after `:`, and keywords. Reads tables raw: no metamethod runs. Inside a
    /// string literal, nothing (the host completes strings: `ReplCompletion.stringContext`).
    public func completeName(_ text: String) -> (wordLength: Int, candidates: [String]) {
        guard case .name(let path, let partial, let method) = ReplCompletion.analyze(text) else { return (0, []) }
        var names = vm.fieldNames(path: path, functionsOnly: method).filter {
            $0.hasPrefix(partial) && ReplCompletion.isIdentifier($0)
        }
        if path.isEmpty { names += ReplCompletion.keywords.filter { $0.hasPrefix(partial) } }
        return (partial.count, Array(Set(names)).sorted())
    }
}

extension ScriptRunner {
    /// Whether `text` compiles as statements on its own (a call does; `1 + 1` does not).
    public func compilesAsStatements(_ text: String, chunkName: String = ScriptRunner.replChunkName) -> Bool {
        vm.compile(Array(text.utf8), chunkName: chunkName) == .compiled
    }
}
