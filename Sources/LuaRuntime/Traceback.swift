/// Tracebacks as a script's author wants them: the frames of the script's own files, without the
/// Lua the host ships (the prelude, the task library, the host's libraries) nor C functions.
public enum Traceback {
    /// The chunk names (without `@`) of the Lua shipped for a run in `namespace` with `libraries`.
    public static func shippedChunks(namespace: String, libraries: [LuaLibrary]) -> Set<String> {
        var names: Set<String> = [
            String(RuntimeLua.prelude(namespace: namespace).chunkName.dropFirst()),
            String(RuntimeLua.tasks(namespace: namespace).chunkName.dropFirst()),
        ]
        for library in libraries { if let lua = library.lua { names.insert(String(lua.chunkName.dropFirst())) } }
        return names
    }

    /// `traceback` without the frames of `shipped` chunks and of C functions; nil when no frame is left.
    public static func userFrames(_ traceback: String, shipped: Set<String>) -> String? {
        var kept: [Substring] = []
        var frames = 0
        for line in traceback.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("\t") else {
                kept.append(line)
                continue
            }
            let frame = line.dropFirst()
            if frame.hasPrefix("[C]:") || frame.hasPrefix("(...tail calls...)") { continue }
            if let colon = frame.firstIndex(of: ":"), shipped.contains(String(frame[..<colon])) { continue }
            kept.append(line)
            frames += 1
        }
        guard frames > 0 else { return nil }
        return kept.joined(separator: "\n")
    }
}
