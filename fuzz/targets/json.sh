#!/usr/bin/env bash
# JSON parser and serializer (JSONValue) that reads every request body
exec "$(dirname "$0")/../lib/libfuzzer.sh" json "$@"
