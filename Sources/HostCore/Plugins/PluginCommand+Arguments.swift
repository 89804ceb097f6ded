import LuaRuntime

/// A command line that does not fit a command's `args`: the message, and whether `--help` was asked.
public struct PluginUsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

extension PluginCommand {
    /// The `args` table the command's `run` receives for `words`, checked against the declaration.
    /// - Returns: nil when `--help` (or `-h`) is among the words: show `help(plugin:)` instead.
    public func parse(_ words: [String], plugin: String) throws(PluginUsageError) -> LuaValue? {
        var values: [String: LuaValue] = [:]
        var positionals: [String] = []
        var index = 0
        var onlyPositionals = false
        let usage = "; see chorus \(plugin):\(name) --help"
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" {
                positionals.append(word)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            if word == "--help" || word == "-h" { return nil }
            var name = String(word.drop { $0 == "-" })
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard word.hasPrefix("--"), let argument = arguments.first(where: { $0.option && $0.name == name }) else {
                let known = arguments.filter(\.option).map { "--" + $0.name }
                throw PluginUsageError(
                    description: "unknown option '\(word)'" + (known.isEmpty ? " (this command takes no options)" : " (options: \(known.joined(separator: ", ")))") + usage)
            }
            if argument.kind == .boolean {
                if inline != nil { throw PluginUsageError(description: "--\(name) is a flag and takes no value" + usage) }
                values[name] = .bool(true)
                continue
            }
            let text: String
            if let inline {
                text = inline
            } else {
                guard index < words.count else { throw PluginUsageError(description: "--\(name) needs a value" + usage) }
                text = words[index]
                index += 1
            }
            values[name] = try convert(text, argument, usage: usage)
        }
        let declared = arguments.filter { !$0.option }
        if positionals.count > declared.count {
            throw PluginUsageError(
                description: "unexpected argument '\(positionals[declared.count])' (\(name) takes \(declared.count) argument\(declared.count == 1 ? "" : "s"))" + usage)
        }
        for (argument, text) in zip(declared, positionals) { values[argument.name] = try convert(text, argument, usage: usage) }
        for argument in arguments where values[argument.name] == nil {
            if argument.required {
                throw PluginUsageError(
                    description: "missing \(argument.option ? "option --" : "argument ")\(argument.name)"
                        + (argument.help.isEmpty ? "" : " (\(argument.help))") + usage)
            }
            if let value = argument.defaultValue { values[argument.name] = value }
            else if argument.kind == .boolean { values[argument.name] = .bool(false) }
        }
        return .object(values)
    }

    private func convert(_ text: String, _ argument: PluginArgument, usage: String) throws(PluginUsageError) -> LuaValue {
        let label = argument.option ? "--\(argument.name)" : argument.name
        switch argument.kind {
        case .string, .boolean: return .string(text)
        case .integer:
            guard let value = Int64(text) else { throw PluginUsageError(description: "\(label) must be an integer, got '\(text)'" + usage) }
            return .integer(value)
        case .number:
            guard let value = Double(text), value.isFinite else {
                throw PluginUsageError(description: "\(label) must be a number, got '\(text)'" + usage)
            }
            return .number(value)
        }
    }

    /// `chorus PLUGIN:COMMAND --help`.
    public func help(plugin: String) -> String {
        let positionals = arguments.filter { !$0.option }
        let options = arguments.filter(\.option)
        var usage = "USAGE: chorus \(plugin):\(name)"
        if !options.isEmpty { usage += " [options]" }
        for argument in positionals { usage += argument.required ? " <\(argument.name)>" : " [<\(argument.name)>]" }
        var text = description.isEmpty ? "" : description + "\n\n"
        text += usage + "\n"
        func line(_ label: String, _ argument: PluginArgument) -> String {
            var help = argument.help
            if let value = argument.defaultValue { help += (help.isEmpty ? "" : " ") + "(default: \(Self.show(value)))" }
            if argument.required && argument.option { help += (help.isEmpty ? "" : " ") + "(required)" }
            let padded = label.count < 24 ? label + String(repeating: " ", count: 24 - label.count) : label + "  "
            return "  " + padded + help + "\n"
        }
        if !positionals.isEmpty {
            text += "\nARGUMENTS:\n"
            for argument in positionals { text += line("<\(argument.name)>", argument) }
        }
        text += "\nOPTIONS:\n"
        for argument in options {
            text += line("--\(argument.name)" + (argument.kind == .boolean ? "" : " <\(argument.kind.rawValue)>"), argument)
        }
        text += line("-h, --help", PluginArgument(name: "help", help: "Show this help.", kind: .boolean, option: true, required: false))
        return text
    }

    private static func show(_ value: LuaValue) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return "?"
        }
    }
}
