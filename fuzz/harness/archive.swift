// Fuzzes InvoiceArchive.read (libarchive with the deposit budget): no crash, no hang, memory bounded.
// sources: Sources/ChorusAPI/Invoices/InvoiceArchive.swift Sources/ChorusAPI/Invoices/InvoiceArchive+Zip.swift
// seeds: examples/invoices/lot-ubl.zip examples/invoices/lot-partial.tar.gz Tests/ChorusAPITests/Fixtures/archives

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let entries = try? InvoiceArchive.read(bytes) {
        // What was read can be written back (the simulator's downloads use the same library).
        _ = InvoiceArchive.zip(entries)
    }
    return 0
}
