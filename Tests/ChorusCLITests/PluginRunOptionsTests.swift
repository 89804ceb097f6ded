import ArgumentParser
@testable import ChorusCLI
import JSONValue
import Testing

/// `chorus [OPTIONS] PLUGIN:COMMAND`: the hand parser that finds the command word (`PluginRun.valueOptions`)
/// must know every option of `PluginRun.Options` that takes a value, or it would take that value
/// (`--plugin-dir a:b`) for the command word, or the command word for a value. And `--plugin-dir` is
/// one declaration (`PluginOptions`), the same in every command that takes it.
@Suite struct PluginRunOptionsTests {
    /// The options of `command` as ArgumentParser declares them (its `--experimental-dump-help`):
    /// each option's spellings, with whether it takes a value.
    static func declared(_ command: any ParsableCommand.Type, _ words: [String] = []) throws -> [(names: [String], takesValue: Bool, help: String)] {
        var dump = ""
        do {
            _ = try command.parseAsRoot(words + ["--experimental-dump-help"])
        } catch {
            dump = command.fullMessage(for: error)
        }
        // The dump describes the last command of the line: `plugins list` gives list's options.
        let info = try JSONValue.parse(Array(dump.utf8))["command"]
        #expect(info?["commandName"]?.stringValue == words.last ?? "chorus")
        let arguments = try #require(info?["arguments"]?.arrayValue)
        return arguments.compactMap { argument in
            let kind = argument["kind"]?.stringValue
            guard kind == "option" || kind == "flag" else { return nil }
            let names = (argument["names"]?.arrayValue ?? []).compactMap { name -> String? in
                guard let text = name["name"]?.stringValue else { return nil }
                return (name["kind"]?.stringValue == "short" ? "-" : "--") + text
            }
            return (names, kind == "option", argument["abstract"]?.stringValue ?? "")
        }
    }

    @Test func valueOptionsAreExactlyTheOptionsThatTakeAValue() throws {
        let declared = try Self.declared(PluginRun.Options.self)
        let takingValues = Set(declared.filter(\.takesValue).flatMap(\.names))
        #expect(PluginRun.valueOptions == takingValues)
        #expect(takingValues.contains("--plugin-dir"))
        // And so the command word is found after each of them, even when the value looks like one.
        for option in takingValues.sorted() {
            #expect(PluginRun.commandIndex([option, "a:b", "tool:run", "--x"]) == 2, "\(option)")
        }
        for flag in declared.filter({ !$0.takesValue }).flatMap(\.names) where flag != "--help" && flag != "-h" {
            #expect(PluginRun.commandIndex([flag, "tool:run"]) == 1, "\(flag)")
        }
    }

    /// Every command that finds plugins declares `--plugin-dir` through `PluginOptions`: one spelling,
    /// one help text (with its example), repeatable.
    @Test func pluginDirIsTheSameOptionEverywhere() throws {
        let expected = try #require(Self.declared(PluginRun.Options.self).first { $0.names == ["--plugin-dir"] })
        #expect(expected.help.contains("e.g. --plugin-dir examples/plugins"))
        let commands: [[String]] = [
            ["plugins", "list"], ["plugins", "info"], ["schedule", "list"], ["schedule", "run"], ["schedule", "once"],
            ["schedule", "history"], ["deposit"],
        ]
        for words in commands {
            let option = try Self.declared(Chorus.self, words).first { $0.names.contains("--plugin-dir") }
            #expect(option?.names == expected.names, "\(words)")
            #expect(option?.help == expected.help, "\(words)")
            #expect(option?.takesValue == true, "\(words)")
        }
        let parsed = try PluginRun.Options.parse(["--plugin-dir", "a", "--plugin-dir", "b"])
        #expect(parsed.plugins.pluginDirs == ["a", "b"])
    }
}
