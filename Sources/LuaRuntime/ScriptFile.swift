import Foundation

/// Reading script and module files with errors that say what is wrong with the path.
enum ScriptFile {
    /// The bytes of the script at `path`.
    /// - Throws: `LuaError.script` when it is missing, a directory, or unreadable.
    static func read(_ path: String) throws(LuaError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LuaError.script(path: path, reason: "no such file")
        }
        if isDirectory.boolValue {
            let hint = FileManager.default.fileExists(atPath: path + "/main.lua") ? " (did you mean \(path)/main.lua?)" : ""
            throw LuaError.script(path: path, reason: "is a directory, not a Lua script\(hint)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LuaError.script(path: path, reason: "cannot be read (check its permissions)")
        }
        return [UInt8](data)
    }

    /// Maps a module name to a file under `root` (`a.b` → `root/a/b.lua` or `root/a/b/init.lua`),
    /// refusing names and symlinks that would leave the folder.
    static func findModule(_ name: String, root: String) -> Result<(path: String, source: [UInt8]), ModuleSearchError> {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !parts.isEmpty && parts.allSatisfy { part in
            guard let first = part.first, first == "_" || first.isLetter, first.isASCII else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        }
        guard valid else { return .failure(.invalidName(name)) }
        let relative = parts.joined(separator: "/")
        let candidates = ["\(relative).lua", "\(relative)/init.lua"].map { root == "." ? $0 : "\(root)/\($0)" }
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let real = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
            guard real.hasPrefix(realRoot + "/") else { return .failure(.outsideRoot(candidate)) }
            guard let data = FileManager.default.contents(atPath: candidate) else { return .failure(.unreadable(candidate)) }
            return .success((candidate, [UInt8](data)))
        }
        return .failure(.notFound(candidates))
    }
}

/// Why `require` found no module file; the text follows Lua's searcher messages.
enum ModuleSearchError: Error {
    case invalidName(String)
    case notFound([String])
    case outsideRoot(String)
    case unreadable(String)

    var searcherMessage: String {
        switch self {
        case .invalidName(let name):
            return "invalid module name '\(name)' (use dotted names of letters, digits and _)"
        case .notFound(let paths): return paths.map { "no file '\($0)'" }.joined(separator: "\n\t")
        case .outsideRoot(let path): return "file '\(path)' leads outside the script's folder"
        case .unreadable(let path): return "file '\(path)' cannot be read"
        }
    }
}
