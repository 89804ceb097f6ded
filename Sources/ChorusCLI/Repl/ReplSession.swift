import ChorusAPI
import ChorusLua
import Foundation
import LineEditor
import LuaRuntime

/// One `chorus repl` session: reads chunks (`LineEditor` on a terminal, plain lines otherwise), runs
/// them in one Lua state through `ScriptRunner`'s REPL engine, prints values and errors, and handles
/// the meta commands.
final class ReplSession: @unchecked Sendable {
    let runner: ScriptRunner
    let environment: ChorusEnvironment
    let allowWrites: Bool
    let verbose: Bool
    let interactive: Bool
    let colour: Bool
    let reader: any LineReader
    let formatter: ValueFormatter
    let interrupts: ReplInterrupts
    let options: LuaRunOptions
    /// The chunks that ran without error, as a script would hold them (`.save`).
    var saved: [String] = []
    private let readQueue = DispatchQueue(label: "chorus.repl.read")

    init(
        options: LuaRunOptions, libraries: [LuaLibrary], environment: ChorusEnvironment, allowWrites: Bool,
        verbose: Bool, history: URL?
    ) throws(LuaError) {
        runner = try ScriptRunner(options: options, libraries: libraries)
        self.options = options
        self.environment = environment
        self.allowWrites = allowWrites
        self.verbose = verbose
        let environmentVariables = ProcessInfo.processInfo.environment
        let editor = LineEditor(program: "chorus", history: LineHistory(file: history))
        interactive = editor != nil
        colour =
            editor != nil && environmentVariables["NO_COLOR"].map { $0.isEmpty } ?? true
            && environmentVariables["TERM"] != "dumb"
        if let editor {
            editor.completer = ReplCompleter(runner: runner).complete
            reader = editor
        } else {
            reader = PlainLineReader()
        }
        formatter = ValueFormatter(
            namespace: options.namespace, colour: colour,
            describeError: { fields in
                ReplErrors.oneLine(fields)
            })
        interrupts = ReplInterrupts(exitWhenIdle: editor == nil)
    }

    // MARK: Prompts and banner

    var isProduction: Bool { environment.name == .prod }

    var prompt: String {
        let name = isProduction ? "PROD" : environment.name.rawValue
        guard colour else { return "chorus(\(name))> " }
        let e = String(LineEditor.promptEscape)
        let paint = isProduction ? "\u{1B}[1;31m" : "\u{1B}[36m"
        return e + paint + e + "chorus(\(name))" + e + "\u{1B}[0m" + e + "> "
    }

    let continuationPrompt = ">> "

    var banner: String {
        var lines = [
            "chorus \(ChorusVersion.current) (Lua 5.4) | environment \(environment.name.rawValue) | API \(environment.endpoints.apiBaseURL.absoluteString) | profile \(environment.profileName ?? "(none)")"
        ]
        if isProduction {
            lines.append(
                allowWrites
                    ? paint("PRODUCTION: allow_writes is set, writes are sent without confirmation", "1;31")
                    : paint("PRODUCTION: every write asks for confirmation", "1;31"))
        }
        lines.append("Type .help for help; Tab completes; Ctrl-C stops a chunk; Ctrl-D exits.")
        return lines.joined(separator: "\n") + "\n"
    }

    func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    // MARK: The loop

    /// Reads and runs chunks until the end of the input, `.exit` or `chorus.exit`; returns the exit code.
    func run() async -> Int32 {
        if interactive { StandardOutput.write(banner) }
        interrupts.start()
        defer { interrupts.stop() }
        var buffer: [String] = []
        var status = ExitStatus.success
        while true {
            interrupts.willRead()
            let input = await read(prompt: buffer.isEmpty ? prompt : continuationPrompt)
            switch input {
            case .endOfInput:
                if interactive { StandardOutput.write("\n") }
                if !buffer.isEmpty && !interactive {
                    _ = await runChunk(buffer.joined(separator: "\n"), final: true)
                    return ExitStatus.scriptError
                }
                return status
            case .interrupted:
                buffer = []
            case .line(let line):
                if reader.interruptedAfterLine { interrupts.interruptedAfterLine() }
                if buffer.isEmpty {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix(".") {
                        reader.remember(trimmed)
                        if let code = await meta(trimmed) { return code }
                        continue
                    }
                }
                buffer.append(line)
                let text = buffer.joined(separator: "\n")
                guard let outcome = await runChunk(text, final: false) else {
                    // Ctrl-C right after a line that leaves the chunk open drops the chunk, as at the prompt.
                    if reader.interruptedAfterLine {
                        buffer = []
                        StandardOutput.write("^C\n")
                    }
                    continue
                }
                buffer = []
                switch outcome {
                case .ok: break
                case .failed(let code): status = code
                case .exit(let code): return code
                }
            }
        }
    }

    /// `-e CODE...`: each chunk runs and prints as if entered; returns the code of the last failure.
    func run(chunks: [String]) async -> Int32 {
        interrupts.start()
        defer { interrupts.stop() }
        var status = ExitStatus.success
        for chunk in chunks {
            switch await runChunk(chunk, final: true) {
            case .ok?, nil: break
            case .failed(let code)?: status = code
            case .exit(let code)?: return code
            }
        }
        return status
    }

    enum ChunkOutcome {
        case ok
        case failed(Int32)
        case exit(Int32)
    }

    /// Runs `text` if it is a complete chunk; nil when more lines are needed (unless `final`, where an
    /// unfinished chunk is a syntax error).
    func runChunk(_ text: String, final: Bool) async -> ChunkOutcome? {
        let chunk = await runner.classify(text)
        let source: String
        switch chunk {
        case .incomplete:
            guard final else { return nil }
            // What Lua says at the end of the input: the statement form's error.
            reader.remember(text)
            report(text: "\(ScriptRunner.replChunkName): unfinished chunk at the end of the input")
            return .failed(ExitStatus.scriptError)
        case .syntaxError(let message):
            reader.remember(text)
            report(text: message)
            return .failed(ExitStatus.scriptError)
        case .expression(let s), .statements(let s):
            source = s
        }
        reader.remember(text)
        // Ctrl-C between Enter and here stops the chunk before it starts, as it would have stopped it
        // once started.
        guard interrupts.begin(runner.canceller) else {
            report(LuaError.cancelled)
            return .failed(ExitStatus.code(for: LuaError.cancelled))
        }
        let outcome = await runner.evaluate(source)
        interrupts.end()
        if let error = outcome.error {
            if case .exit(let code, let message) = error {
                if let message { StandardOutput.writeError(message + "\n") }
                return .exit(code)
            }
            report(error)
            return .failed(ExitStatus.code(for: error))
        }
        if !outcome.values.isEmpty {
            var text = formatter.format(outcome.values)
            // A chorus.Error returned as a value shows its remediation too, as an uncaught one does.
            for case .error(let fields) in outcome.values {
                if let fix = fields["remediation"]?.stringValue { text += "\n  fix: " + fix }
            }
            StandardOutput.write(text + "\n")
        }
        saved.append(await scriptForm(of: text, expression: chunk == .expression(source: source)))
        return .ok
    }

    /// How an entered chunk reads in a saved script: as it is when it can be followed by more code; an
    /// expression that is not a statement as `_ = expression`; statements ending with `return` in a
    /// function called at once (a `return` would otherwise end the script there).
    func scriptForm(of text: String, expression: Bool) async -> String {
        if await runner.compilesAsStatements(text + "\nlocal _") { return text }
        if expression { return "_ = " + text }
        return "_ = (function(...)\n" + text + "\nend)()"
    }

    private func read(prompt: String) async -> LineInput {
        let reader = UncheckedBox(reader)
        return await withCheckedContinuation { continuation in
            readQueue.async { continuation.resume(returning: reader.value.readLine(prompt: prompt)) }
        }
    }

    // MARK: Errors

    func report(_ error: LuaError) {
        var text: String
        switch error {
        case .cancelled:
            text = "interrupted"
        case .syntax(_, _, let message):
            text = message
        case .runtime(let message, _, let value):
            if case .object(let fields)? = value, fields["code"]?.stringValue != nil {
                text = ReplErrors.oneLine(fields)
                if let fix = fields["remediation"]?.stringValue { text += "\n  fix: " + fix }
            } else {
                text = message
            }
        case .host(let chorus as ChorusError, _):
            text = ReplErrors.oneLine(chorus.luaFields)
            if let fix = chorus.remediation { text += "\n  fix: " + fix }
        default:
            text = error.description
        }
        // The traceback only with -v: at the prompt the chunk is one line away.
        if verbose, let traceback = error.traceback { text += "\n" + traceback }
        report(text: text)
    }

    func report(text: String) {
        StandardOutput.writeError(paint(text, "31") + "\n")
    }
}

/// Holds a non-Sendable reference for a hop to the reading thread (only that thread uses it meanwhile).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
