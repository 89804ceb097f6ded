#!/usr/bin/env bash
# TOML reader (TOMLReader) of the configuration file, simulator scenarios and plugin manifests
exec "$(dirname "$0")/../lib/libfuzzer.sh" toml "$@"
