#!/usr/bin/env bash
# the Lua/Swift boundary: random scripts calling every chorus.* function with hostile values under tight limits
# Usage: fuzz/targets/lua-boundary.sh SECONDS WORKDIR
# Each case is a generated Lua script run by `chorus run --timeout T --memory-limit M`. A finding is a
# run killed by a signal, still alive past T + grace, or whose peak RSS exceeds M + the process overhead.
# Findings are kept in WORKDIR/crashes/ with the command that reproduces them.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:?usage: lua-boundary.sh SECONDS WORKDIR}
work=${2:?usage: lua-boundary.sh SECONDS WORKDIR}
mkdir -p "$work"
binary=${CHORUS_BINARY:-}
if [ -z "$binary" ]; then
    for candidate in .build/release/chorus .build/debug/chorus; do
        [ -x "$candidate" ] && { binary=$candidate; break; }
    done
fi
if [ -z "$binary" ]; then
    swift build --product chorus >&2
    binary=.build/debug/chorus
fi
command -v python3 >/dev/null 2>&1 || { echo "lua-boundary: needs python3" >&2; exit 2; }
# GNU time reports each case's peak RSS and the signal that ended it (apt package `time`).
[ -x /usr/bin/time ] || { echo "lua-boundary: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
exec python3 fuzz/lua-boundary/fuzz.py --binary "$binary" --seconds "$seconds" --work "$work"
