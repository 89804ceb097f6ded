#!/usr/bin/env bash
# TOML reader (TOMLReader) of the configuration file and simulator scenarios
exec "$(dirname "$0")/../lib/libfuzzer.sh" toml "$@"
