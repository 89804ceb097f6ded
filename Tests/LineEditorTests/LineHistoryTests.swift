import Foundation
import LineEditor
import Testing

/// The REPL's history file: deduplicated, capped, multi-line entries kept whole, private.
@Suite struct LineHistoryTests {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-history-\(UUID().uuidString)/h")

    @Test func enteringALineAgainMovesItToTheEnd() throws {
        let history = LineHistory(file: file, limit: 10)
        for entry in ["a = 1", "b = 2", "a = 1", "  ", "c = 3\n"] { history.add(entry) }
        #expect(history.entries == ["b = 2", "a = 1", "c = 3"])
        #expect(try String(contentsOf: file, encoding: .utf8) == "b = 2\na = 1\nc = 3\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func theOldestGoPastTheCap() {
        let history = LineHistory(file: file, limit: 3)
        for i in 1...5 { history.add("x = \(i)") }
        #expect(history.entries == ["x = 3", "x = 4", "x = 5"])
        #expect(LineHistory(file: file, limit: 2).entries == ["x = 4", "x = 5"])
    }

    @Test func aMultiLineEntryComesBackWhole() {
        let chunk = "function f(s)\n  return s:gsub(\"\\\\n\", \"\")\nend"
        LineHistory(file: file).add(chunk)
        #expect(LineHistory(file: file).entries == [chunk])
    }

    @Test func oversizedEntriesAreNotKept() {
        let history = LineHistory(file: file)
        history.add(String(repeating: "x", count: LineHistory.maximumEntryBytes + 1))
        #expect(history.entries.isEmpty)
    }
}
