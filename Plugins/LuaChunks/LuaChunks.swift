import Foundation
import PackagePlugin

/// Compiles the `.lua` files a target ships (its `lua/` resources) to bytecode at build time, into a
/// generated `PrecompiledLua` enum, so a run loads them without parsing (see Sources/LuaChunkCompiler).
@main struct LuaChunks: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let files = target.sourceFiles.map(\.url).filter { $0.pathExtension == "lua" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "PrecompiledLua.swift")
        return [
            .buildCommand(
                displayName: "Compiling the Lua of \(target.name) to bytecode",
                executable: try context.tool(named: "LuaChunkCompiler").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
