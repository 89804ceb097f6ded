#!/usr/bin/env bash
# XML reader of invoices (XMLReader, InvoiceDocument UBL/CII fields)
exec "$(dirname "$0")/../lib/libfuzzer.sh" xml "$@"
