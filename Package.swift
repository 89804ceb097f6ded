// swift-tools-version:6.0
import PackageDescription

/// chorus: a Lua 5.4 runtime with authenticated access to Chorus Pro through PISTE.
/// Module boundaries follow DESIGN.md §1; dependencies point one way:
/// ChorusCLI → (ChorusLua →) {LuaRuntime, ChorusAPI} → JSONValue, and LuaRuntime → CLuaShims → CLua.
let package = Package(
    name: "chorus",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chorus", targets: ["ChorusCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already pulled in by async-http-client; named so ChorusAPI can classify DNS/TLS failures
        // and ChorusTestSupport can run a loopback HTTP server.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already pulled in by Hummingbird; named so the simulator can set arbitrary response headers.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already pulled in by the HTTP stack; named so the simulator can compute SHA-256 digests.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // SQLite for the deposit ledger (ChorusLedger), behind its LedgerStore protocol, and for the
        // simulator's state file.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Already pulled in by Hummingbird; the scheduler's graceful shutdown (SIGTERM, grace, cancel).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .target(name: "CLuaShims", dependencies: ["CLua"]),
        // The shipped Lua, compiled to bytecode at build time by the Lua chorus runs on (a start
        // then loads it without parsing it); a user's script is always loaded as text.
        .executableTarget(name: "LuaChunkCompiler", dependencies: ["CLua"]),
        .plugin(name: "LuaChunks", capability: .buildTool(), dependencies: ["LuaChunkCompiler"]),
        // zlib inflates the FlateDecode streams of Factur-X PDFs (ChorusAPI/Invoices).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libarchive reads the ZIP, tar and gzip lots of a deposit and writes the ZIPs of downloads
        // (ChorusAPI/Invoices): a maintained, fuzzed reader rather than a hand-written one. It is loaded
        // with dlopen on first use (its dozen dependent libraries cost every start ~2 ms otherwise), so
        // the build needs its header (apt `libarchive-dev`) and a run that reads a lot its library.
        .target(name: "CArchive", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // libedit (BSD licence) edits the lines of `chorus repl`: history, completion, Ctrl-C as a key.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),
        .target(name: "LineEditor", dependencies: ["CEditLine"]),
        .target(name: "JSONValue"),
        // "Did you mean" ranking, shared by the Lua runtime and the Chorus client.
        .target(name: "NameSuggestions"),
        .target(
            name: "LuaRuntime",
            dependencies: [
                "CLua", "CLuaShims", "JSONValue", "NameSuggestions",
                .product(name: "Logging", package: "swift-log"),
            ],
            // The runtime's own Lua (prelude, tasks), compiled into the binary.
            resources: [.embedInCode("lua")],
            plugins: ["LuaChunks"]
        ),
        .target(
            name: "ChorusAPI",
            dependencies: [
                "JSONValue", "CZlib", "CArchive", "NameSuggestions",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // The request fields of every operation (scripts/gen-request-fields), compiled into the binary.
            resources: [.embedInCode("Catalog/request-fields.json")]
        ),
        .target(
            name: "ChorusLedger",
            dependencies: [
                "ChorusAPI", "JSONValue",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ChorusLua",
            dependencies: [
                "LuaRuntime", "ChorusAPI", "ChorusLedger", "JSONValue", "NameSuggestions",
                .product(name: "Logging", package: "swift-log"),
            ],
            // The domain tables written in Lua (chorus.invoices...), compiled into the binary.
            resources: [.embedInCode("lua")],
            plugins: ["LuaChunks"]
        ),
        .target(
            name: "ChorusSimulator",
            dependencies: [
                "ChorusAPI", "JSONValue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The `--state` file (SQLite), written record by record.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Plugins (discovery, manifest, permissions, chorus.store), the scheduler and its run records.
        .target(
            name: "HostCore",
            dependencies: [
                "ChorusLua", "ChorusLedger", "ChorusAPI", "LuaRuntime", "JSONValue",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "NameSuggestions",
            ],
            // The plugin API written in Lua (registration, permission gates, the store's update).
            resources: [.embedInCode("lua")],
            plugins: ["LuaChunks"]
        ),
        .executableTarget(
            name: "ChorusCLI",
            dependencies: [
                "LuaRuntime", "ChorusAPI", "ChorusLedger", "ChorusLua", "ChorusSimulator", "HostCore", "JSONValue", "LineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // `chorus schedule run`: the scheduler in a service group (graceful shutdown).
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The Swift driver exports every symbol of an executable on Linux (47,000 here); nothing
            // looks them up, and at each start the runtime's `dladdr` walks them all (~10 % of the start).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),
        .target(
            name: "ChorusTestSupport",
            dependencies: [
                "LuaRuntime", "JSONValue", "ChorusAPI", "ChorusSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "LineEditorTests", dependencies: ["LineEditor"]),
        .testTarget(
            name: "HostCorePluginTests",
            dependencies: ["HostCore", "ChorusLua", "ChorusAPI", "ChorusSimulator", "ChorusTestSupport", "LuaRuntime", "JSONValue"]
        ),
        .testTarget(
            name: "ChorusSimulatorTests",
            dependencies: [
                "ChorusSimulator", "ChorusAPI", "ChorusTestSupport", "JSONValue",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ChorusLedgerTests",
            dependencies: ["ChorusLedger", "ChorusAPI", "ChorusSimulator", "ChorusTestSupport", "JSONValue"]
        ),
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime", "ChorusTestSupport"]),
        .testTarget(
            name: "ChorusCLITests",
            dependencies: [
                "ChorusCLI", "ChorusTestSupport", "ChorusAPI", "ChorusLedger", "ChorusSimulator", "JSONValue",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The schedule tests write run records for `chorus schedule history` to show.
                "HostCore",
            ]),
        .testTarget(
            name: "ChorusLuaTests",
            dependencies: ["ChorusLua", "ChorusAPI", "ChorusSimulator", "LuaRuntime", "JSONValue", "ChorusTestSupport"]
        ),
        // The scheduler: cron, next runs across DST, overlap, catch-up, retries, run records, shutdown.
        .testTarget(
            name: "HostCoreScheduleTests",
            dependencies: [
                "HostCore", "ChorusTestSupport", "ChorusAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ChorusAPITests",
            dependencies: [
                "ChorusAPI", "ChorusTestSupport", "JSONValue",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // Files read by path from the tests (a Factur-X made by another tool, and its generator).
            exclude: ["Fixtures"]
        ),
    ]
)
