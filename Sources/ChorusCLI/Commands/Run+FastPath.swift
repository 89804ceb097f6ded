import ArgumentParser

/// A direct parse of the common `chorus run [OPTIONS] SCRIPT [ARGS...]` command line, so a script
/// starts without ArgumentParser's `parseAsRoot`, whose walk over every command and option type
/// (dynamic casts to its protocols) costs several milliseconds at each start.
///
/// It accepts only what it is sure ArgumentParser reads the same way: the `run` subcommand, then the
/// options of `Run` and `GlobalOptions` as `--name value`, `--name=value`, `-v` or `-q`, each
/// single-valued option at most once and no empty `--name=`, then a script path not starting with `-`, then the script's
/// arguments untouched. It builds the same `Run` value and runs the same `validate()`; anything else
/// (a help request, an unknown or repeated option, a value that does not convert, a command line
/// `validate()` refuses) returns nil and goes through the full parser, which gives the usual help,
/// errors and exit codes. The tests check, command line by command line, that both agree.
extension Run {
    /// The `Run` the full parser would make of `arguments` (without the executable's name), or nil
    /// when the full parser must decide.
    static func fastPath(_ arguments: [String]) -> Run? {
        guard arguments.first == "run" else { return nil }
        var timeout: Double?
        var memoryLimit: Int?
        var maxInflight: Int?
        var allowPath: [String] = []
        var strict = false
        var profile: String?
        var env: String?
        var config: String?
        var json = false
        var verbose = 0
        var quiet = false
        var index = 1
        while index < arguments.count {
            let word = arguments[index]
            guard word.hasPrefix("-") else { break }
            var name = word
            var inlineValue: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                inlineValue = String(word[word.index(after: equals)...])
            }
            // The value of an option: inline, or the next word (which must not look like an option).
            func value() -> String? {
                if let inlineValue { return inlineValue.isEmpty ? nil : inlineValue }
                index += 1
                guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                return arguments[index]
            }
            switch name {
            case "--timeout":
                guard timeout == nil, let text = value(), let parsed = Double(text) else { return nil }
                timeout = parsed
            case "--memory-limit":
                guard memoryLimit == nil, let text = value(), let parsed = Int(text) else { return nil }
                memoryLimit = parsed
            case "--max-inflight":
                guard maxInflight == nil, let text = value(), let parsed = Int(text) else { return nil }
                maxInflight = parsed
            case "--allow-path":
                guard let text = value() else { return nil }
                allowPath.append(text)
            case "--profile":
                guard profile == nil, let text = value() else { return nil }
                profile = text
            case "--env":
                guard env == nil, let text = value() else { return nil }
                env = text
            case "--config":
                guard config == nil, let text = value() else { return nil }
                config = text
            case "--strict" where inlineValue == nil && !strict: strict = true
            case "--json" where inlineValue == nil && !json: json = true
            case "--quiet" where inlineValue == nil && !quiet, "-q" where !quiet: quiet = true
            case "--verbose" where inlineValue == nil, "-v": verbose += 1
            default: return nil
            }
            index += 1
        }
        guard index < arguments.count else { return nil }
        var global = GlobalOptions()
        global.profile = profile
        global.env = env
        global.config = config
        global.json = json
        global.verbose = verbose
        global.quiet = quiet
        var run = Run()
        run.timeout = timeout
        run.memoryLimit = memoryLimit ?? Run.defaultMemoryLimitMB
        run.strict = strict
        run.maxInflight = maxInflight ?? Run.defaultMaxInflight
        run.allowPath = allowPath
        run.global = global
        run.script = arguments[index]
        run.arguments = Array(arguments[(index + 1)...])
        do { try run.validate() } catch { return nil }
        return run
    }
}
