import Logging

/// Per-run limits and environment of a Lua state.
public struct LuaRunOptions: Sendable {
    /// Memory cap for everything Lua allocates, in bytes; `nil` for none. Default 256 MB.
    public var memoryLimit: Int?
    /// Wall-clock limit for the whole run, in seconds; `nil` for none.
    public var timeout: Double?
    /// Reading an undefined global or creating a global outside the main chunk raises an error.
    public var strictGlobals: Bool
    /// Most I/O operations in flight at once (timers are not counted).
    public var maxInFlight: Int
    /// Folder that `require` may load modules from; `nil` disables file modules.
    public var moduleRoot: String?
    /// Name of the global table holding the utilities (the host's name, e.g. its program name).
    public var namespace: String
    /// Where `print` writes (stdout by default).
    public var output: @Sendable (String) -> Void
    /// Where `print` writes text that is not valid UTF-8, byte for byte (stdout by default); when nil,
    /// such text goes to `output` with invalid bytes replaced by U+FFFD.
    public var rawOutput: (@Sendable ([UInt8]) -> Void)?
    /// Where `<namespace>.log.*` and Lua warnings go.
    public var logger: Logger
    /// Counts this run's live objects (for leak tests); nil in normal use.
    public var liveObjects: LiveObjects?

    public static let defaultMemoryLimit = 256 << 20
    /// The longest duration a run accepts (a timeout, a sleep): about 31 years. Longer ones do not fit
    /// Swift's clock arithmetic, and nobody means them.
    public static let maximumSeconds: Double = 1e9

    public init(
        namespace: String,
        memoryLimit: Int? = LuaRunOptions.defaultMemoryLimit,
        timeout: Double? = nil,
        strictGlobals: Bool = false,
        maxInFlight: Int = 8,
        moduleRoot: String? = nil,
        output: @escaping @Sendable (String) -> Void = { StandardOutput.write($0) },
        rawOutput: (@Sendable ([UInt8]) -> Void)? = { StandardOutput.write(bytes: $0) },
        logger: Logger? = nil
    ) {
        self.memoryLimit = memoryLimit
        self.timeout = timeout
        self.strictGlobals = strictGlobals
        self.maxInFlight = maxInFlight
        self.moduleRoot = moduleRoot
        self.namespace = namespace
        self.output = output
        self.rawOutput = rawOutput
        self.logger = logger ?? Logger(label: namespace + ".lua")
        self.liveObjects = nil
    }
}
