import ChorusTestSupport
import Foundation

/// A `chorus` process in a real pseudo-terminal: a private tmux server (its own socket), driven by
/// `send-keys` and read by `capture-pane`. Waits poll the screen for the expected text with a generous
/// deadline; nothing is timed.
final class ReplTerminal {
    let socket = "chorus-repl-\(UUID().uuidString.prefix(8))"
    let home: URL
    static let deadline: Double = 60

    /// Whether tmux is installed (./scripts/test installs it).
    static let available =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
        || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")

    /// A private HOME with its XDG folders, so nothing touches the user's files.
    init(home: URL? = nil) throws {
        if let home {
            self.home = home
        } else {
            self.home = FileManager.default.temporaryDirectory.appendingPathComponent(
                "chorus-repl-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.home, withIntermediateDirectories: true)
        }
    }

    var stateHome: URL { home.appendingPathComponent("state") }
    var historyFile: URL { stateHome.appendingPathComponent("chorus/repl_history") }

    /// The environment of the REPL: the private XDG tree, plus `extra`.
    func environment(_ extra: [String: String]) -> [String: String] {
        [
            "HOME": home.path, "PATH": "/usr/bin:/bin", "TERM": "screen", "LANG": "C.UTF-8",
            "XDG_STATE_HOME": stateHome.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
        ].merging(extra) { $1 }
    }

    /// Starts `chorus ARGUMENTS` in a 160x50 terminal and waits for its prompt.
    func start(
        _ arguments: [String] = ["repl"], environment extra: [String: String] = [:], prompt: String = "chorus(sim)> "
    ) async throws {
        guard let binary = ChorusSubprocess.binary() else { throw ReplTerminalError("the chorus binary is not built") }
        let variables = environment(extra).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let command = (["env", "-i"] + variables + [binary.path] + arguments).map(Self.shellQuote).joined(
            separator: " ")
        try tmux([
            "new-session", "-d", "-s", "repl", "-x", "160", "-y", "50", command + "; echo \"[exit $?]\"; sleep 600",
        ])
        serverPID =
            Int32(
                try tmux(["display-message", "-p", "-t", "repl", "#{pid}"]).trimmingCharacters(
                    in: .whitespacesAndNewlines)) ?? 0
        try await waitFor(prompt)
    }

    /// Types `text` literally (no key names), then Enter when `enter`.
    func type(_ text: String, enter: Bool = true) throws {
        try tmux(["send-keys", "-t", "repl", "-l", text])
        if enter { try key("Enter") }
    }

    /// Presses a key by tmux's name (`Tab`, `C-c`, `C-d`, `Up`, `Enter`).
    func key(_ name: String) throws { try tmux(["send-keys", "-t", "repl", name]) }

    /// Presses several keys in one write to the terminal, as a fast typist would: they reach the input
    /// together.
    func keys(_ names: [String]) throws { try tmux(["send-keys", "-t", "repl"] + names) }

    /// The whole screen and its scrollback, wrapped lines joined.
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "repl"]) }

    /// Waits until the screen holds `text` `count` times; throws with the screen past the deadline.
    @discardableResult
    func waitFor(_ text: String, count: Int = 1) async throws -> String {
        let end = Date().addingTimeInterval(Self.deadline)
        var last = ""
        while Date() < end {
            last = try screen()
            if last.components(separatedBy: text).count - 1 >= count { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ReplTerminalError("'\(text)' (x\(count)) did not appear; the screen:\n\(last)")
    }

    /// How many times `text` is on the screen now.
    func occurrences(_ text: String) throws -> Int { try screen().components(separatedBy: text).count - 1 }

    /// Ends the tmux server and the process in it (each test calls it; deinit too).
    func stop() {
        guard !stopped else { return }
        stopped = true
        _ = try? tmux(["kill-server"])
        // If the server outlived kill-server, it goes by its pid (checked to still be this server).
        if serverPID > 0, let command = try? String(contentsOfFile: "/proc/\(serverPID)/cmdline", encoding: .utf8),
            command.contains(socket)
        {
            kill(serverPID, SIGKILL)
        }
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }

    private var stopped = false
    private var serverPID: pid_t = 0

    deinit { stop() }

    /// Runs tmux on this test's private server (posix_spawn with every other descriptor closed, and
    /// waitpid: the server it starts must hold nothing of ours); its output goes through a file.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of this process reaches tmux: its server would otherwise keep the pipes of other
        // tests' subprocesses open, and their readers would wait for an end of file forever. The shell
        // closes every descriptor above 2 in the child, then becomes tmux.
        let closeAll = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec tmux "$@""#
        let words = ["bash", "-c", closeAll, "tmux", "-L", socket, "-f", "/dev/null"] + arguments
        let environment = ["PATH=/usr/bin:/bin:/usr/local/bin", "TERM=screen", "LANG=C.UTF-8", "TMUX_TMPDIR=/tmp"]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, "bash", &actions, nil, &argv, &envp) == 0 else {
            throw ReplTerminalError("cannot start tmux")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128
        if exited != 0 && arguments.first != "kill-server" {
            throw ReplTerminalError("tmux \(arguments.joined(separator: " ")) failed (\(exited))")
        }
        return text
    }

    static func shellQuote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct ReplTerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
