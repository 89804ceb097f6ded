import Foundation
import LuaRuntime

/// `chorus.fs`: files in the folders the run may use (script folder and `--allow-path` read and
/// write, working directory read only; never chorus's own files or hidden ones), see `FilePolicy`.
enum FileBindings {
    static func library(_ context: ChorusLuaContext) -> LuaLibrary {
        let policy = context.files
        return LuaLibrary(
            path: ["chorus", "fs"],
            summary: "Files in the script's folder and --allow-path folders (the working directory: read only).",
            functions: [
                HostFunction("read", FunctionDoc(
                    "Reads a whole file (binary-safe). Returns nil and a message when it does not exist.",
                    parameters: [.init("path", "string")], returns: [.init("data", "string?"), .init("err", "string?")],
                    raises: ["a path outside the allowed folders"])) { call in
                    let path = try call.string(1)
                    let resolved = try allowed(policy, path)
                    guard FileManager.default.fileExists(atPath: resolved) else {
                        call.pushNil()
                        call.push(string: "\(path): no such file")
                        return 2
                    }
                    // The file exists three times while it crosses (Data, bytes, Lua string): charged to the cap.
                    let size = (try? FileManager.default.attributesOfItem(atPath: resolved)[.size] as? Int) ?? 0
                    try call.chargeMemory(size.multipliedReportingOverflow(by: 3).overflow ? Int.max : size * 3)
                    guard let data = FileManager.default.contents(atPath: resolved) else {
                        throw LuaScriptError("cannot read '\(path)' (is it a folder, or unreadable?)")
                    }
                    call.push(bytes: [UInt8](data))
                    return 1
                },
                HostFunction("write", FunctionDoc(
                    "Writes data to a file, replacing it atomically; creates missing parent folders.",
                    parameters: [.init("path", "string"), .init("data", "string")],
                    raises: ["a path outside the allowed folders", "an I/O failure"])) { call in
                    let path = try call.string(1)
                    let data = try call.bytes(2)
                    let resolved = try allowed(policy, path, write: true)
                    let url = URL(fileURLWithPath: resolved)
                    do {
                        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try Data(data).write(to: url, options: .atomic)
                    } catch {
                        throw LuaScriptError("cannot write '\(path)': \(error.localizedDescription)")
                    }
                    return 0
                },
                HostFunction("exists", FunctionDoc(
                    "Whether a file or folder exists.", parameters: [.init("path", "string")], returns: [.init("exists", "boolean")])) { call in
                    let resolved = try allowed(policy, try call.string(1))
                    call.push(bool: FileManager.default.fileExists(atPath: resolved))
                    return 1
                },
                HostFunction("list", FunctionDoc(
                    "The names in a folder, sorted (files and folders; no . or ..).",
                    parameters: [.init("dir", "string")], returns: [.init("names", "string[]")])) { call in
                    let path = try call.string(1)
                    let resolved = try allowed(policy, path)
                    guard let names = try? FileManager.default.contentsOfDirectory(atPath: resolved) else {
                        throw LuaScriptError("cannot list '\(path)': not a readable folder")
                    }
                    call.push(.array(names.sorted().map { .string($0) }))
                    return 1
                },
                HostFunction("move", FunctionDoc(
                    "Moves (renames) a file or folder; creates the destination's missing parent folders, never replaces an existing one.",
                    parameters: [.init("from", "string"), .init("to", "string")],
                    raises: ["a path outside the allowed folders", "a destination that exists", "an I/O failure"])) { call in
                    let from = try call.string(1)
                    let to = try call.string(2)
                    let source = try allowed(policy, from, write: true)
                    let destination = try allowed(policy, to, write: true)
                    guard FileManager.default.fileExists(atPath: source) else { throw LuaScriptError("cannot move '\(from)': no such file") }
                    guard !FileManager.default.fileExists(atPath: destination) else {
                        throw LuaScriptError("cannot move '\(from)' to '\(to)': the destination exists")
                    }
                    let url = URL(fileURLWithPath: destination)
                    do {
                        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try FileManager.default.moveItem(atPath: source, toPath: destination)
                    } catch {
                        throw LuaScriptError("cannot move '\(from)' to '\(to)': \(error.localizedDescription)")
                    }
                    return 0
                },
                HostFunction("basename", FunctionDoc(
                    "The last component of a path.", parameters: [.init("path", "string")], returns: [.init("name", "string")])) { call in
                    call.push(string: URL(fileURLWithPath: try call.string(1)).lastPathComponent)
                    return 1
                },
            ]
        )
    }

    static func allowed(_ policy: FilePolicy, _ path: String, write: Bool = false) throws(LuaScriptError) -> String {
        switch policy.check(path, write: write) {
        case .success(let resolved): return resolved
        case .failure(let refusal): throw LuaScriptError(refusal.message)
        }
    }
}
