// Fuzzes PDFAttachments (stream scanning, FlateDecode with its budget) and Factur-X detection.
// sources: Sources/ChorusAPI/Invoices/XMLReader.swift Sources/ChorusAPI/Invoices/XMLElement.swift Sources/ChorusAPI/Invoices/InvoiceDocument.swift Sources/ChorusAPI/Invoices/InvoiceDocument+UBL.swift Sources/ChorusAPI/Invoices/InvoiceDocument+CII.swift Sources/ChorusAPI/Invoices/PDFAttachments.swift Sources/ChorusAPI/Invoices/InvoiceArchive.swift Sources/ChorusAPI/Checks/String+ASCIIReplacing.swift
// seeds: examples/invoices/facturx-invoice.pdf examples/invoices/facturx-uncompressed.pdf Tests/ChorusAPITests/Fixtures/facturx-library.pdf

import Foundation  // InvoiceDocument reads numbers with Foundation (imported elsewhere in ChorusAPI)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = PDFAttachments.embeddedFiles(in: bytes, anyStream: true)
    // Always through the PDF path of detect, whatever the first bytes the fuzzer chose.
    if !bytes.starts(with: Array("%PDF-".utf8)) { bytes = Array("%PDF-".utf8) + bytes }
    _ = InvoiceDocument.detect(bytes)
    return 0
}
