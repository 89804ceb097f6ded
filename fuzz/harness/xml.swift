// Fuzzes XMLReader and the UBL/CII field extraction of InvoiceDocument.
// sources: Sources/ChorusAPI/Invoices/XMLReader.swift Sources/ChorusAPI/Invoices/XMLElement.swift Sources/ChorusAPI/Invoices/InvoiceDocument.swift Sources/ChorusAPI/Invoices/InvoiceDocument+UBL.swift Sources/ChorusAPI/Invoices/InvoiceDocument+CII.swift Sources/ChorusAPI/Invoices/PDFAttachments.swift Sources/ChorusAPI/Invoices/InvoiceArchive.swift Sources/ChorusAPI/Checks/String+ASCIIReplacing.swift
// seeds: examples/invoices/ubl-invoice.xml examples/invoices/cii-invoice.xml examples/invoices/ubl-credit-note.xml examples/invoices/rejected-missing-service.xml

import Foundation  // InvoiceDocument reads numbers with Foundation (imported elsewhere in ChorusAPI)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = XMLReader.parse(bytes)
    // Not a PDF, not an archive: detect goes straight to the XML reader and the field extraction.
    if !bytes.starts(with: Array("%PDF-".utf8)) { _ = InvoiceDocument.detect(bytes) }
    return 0
}
