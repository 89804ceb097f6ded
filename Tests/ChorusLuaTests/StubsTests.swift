import ChorusLua
import ChorusTestSupport
import Foundation
import LuaRuntime
import Testing

@Suite struct StubsTests {
    /// Every function reachable from the live `chorus` table has a stub, and every stub is live.
    @Test func stubsMatchTheLiveTable() async throws {
        let stubs = try await StubGenerator.currentStubs()
        let stubbed = Set(stubs.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("function chorus.") else { return nil }
            return String(line.dropFirst("function ".count).prefix { $0 != "(" })
        })
        let run = await LuaTestRun.run("""
            local names = {}
            local function walk(t, prefix, seen)
              if seen[t] then return end
              seen[t] = true
              for k, v in pairs(t) do
                if type(k) == "string" and k:sub(1, 2) ~= "__" then
                  if type(v) == "function" then names[#names + 1] = prefix .. k
                  elseif type(v) == "table" then walk(v, prefix .. k .. ".", seen) end
                end
              end
            end
            walk(chorus, "chorus.", {})
            table.sort(names)
            print(table.concat(names, "\\n"))
            """, libraries: ChorusModule.libraries(StubGenerator.inertContext))
        #expect(run.errorMessage == "")
        let live = Set(run.output.split(separator: "\n").map(String.init))
        #expect(live.count > 55)
        #expect(live.subtracting(stubbed).sorted() == [], "functions without a stub")
        #expect(stubbed.subtracting(live).sorted() == [], "stubs without a function")
        #expect(stubs.contains("---@param numeroFluxDepot string\n---@param options {timeout: number?, interval: number?}?\n---@return table report\nfunction chorus.flows.wait(numeroFluxDepot, options) end"))
    }

    /// The stubs are valid Lua (checked with luac when it is installed: lua5.4 gives luac5.4).
    @Test func stubsCompile() async throws {
        let stubs = try await StubGenerator.currentStubs()
        let luac = ["/usr/bin/luac5.4", "/usr/bin/luac"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let luac else {
            print("skipped: luac5.4 is not installed (apt-get install lua5.4); stubs not compiled")
            return
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-stubs-\(UUID().uuidString).lua")
        try stubs.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: luac)
        process.arguments = ["-p", file.path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "luac: \(message)")
    }
}
