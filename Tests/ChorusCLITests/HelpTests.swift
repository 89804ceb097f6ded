import ChorusTestSupport
import Foundation
import Testing

/// Help texts are written as paragraphs and left to swift-argument-parser to wrap: at any width,
/// no paragraph is broken by a hard line break (which reads as ragged lines on a narrow terminal).
@Suite struct HelpTests {
    static let commands: [[String]] = [
        [], ["run"], ["doctor"], ["sim"], ["token"], ["call"], ["config"], ["config", "init"], ["config", "show"],
        ["stubs"], ["check"], ["explain"], ["deposit"], ["ledger"], ["ledger", "list"], ["ledger", "show"], ["ledger", "export"], ["ledger", "reconcile"], ["watch"],
        ["plugins"], ["plugins", "list"], ["plugins", "info"], ["plugins", "new"],
    ]

    @Test(arguments: commands)
    func paragraphsAreNotHardWrapped(_ command: [String]) async throws {
        let outcome = try await ChorusSubprocess.run(command + ["--help"], environment: ["COLUMNS": "1000"])
        #expect(outcome.status == 0)
        // The prose is everything above the examples (or the usage line).
        let prose = outcome.stdout.components(separatedBy: "\nExamples:")[0].components(separatedBy: "\nUSAGE:")[0]
        for paragraph in prose.components(separatedBy: "\n\n") {
            let lines = paragraph.split(separator: "\n")
            #expect(lines.count <= 1, "chorus \(command.joined(separator: " ")) --help: \(lines)")
        }
        // Examples fit an 80-column terminal, so they are never wrapped either.
        if let examples = outcome.stdout.components(separatedBy: "\nExamples:\n").dropFirst().first {
            for line in examples.components(separatedBy: "\n\nUSAGE:")[0].split(separator: "\n") {
                #expect(line.count <= 80, "\(line)")
            }
        }
    }
}
