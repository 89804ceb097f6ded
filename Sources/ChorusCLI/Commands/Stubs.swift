import ArgumentParser
import ChorusAPI
import ChorusLua
import Foundation
import LuaRuntime

/// `chorus stubs`: LuaLS definitions of the `chorus` module, for completion and checks in editors.
struct Stubs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write LuaLS type definitions (chorus.d.lua) and a .luarc.json for editors.",
        discussion: """
            The definitions are generated from the documentation each function is registered with, so they always match this build. lua-language-server (VS Code "Lua", Neovim lua_ls) then completes chorus.* and checks argument types.

            Examples:
              chorus stubs                      # .chorus/types/chorus.d.lua, .luarc.json
              chorus stubs --out types --force  # elsewhere; replaces .luarc.json
            """)

    @Option(name: .long, help: ArgumentHelp("Folder for chorus.d.lua.", valueName: "DIR"))
    var out = ".chorus/types"

    @Flag(name: .long, help: "Replace an existing .luarc.json.")
    var force = false

    func run() async throws {
        let text = try await StubGenerator.currentStubs()
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stubFile = folder.appendingPathComponent("chorus.d.lua")
        try text.write(to: stubFile, atomically: true, encoding: .utf8)
        print("wrote \(stubFile.relativePath)")
        let luarc = URL(fileURLWithPath: ".luarc.json")
        if FileManager.default.fileExists(atPath: luarc.path) && !force {
            print(".luarc.json exists; left unchanged (add \"\(out)\" to its workspace.library, or use --force)")
        } else {
            try StubGenerator.luarc(library: out).write(to: luarc, atomically: true, encoding: .utf8)
            print("wrote .luarc.json")
        }
    }
}

