import ChorusAPI
import Foundation
import JSONValue
import LuaRuntime
import NameSuggestions

/// The meta commands of `chorus repl`: `.help`, `.env`, `.doc`, `.ops`, `.save`, `.exit`.
extension ReplSession {
    static let help = """
        Enter Lua: an expression prints its values (the first is kept in _), statements run; a chunk that
        is not finished continues on a >> line. Each chunk runs as a coroutine: chorus.invoices.get(42),
        chorus.all{...} and chorus.sleep(1) just work. Locals last one chunk (as in lua): use globals.

          .help           this help
          .env            the environment, its URLs, the profile and the limits
          .doc NAME       documentation of a chorus function (chorus.invoices.get) or of an operation
                          (deposerFluxFacture, factures.completerFacture): fields and an example payload
          .ops [FILTER]   the operations of the catalog, R (read) or W (write), filtered by name
          .save FILE      write the chunks that ran without error as a script for chorus run
          .exit           leave (or Ctrl-D)

        Keys: Tab completes; Ctrl-C stops the running chunk (its requests too) or drops the line; Ctrl-D exits.
        """

    /// Runs a meta command; returns an exit code when the session ends.
    func meta(_ line: String) async -> Int32? {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        switch words[0] {
        case ".help": StandardOutput.write(Self.help + "\n")
        case ".exit", ".quit": return ExitStatus.success
        case ".env": StandardOutput.write(environmentText())
        case ".ops": StandardOutput.write(operationsText(filter: argument))
        case ".doc":
            guard !argument.isEmpty else {
                report(
                    text:
                        ".doc needs a name: a chorus function (.doc chorus.invoices.get) or an operation (.doc deposerFluxFacture)"
                )
                return nil
            }
            let documentation = await runner.documentation
            if let text = Self.doc(argument, documentation: documentation, namespace: options.namespace) {
                StandardOutput.write(text)
            } else {
                let names = Array(documentation.keys) + Catalog.operations.map(\.qualifiedName)
                let close = Suggestions.closest(to: argument, among: names, limit: 3)
                report(
                    text: "no documentation for '\(argument)'"
                        + (close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"))
            }
        case ".save": save(to: argument)
        default:
            report(text: "unknown command \(words[0]) (.help lists them)")
        }
        return nil
    }

    func environmentText() -> String {
        var lines = [
            "environment  \(environment.name.rawValue)" + (isProduction ? paint("  PRODUCTION", "1;31") : ""),
            "profile      \(environment.profileName ?? "(none)")",
            "token URL    \(environment.endpoints.tokenURL.absoluteString)",
            "API URL      \(environment.endpoints.apiBaseURL.absoluteString)",
        ]
        if isProduction {
            lines.append("writes       " + (allowWrites ? "sent (allow_writes = true)" : "confirmed one by one"))
        }
        lines.append(
            "per chunk    " + (options.timeout.map { "timeout \(LuaError.formatSecondsForRepl($0))" } ?? "no timeout")
                + ", memory " + (options.memoryLimit.map { "\($0 >> 20) MB" } ?? "unlimited"))
        return lines.joined(separator: "\n") + "\n"
    }

    func operationsText(filter: String) -> String {
        let needle = filter.lowercased()
        let matching = Catalog.operations.filter {
            needle.isEmpty || $0.qualifiedName.lowercased().contains(needle) || $0.summary.lowercased().contains(needle)
        }
        guard !matching.isEmpty else { return "no operation matches '\(filter)'\n" }
        let width = matching.map(\.qualifiedName.count).max() ?? 0
        return matching.map { op in
            op.qualifiedName.padding(toLength: width + 2, withPad: " ", startingAt: 0) + (op.isWrite ? "W  " : "R  ")
                + op.summary
        }.joined(separator: "\n") + "\n"
    }

    /// The documentation of a function of the module, or of a catalog operation; nil if neither.
    static func doc(_ name: String, documentation: [String: FunctionDoc], namespace: String) -> String? {
        let qualified = name.hasPrefix(namespace + ".") ? name : namespace + "." + name
        if let doc = documentation[qualified] ?? documentation[name] {
            let key = documentation[qualified] != nil ? qualified : name
            let parameters = doc.parameters.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
            let returns = doc.returns.map(\.type).joined(separator: ", ")
            var lines = ["\(key)(\(parameters))" + (returns.isEmpty ? "" : " -> \(returns)"), "  " + doc.summary]
            for item in doc.parameters where !item.summary.isEmpty { lines.append("  \(item.name): \(item.summary)") }
            for item in doc.returns where !item.summary.isEmpty {
                lines.append("  returns \(item.name): \(item.summary)")
            }
            if doc.yields { lines.append("  waits (for the network or time): Ctrl-C stops it") }
            for raised in doc.raises { lines.append("  raises: \(raised)") }
            return lines.joined(separator: "\n") + "\n"
        }
        guard let operation = Catalog.find(name) else { return nil }
        let schema = operation.requestSchema
        var lines = [
            "\(operation.qualifiedName)  \(operation.method.rawValue) /cpro\(operation.path)  "
                + (operation.isWrite ? "WRITE (confirmed in prod)" : "read"),
            "  " + operation.summary,
        ]
        if operation.isDeprecated { lines.append("  deprecated") }
        lines.append(schema.text)
        lines.append("Example payload (the required fields):")
        lines.append(schema.example.serialized(JSONWriteOptions(pretty: true)))
        lines.append("Call it: chorus.call(\"\(operation.qualifiedName)\", { ... })")
        return lines.joined(separator: "\n") + "\n"
    }

    func save(to path: String) {
        guard !path.isEmpty else {
            report(text: ".save needs a file name: .save session.lua")
            return
        }
        let header = "-- chorus repl session, \(saved.count) chunk(s); run it with: chorus run \(path)\n"
        let text = header + saved.joined(separator: "\n") + "\n"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            StandardOutput.write("saved \(saved.count) chunk(s) to \(path)\n")
        } catch {
            report(text: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

extension LuaError {
    static func formatSecondsForRepl(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }
}
