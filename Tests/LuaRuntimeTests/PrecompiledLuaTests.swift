import Foundation
import JSONValue
@testable import LuaRuntime
import Testing

/// The shipped Lua is loaded from bytecode the build made (the LuaChunks plugin), under its own chunk
/// name; bytecode this Lua refuses, or that is not what the build makes, falls back to the text.
@Suite struct PrecompiledLuaTests {
    /// The build's compiler, beside the test bundle (it is one of the package's executables).
    static func compiler() -> URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            for name in ["LuaChunkCompiler", "LuaChunkCompiler-tool"] {
                let candidate = directory.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// `source` compiled by the build's compiler: the base64 entry it writes for `lib.lua`.
    static func compile(_ source: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("luac-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("lib.lua")
        let output = folder.appendingPathComponent("Out.swift")
        try Data(source.utf8).write(to: input)
        let process = Process()
        process.executableURL = try #require(compiler(), "LuaChunkCompiler is not built")
        process.arguments = [output.path, input.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let generated = try String(contentsOf: output, encoding: .utf8)
        let line = try #require(generated.split(separator: "\n").first { $0.contains("\"lib.lua\": \"") })
        return String(line.split(separator: "\"")[3])
    }

    static func library(text: String, bytecode: String?) -> LuaLibrary {
        LuaLibrary(
            path: ["probe"], summary: "precompiled probe", functions: [],
            lua: LuaSource(name: "probe/lib.lua", bytes: Array(text.utf8), bytecode: bytecode))
    }

    static func run(_ script: String, library: LuaLibrary) async throws(LuaError) -> [LuaValue] {
        let runner = try ScriptRunner(options: LuaRunOptions(namespace: "rt", output: { _ in }), libraries: [library])
        return try await runner.run(script)
    }

    static let compiledCode = """
        local probe = ...
        probe.answer = 42
        function probe.fail()
          error("boom")
        end
        """
    static let text = "error('the text was compiled')"

    @Test func theRuntimesOwnFilesAreCompiledWithThePlaceholderName() throws {
        #expect(PrecompiledLua.chunks.keys.sorted() == ["prelude.lua", "tasks.lua"])
        for (file, base64) in PrecompiledLua.chunks {
            let bytes = try Base64.decode(Array(base64.utf8)).get()
            #expect(bytes.starts(with: [0x1B] + Array("Lua".utf8)), "\(file)")
            #expect(Array(bytes[32..<35]) == [0x83, UInt8(ascii: "="), UInt8(ascii: "?")], "\(file)")
        }
    }

    @Test func aChunkLoadsFromItsBytecodeUnderItsOwnName() async throws {
        let bytecode = try Self.compile(Self.compiledCode)
        let library = Self.library(text: Self.text, bytecode: bytecode)
        // The text raises at load: an answer means the bytecode ran.
        #expect(try await Self.run("return probe.answer", library: library) == [.integer(42)])
        // Errors and tracebacks name the chunk and its lines as the text would.
        do {
            _ = try await Self.run("probe.fail()", library: library)
            Issue.record("probe.fail() should raise")
        } catch {
            #expect("\(error)".contains("probe/lib.lua:4: boom"), "\(error)")
        }
    }

    @Test func bytecodeThisLuaRefusesFallsBackToTheText() async throws {
        var bytes = try Base64.decode(Array(Self.compile(Self.compiledCode).utf8)).get()
        bytes[4] = 0x53  // the version byte of another Lua
        let refused = Base64.encode(bytes)
        var renamed = try Base64.decode(Array(Self.compile(Self.compiledCode).utf8)).get()
        renamed[34] = UInt8(ascii: "!")  // not the placeholder name the build writes
        for bytecode in [refused, Base64.encode(renamed), "not base64 at all", ""] {
            let library = Self.library(text: "local probe = ... probe.answer = 'text'", bytecode: bytecode)
            #expect(try await Self.run("return probe.answer", library: library) == [.string("text")], "\(bytecode)")
        }
        // And the text's own error, when it has one, is the one reported.
        do {
            _ = try await Self.run("return 1", library: Self.library(text: Self.text, bytecode: Base64.encode(bytes)))
            Issue.record("the text should have run and raised")
        } catch {
            #expect("\(error)".contains("the text was compiled"), "\(error)")
        }
    }
}
