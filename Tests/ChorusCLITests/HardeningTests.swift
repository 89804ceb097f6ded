import ChorusTestSupport
import Foundation
import Testing

/// A script cannot crash, hang or escape `chorus run`: each hostile case runs the built binary and
/// checks it ended without a signal, by its deadline plus a grace, within its memory limit plus the
/// process's own overhead, and with the message a user needs.
///
/// Margins are generous (a loaded CI machine; a debug build beside other builds runs several times
/// slower): the watchdog ends a run 1.5 s after its deadline; we allow 20 s more, inside the 90 s
/// after which a run counts as hung. The process itself (Swift runtime, NIO, the binary) needs about 60 MB beyond what
/// the script may use; we allow 160 MB.
@Suite struct HardeningTests {
    let folder: URL
    static let overhead = 160 << 20
    static let slack = 20.0

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Runs `source` as `case.lua` with `options` before the script name.
    func run(_ source: String, _ options: [String] = [], killAfter: Double = 90, interruptAfter: Double? = nil,
             marker: String? = nil) async throws -> MeasuredRun {
        try source.write(to: folder.appendingPathComponent("case.lua"), atomically: true, encoding: .utf8)
        return try await MeasuredRun.run(["run"] + options + ["case.lua"], directory: folder, killAfter: killAfter,
                                         interruptAfter: interruptAfter, interruptOnceOutputContains: marker)
    }

    /// Ended by itself, without a signal, within `seconds` and `memoryMB` (plus the overhead).
    func expectContained(_ r: MeasuredRun, seconds: Double, memoryMB: Int = 256, _ comment: Comment? = nil) {
        #expect(r.signal == nil, "ended by signal \(r.signal ?? 0): \(r.stderr)")
        #expect(!r.hung, "still running after the test's kill delay")
        #expect(r.seconds <= seconds + Self.slack, "took \(r.seconds) s")
        #expect(r.peakBytes <= (memoryMB << 20) + Self.overhead, "peak \(r.peakBytes >> 20) MB")
    }

    static let timeLimit = "chorus: time limit of 2 s exceeded (raise it with --timeout SECONDS)\n"

    // MARK: Crashes

    @Test func spawnWithHundredsOfThousandsOfArgumentsIsAnError() async throws {
        let r = try await run("""
            local t = {}
            for i = 1, 400000 do t[i] = i end
            local ok, err = pcall(chorus.spawn, function() end, table.unpack(t))
            print(ok, err)
            """)
        expectContained(r, seconds: 10)
        #expect(r.status == 0)
        #expect(r.stdout == "false\ttoo many arguments for a task (400000; at most 99999): pass them in a table\n")
    }

    @Test func hugeSleepsAreArgumentErrors() async throws {
        let r = try await run("""
            print(pcall(chorus.sleep, 1e19))
            print(pcall(chorus.sleep, 1e30))
            print(pcall(chorus.sleep, 0/0))
            chorus.sleep(math.huge)
            """)
        expectContained(r, seconds: 10)
        let message = "bad argument #1 to 'sleep' (seconds must be a number from 0 to 1000000000 (about 31 years))"
        #expect(r.stdout == String(repeating: "false\t\(message)\n", count: 3))
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("chorus: case.lua:4: \(message)\n"))
    }

    @Test(arguments: ["1e30", "inf", "nan", "-1"]) func hugeTimeoutsAreUsageErrors(_ value: String) async throws {
        let r = try await run("print('ran')", ["--timeout=\(value)"])
        expectContained(r, seconds: 10)
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("--timeout must be a number of seconds greater than 0 and at most 1000000000"))
    }

    @Test func hugeMemoryLimitIsAUsageError() async throws {
        let r = try await run("print('ran')", ["--memory-limit", "17592186044416"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--memory-limit must be 0 (no cap) or a number of MB up to 1048576"))
    }

    @Test func aLongChainOfNestedCoroutineClosesIsAnError() async throws {
        let r = try await run("""
            local function chain(n)
              local co = coroutine.create(function()
                local x <close> = setmetatable({}, { __close = function()
                  if n > 0 then
                    local inner = chain(n - 1)
                    local ok, err = coroutine.close(inner)
                    if not ok then error(err, 0) end
                  end
                end })
                coroutine.yield()
              end)
              coroutine.resume(co)
              return co
            end
            print(coroutine.close(chain(100000)))
            """)
        expectContained(r, seconds: 30)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("false\t"))
        #expect(r.stdout.contains("coroutine.close nested too deeply (more than 16 __close handlers closing coroutines)"))
    }

    // MARK: Time limits

    @Test func aLoopingMessageHandlerCannotOutliveTheDeadline() async throws {
        let r = try await run("xpcall(function() while true do end end, function() while true do end end)", ["--timeout", "2"])
        expectContained(r, seconds: 2 + 1.5)
        #expect(r.status == 1)
        #expect(r.stderr.hasSuffix(Self.timeLimit))
    }

    @Test func aLoopingFinalizerCannotOutliveTheDeadline() async throws {
        let r = try await run("""
            setmetatable({}, { __gc = function() while true do end end })
            collectgarbage()
            while true do end
            """, ["--timeout", "2"])
        expectContained(r, seconds: 2 + 1.5)
        #expect(r.status == 1)
        #expect(r.stderr.hasSuffix(Self.timeLimit))
    }

    @Test func aFinalizerThatLoopsWhenTheStateClosesCannotOutliveTheDeadline() async throws {
        let r = try await run("""
            local keep = setmetatable({}, { __gc = function() while true do end end })
            print("done")
            """, ["--timeout", "2"])
        expectContained(r, seconds: 2 + 1.5)
        #expect(r.stdout == "done\n")
        #expect(r.status == 1)
        #expect(r.stderr.hasSuffix(Self.timeLimit))
    }

    @Test func anEmptyRepeatIsInstant() async throws {
        let r = try await run("""
            print(#string.rep("", math.maxinteger), #string.rep("", math.maxinteger, ""), #("x"):rep(3, ""))
            """, ["--timeout", "2"])
        expectContained(r, seconds: 2)
        #expect(r.stdout == "0\t0\t3\n")
        #expect(r.status == 0)
    }

    @Test func aHugeTableMoveStopsAtTheDeadline() async throws {
        let r = try await run("print(pcall(table.move, {}, 1, 2^62, 2))", ["--timeout", "2"])
        expectContained(r, seconds: 2 + 1.5)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("chorus: time limit of 2 s exceeded"))
    }

    @Test func aCatastrophicPatternStopsAtTheDeadline() async throws {
        let r = try await run("""
            local s = string.rep("a", 40) .. "b"
            print(string.find(s, string.rep("a*", 40) .. "c"))
            """, ["--timeout", "2"])
        expectContained(r, seconds: 2 + 1.5)
        #expect(r.status == 1)
        #expect(r.stderr.hasSuffix(Self.timeLimit))
    }

    @Test func allOverFiftyThousandFunctionsIsLinear() async throws {
        let r = try await run("""
            local fns = {}
            for i = 1, 50000 do fns[i] = function() return i end end
            local results = chorus.all(fns)
            print(#results, results[50000])
            """, ["--timeout", "40"])
        // Linear takes well under a second on a quiet machine; quadratic would take many minutes.
        expectContained(r, seconds: 40)
        #expect(r.stdout == "50000\t50000\n")
        #expect(r.status == 0)
    }

    @Test func aTwoMegabyteOperationNameIsRefusedQuickly() async throws {
        let r = try await run(#"print(pcall(chorus.call, ("x"):rep(2 << 20), {}))"#, ["--timeout", "10"])
        expectContained(r, seconds: 3)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("false\tcase.lua:1: bad argument #1 to 'call' (unknown operation 'xxxx"))
        #expect(r.stdout.count < 400, "the name is shortened in the message")
    }

    @Test func aTaskWaitingForItselfFailsAtOnce() async throws {
        let r = try await run("""
            local Task = getmetatable(chorus.spawn(function() end))
            local me = setmetatable({ id = 1 }, Task)
            print(pcall(me.wait, me))
            local forged = setmetatable({ id = 999 }, Task)
            print(pcall(forged.wait, forged))
            """)
        expectContained(r, seconds: 10)
        #expect(r.stdout == """
            false\ta task cannot wait for itself (task 1)
            false\tno task 999 in this run (a forged or foreign task handle)

            """)
    }

    @Test func tasksWaitingForEachOtherAreADeadlock() async throws {
        let r = try await run("""
            local a, b
            a = chorus.spawn(function() chorus.sleep(0.01); b:wait() end)
            b = chorus.spawn(function() chorus.sleep(0.01); a:wait() end)
            a:wait()
            """)
        expectContained(r, seconds: 10)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix(
            "chorus: deadlock: every task is waiting for another task and nothing else is pending, so the run would wait forever (task 1 waits for task 2; task 2 waits for task 3; task 3 waits for task 2)"))
    }

    @Test func ctrlCStopsALoopingFinalizerWithinTheGrace() async throws {
        let r = try await run("""
            setmetatable({}, { __gc = function() print("looping") while true do end end })
            collectgarbage()
            """, interruptAfter: 1.5, marker: "looping\n")
        expectContained(r, seconds: 1.5 + 1.5)
        #expect(r.status == 130)
        #expect(r.stderr.hasSuffix("chorus: run cancelled\n"))
    }

    @Test func ctrlCRunsTheCloseHandlersOfPendingTasks() async throws {
        let r = try await run("""
            local t = chorus.spawn(function()
              local x <close> = setmetatable({}, { __close = function() print("task closed") end })
              chorus.sleep(30)
            end)
            local y <close> = setmetatable({}, { __close = function() print("main closed") end })
            print("started")
            chorus.sleep(30)
            """, interruptAfter: 1.5, marker: "started\n")
        // Not the watchdog: the handlers ran and the run ended by itself, well before 30 s.
        expectContained(r, seconds: 1.5 + 1.5)
        #expect(r.status == 130)
        #expect(r.stdout == "started\ntask closed\nmain closed\n")
    }

    // MARK: Memory limits

    @Test func aHugeErrorToStringCountsAgainstTheCap() async throws {
        let r = try await run("""
            error(setmetatable({}, { __tostring = function()
              local parts = {}
              for i = 1, 1e9 do parts[i] = ("x"):rep(1000) .. i end
              return table.concat(parts)
            end }))
            """, ["--memory-limit", "64"])
        expectContained(r, seconds: 10, memoryMB: 64)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("chorus: memory limit of 64 MB exceeded (raise it with --memory-limit MB)"))
    }

    @Test func decodingLargeJSONStaysWithinTheCap() async throws {
        let r = try await run("""
            local parts = {}
            for i = 1, 560000 do parts[i] = '{"id":' .. i .. ',"name":"item' .. i .. '","tags":["a","b"],"ok":true}' end
            local text = "[" .. table.concat(parts, ",") .. "]"
            parts = nil
            collectgarbage()
            print(#text > 28e6)
            local ok, err = pcall(chorus.json.decode, text)
            print(ok)
            """, ["--memory-limit", "256"])
        expectContained(r, seconds: 60, memoryMB: 256)
        #expect(r.stdout.hasPrefix("true\n"))
        #expect(r.status == 1 || r.stdout == "true\ntrue\n")
        if r.status == 1 { #expect(r.stderr.hasPrefix("chorus: memory limit of 256 MB exceeded")) }
    }

    // MARK: Host code reached from a script (the invoice readers)

    /// A tar whose directory entry has a negative size (the reader once looped on it forever).
    static func loopingTar() -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, b) in text.utf8.enumerated() { header[offset + i] = b } }
        put("d/", at: 0)
        put("-2000", at: 124)
        header[156] = UInt8(ascii: "5")
        put("ustar", at: 257)
        return header + [UInt8](repeating: 0, count: 1024)
    }

    /// A ZIP whose central directory lists one stored 10 MB entry 300 times (3 GB if read naively).
    static func repeatedZip() -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        let name = Array("invoice.xml".utf8)
        let size = 10 << 20
        var bytes = le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            + le32(size) + le32(size) + le16(name.count) + le16(0) + name
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: size)
        let directory = bytes.count
        var central: [UInt8] = []
        for _ in 0..<300 {
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
                + le32(size) + le32(size) + le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
                + le32(0) + name
        }
        bytes += central
        bytes += le32(0x0605_4B50) + le16(0) + le16(0) + le16(300) + le16(300) + le32(central.count) + le32(directory) + le16(0)
        return bytes
    }

    @Test func aLoopingArchiveInADepositStopsAtTheDeadline() async throws {
        try Data(Self.loopingTar()).write(to: folder.appendingPathComponent("lot.tar"))
        let r = try await run("print(pcall(chorus.invoices.deposit, { file = 'lot.tar' }))", ["--timeout", "2"])
        expectContained(r, seconds: 2 + 1.5)
        // Refused by a reader that knows better, or stopped by the deadline: never a hang.
        #expect(r.status == 0 || r.stderr.hasSuffix(Self.timeLimit), "\(r.status) \(r.stderr)")
    }

    @Test func anArchiveThatInflatesToGigabytesStaysWithinTheMemoryLimit() async throws {
        try Data(Self.repeatedZip()).write(to: folder.appendingPathComponent("lot.zip"))
        let r = try await run("print(pcall(chorus.invoices.deposit, { file = 'lot.zip' }))", ["--memory-limit", "64", "--timeout", "30"])
        // The reader's copies are Swift memory no count sees: the watchdog samples the process every
        // 20 ms and ends it past 64 MB + a quarter + 160 MB; allow 64 MB of growth between samples.
        expectContained(r, seconds: 30, memoryMB: 64 + 16 + 64)
        #expect(r.status == 0 || r.stderr.contains("memory limit of 64 MB exceeded"), "\(r.status) \(r.stderr)")
    }

    // MARK: Escapes and output

    @Test func theWorkingDirectoryIsReadOnlyAndChorusFilesAndDotfilesAreOutOfReach() async throws {
        let home = folder.appendingPathComponent("home")
        let fm = FileManager.default
        for dir in [".config/chorus", ".ssh", "cfg/chorus", "scripts"] {
            try fm.createDirectory(at: home.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        for (file, text) in [(".config/chorus/config.toml", "secret"), ("cfg/chorus/config.toml", "secret"),
                             (".bashrc", "# rc"), ("notes.txt", "notes")] {
            try text.write(to: home.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let source = """
            print(chorus.fs.read("notes.txt"))
            print(pcall(chorus.fs.write, "notes.txt", "x"))
            print(pcall(chorus.fs.read, ".bashrc"))
            print(pcall(chorus.fs.read, ".config/chorus/config.toml"))
            print(pcall(chorus.fs.read, "cfg/chorus/config.toml"))
            print(pcall(chorus.fs.write, ".ssh/authorized_keys", "x"))
            """
        try source.write(to: home.appendingPathComponent("scripts/case.lua"), atomically: true, encoding: .utf8)
        let env = ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("cfg").path]
        let r = try await MeasuredRun.run(["run", "scripts/case.lua"], environment: env, directory: home)
        let hidden = "is a hidden file or folder (a name starting with '.'), which scripts never reach; pass its folder itself with --allow-path to allow it"
        let own = "is one of chorus's own files (configuration, credentials, token cache, state), which scripts never reach"
        #expect(r.stdout == """
            notes
            false\t'notes.txt' is in the working directory, which scripts may only read; to let this run write there, pass --allow-path .
            false\t'.bashrc' \(hidden)
            false\t'.config/chorus/config.toml' \(hidden)
            false\t'cfg/chorus/config.toml' \(own)
            false\t'.ssh/authorized_keys' \(hidden)

            """, "\(r.stderr)")
        let allowed = try await MeasuredRun.run(["run", "--allow-path", ".", "scripts/case.lua"], environment: env, directory: home)
        #expect(allowed.stdout.hasPrefix("notes\ntrue\n"))
        #expect(allowed.stdout.contains("'.bashrc' \(hidden)"))
        #expect(try String(contentsOf: home.appendingPathComponent(".bashrc"), encoding: .utf8) == "# rc")
        #expect(!fm.fileExists(atPath: home.appendingPathComponent(".ssh/authorized_keys").path))
    }

    @Test func logLinesCannotBeForged() async throws {
        let r = try await run(#"chorus.log.warn("a\ninfo: forged\27[31m", { ["k\n"] = "v\r" }); warn("@on"); warn("w\nx")"#)
        #expect(r.status == 0)
        #expect(!r.stderr.contains("\u{1B}"))
        #expect(r.stderr.contains(#"warning: a\ninfo: forged\e[31m k\n=v\r"#), "\(r.stderr)")
        #expect(r.stderr.contains(#"w\nx"#))
        #expect(!r.stderr.contains("\ninfo: forged"))
    }

    @Test func markingTheStrictGlobalsIsRefused() async throws {
        let r = try await run("print(pcall(function() return chorus.object(_G) end)); print(pcall(function() return nope end))", ["--strict"])
        #expect(r.stdout.hasPrefix("false\tcase.lua:1: bad argument #1 to 'object' (cannot change a protected metatable)\nfalse\tcase.lua:1: undefined global 'nope' (strict mode)"))
    }

    @Test func printWritesBytesAsTheyAre() async throws {
        let r = try await run(#"print("caf\xe9", "\xff\xfe")"#)
        #expect(r.status == 0)
        let file = folder.appendingPathComponent("bytes.lua")
        try #"io = nil; print("caf\xe9")"#.write(to: file, atomically: true, encoding: .utf8)
        let raw = try await ChorusRawOutput.stdout(["run", "case.lua"], directory: folder)
        #expect(raw == [0x63, 0x61, 0x66, 0xE9, 0x09, 0xFF, 0xFE, 0x0A])
    }
}

/// The exact bytes a run writes on stdout (MeasuredRun decodes them as text).
enum ChorusRawOutput {
    static func stdout(_ arguments: [String], directory: URL) async throws -> [UInt8] {
        guard let binary = ChorusSubprocess.binary() else { return [] }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ["HOME": directory.path]
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}
