#!/usr/bin/env bash
# ZIP, tar and tar.gz reader of deposits (InvoiceArchive on libarchive, with its budget)
exec "$(dirname "$0")/../lib/libfuzzer.sh" archive "$@"
