// Fuzzes JSONValue's parser (every request body goes through it) and the serializer round trip.
// sources: Sources/JSONValue/JSONValue.swift Sources/JSONValue/JSONValue+Parsing.swift Sources/JSONValue/JSONValue+Serialization.swift
// seeds: fuzz/seeds/json

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    // What was parsed serializes, and the text parses back.
    let text = value.serializedBytes()
    guard (try? JSONValue.parse(text)) != nil else { fatalError("serialized JSON does not parse back") }
    return 0
}
