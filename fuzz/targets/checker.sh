#!/usr/bin/env bash
# Rule set (InvoiceChecker, every rule) and RejectionExplainer on arbitrary bytes
exec "$(dirname "$0")/../lib/libfuzzer.sh" checker "$@"
