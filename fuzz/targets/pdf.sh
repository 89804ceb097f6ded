#!/usr/bin/env bash
# PDF embedded-file reader (PDFAttachments, FlateDecode) and Factur-X detection
exec "$(dirname "$0")/../lib/libfuzzer.sh" pdf "$@"
