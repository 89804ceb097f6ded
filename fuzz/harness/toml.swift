// Fuzzes TOMLReader, the strict TOML reader of the configuration file, simulator scenarios and plugin manifests.
// sources: Sources/JSONValue/JSONValue.swift Sources/ChorusAPI/Config/TOMLReader.swift Sources/ChorusAPI/Config/TOMLReader+Values.swift Sources/ChorusAPI/Config/TOMLScanner.swift Sources/ChorusAPI/Config/TOMLDocument.swift
// seeds: fuzz/seeds/toml examples/error-classes.toml
// strip-imports: JSONValue

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Any answer but a crash: a value, or an error at a position inside the document.
    do {
        _ = try TOMLReader.parse(bytes)
    } catch {
        guard error.line >= 1, error.column >= 1, !error.reason.isEmpty else { fatalError("bad error \(error)") }
    }
    return 0
}
