import CEditLine
import Foundation

/// What reading one line gave.
public enum LineInput: Equatable, Sendable {
    /// A line, without its newline.
    case line(String)
    /// Ctrl-C while editing: the line is dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case endOfInput
}

/// The completions of the text before the cursor.
public struct Completion: Sendable, Equatable {
    /// How many characters before the cursor the candidates replace (the word being completed).
    public var wordLength: Int
    /// Full replacements of that word, sorted.
    public var candidates: [String]

    public init(wordLength: Int, candidates: [String]) {
        self.wordLength = wordLength
        self.candidates = candidates
    }
}

/// Reads lines one at a time: `LineEditor` on a terminal, `PlainLineReader` otherwise.
public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` when the reader shows prompts.
    func readLine(prompt: String) -> LineInput
    /// Records an entered chunk in the history (if the reader keeps one).
    func remember(_ entry: String)
    /// Whether Ctrl-C was typed right after the last line was entered, before the terminal was back in
    /// its normal mode (so it arrived as a character, not as a signal): the chunk should be cancelled.
    var interruptedAfterLine: Bool { get }
}

extension LineReader {
    public var interruptedAfterLine: Bool { false }
}

/// A reader for input that is not a terminal (a pipe, a file): no prompt, no editing, no history.
public final class PlainLineReader: LineReader {
    public init() {}
    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }
    public func remember(_ entry: String) {}
}

/// Line editing on a terminal with libedit: emacs keys, history (kept in a `LineHistory`), Tab
/// completion through `completer`, Ctrl-C as a key that drops the line, Ctrl-D to end.
public final class LineEditor: LineReader {
    private let editLine: OpaquePointer
    private let historyHandle: OpaquePointer
    /// The history file and its entries.
    public let history: LineHistory
    /// Completes the text before the cursor (nil: Tab inserts nothing).
    public var completer: ((String) -> Completion)?
    /// Where the list of candidates goes when Tab finds several (the terminal).
    public var listOutput: (String) -> Void = { text in cel_print(text) }
    private var prompt: UnsafeMutablePointer<CChar>?
    private var interrupted = false

    /// The marker around escape sequences in prompts (zero width for the editor).
    public static let promptEscape: Character = "\u{1}"

    /// An editor on stdin/stdout; nil when stdin or stdout is not a terminal (use `PlainLineReader`).
    public init?(program: String, history: LineHistory) {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else { return nil }
        // Multibyte characters (accents in SIRET names, payloads) need the locale's encoding.
        setlocale(LC_CTYPE, "")
        guard let el = cel_init(program), let h = history_init() else { return nil }
        editLine = el
        historyHandle = h
        self.history = history
        _ = cel_history_setsize(h, Int32(clamping: history.limit))
        for entry in history.entries { _ = cel_history_enter(h, entry) }
        _ = cel_set_history(el, h)
        _ = cel_set_editor(el, "emacs")
        _ = cel_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        _ = cel_set_prompt(
            el,
            { el in
                guard let el, let editor = LineEditor.owner(of: el) else { return nil }
                return editor.prompt
            }, CChar(1))
        // Ctrl-C is a key while editing (not a signal): it drops the line and keeps the session.
        _ = cel_setty(el, "-isig")
        _ = cel_add_function(
            el, "repl-interrupt", "Drop the line being edited",
            { el, _ in
                guard let el, let editor = LineEditor.owner(of: el) else { return UInt8(CC_ERROR) }
                editor.interrupted = true
                return UInt8(CC_NEWLINE)
            })
        _ = cel_bind(el, "^C", "repl-interrupt")
        _ = cel_add_function(
            el, "repl-complete", "Complete the word before the cursor",
            { el, _ in
                guard let el, let editor = LineEditor.owner(of: el) else { return UInt8(CC_ERROR) }
                return editor.complete()
            })
        _ = cel_bind(el, "^I", "repl-complete")
        // The user's own ~/.editrc applies last, as in other libedit programs.
        _ = el_source(el, nil)
    }

    deinit {
        el_end(editLine)
        history_end(historyHandle)
        free(prompt)
    }

    private static func owner(of el: OpaquePointer) -> LineEditor? {
        guard let data = cel_get_clientdata(el) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    public func readLine(prompt text: String) -> LineInput {
        free(prompt)
        prompt = strdup(text)
        interrupted = false
        el_resize(editLine)
        var count: Int32 = 0
        let raw = el_gets(editLine, &count)
        if interrupted {
            // The editor stays on the dropped line: show the key, as shells do, and go to the next one.
            cel_print("^C\n")
            return .interrupted
        }
        guard let raw else { return .endOfInput }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        interruptedAfterLine = takeInterruptTypedAhead()
        return .line(line)
    }

    public private(set) var interruptedAfterLine = false

    /// While a line is edited the terminal sends Ctrl-C as a character (`-isig`); one typed after Enter
    /// but before the editor gave the terminal back waits in the input as that character, and would
    /// otherwise only be read at the next prompt, after the chunk ran to its end. The typeahead is read
    /// once the terminal is back in its normal mode (a Ctrl-C from then on is a signal): with a Ctrl-C
    /// in it, it is dropped, as the terminal itself drops its input on an interrupt; without one, it is
    /// given back to the editor for the next line.
    private func takeInterruptTypedAhead() -> Bool {
        let waiting = Int(cel_pending_bytes(STDIN_FILENO))
        guard waiting > 0 else { return false }
        var typed = [UInt8](repeating: 0, count: waiting)
        let count = typed.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        typed.removeSubrange(count...)
        if typed.contains(Self.interruptCharacter) { return true }
        var text = typed.filter { $0 != 0 }.map { CChar(bitPattern: $0) }
        text.append(0)
        text.withUnsafeBufferPointer { el_push(editLine, $0.baseAddress) }
        return false
    }

    /// Ctrl-C.
    static let interruptCharacter: UInt8 = 0x03

    public func remember(_ entry: String) {
        let before = history.entries
        history.add(entry)
        guard history.entries != before else { return }
        // libedit's list follows the file: deduplicated, the newest last.
        _ = cel_history_clear(historyHandle)
        for item in history.entries { _ = cel_history_enter(historyHandle, item) }
    }

    /// Tab: one candidate is inserted; several insert their common prefix, or are listed.
    private func complete() -> UInt8 {
        guard let completer, let info = el_line(editLine)?.pointee else { return UInt8(CC_ERROR) }
        let length = info.cursor - info.buffer
        guard length >= 0 else { return UInt8(CC_ERROR) }
        let before = String(
            decoding: UnsafeRawBufferPointer(start: UnsafeRawPointer(info.buffer), count: length), as: UTF8.self)
        let completion = completer(before)
        let word = String(before.suffix(completion.wordLength))
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let common = Self.commonPrefix(completion.candidates)
        if common.count > word.count || (completion.candidates.count == 1 && common != word) {
            if completion.wordLength > 0 { el_deletestr(editLine, Int32(completion.wordLength)) }
            _ = el_insertstr(editLine, common)
            return UInt8(CC_REFRESH)
        }
        if completion.candidates.count == 1 { return UInt8(CC_REFRESH) }
        listOutput("\n" + Self.columns(completion.candidates, width: terminalWidth()))
        return UInt8(CC_REDISPLAY)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// Candidates in columns that fit `width`, at most 200 shown.
    static func columns(_ words: [String], width: Int) -> String {
        let shown = Array(words.prefix(200))
        let cell = (shown.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(cell, 1))
        var text = ""
        for (i, word) in shown.enumerated() {
            let last = (i + 1) % perLine == 0 || i == shown.count - 1
            text += last ? word + "\n" : word.padding(toLength: cell, withPad: " ", startingAt: 0)
        }
        if words.count > shown.count { text += "... and \(words.count - shown.count) more\n" }
        return text
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
