#!/usr/bin/env bash
# Peak memory of one large deposit: `chorus run` depositing a 9.5 MB UBL invoice to a `chorus sim`
# running in another process (so only the client is measured), against the same command running an
# empty script. Peak memory swings between runs (glibc's per-thread arenas, how many threads the run
# wakes), so each is measured three times and the medians count; all three are printed.
# Usage: bench/deposit-memory.sh BINARY [PORT]
set -euo pipefail
bin=${1:?usage: bench/deposit-memory.sh path/to/chorus}
port=${2:-18091}
work=$(mktemp -d)
. "$(dirname "$0")/lib-sim.sh"
bench_start_sim "$bin" "$port" "$work/sim.log"
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# A valid UBL invoice grown to 9.5 MB by a long note (detection still reads it as UBL).
python3 - "$work/big-invoice.xml" <<'PY'
import sys
src = open("examples/invoices/ubl-invoice.xml", encoding="utf-8").read()
target = 9_500_000
pad = "x" * (target - len(src.encode()) - len("<cbc:Note></cbc:Note>\n  "))
out = src.replace("<cbc:IssueDate>", "<cbc:Note>" + pad + "</cbc:Note>\n  <cbc:IssueDate>", 1)
open(sys.argv[1], "w", encoding="utf-8").write(out)
PY
cat > "$work/deposit.lua" <<'LUA'
local answer = chorus.invoices.deposit{ file = arg[1], ledger = false }  -- the same file twice: client memory only
assert(answer.numeroFluxDepot, "no numeroFluxDepot in the answer")
LUA
echo "" > "$work/empty.lua"

peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
size=$(stat -c %s "$work/big-invoice.xml")
idles=() busys=()
for _ in 1 2 3; do
    idles+=("$(peak "$bin" run -q "$work/empty.lua")")
    busys+=("$(peak "$bin" run -q --allow-path "$work" "$work/deposit.lua" "$work/big-invoice.xml")")
done
echo "peak RSS in KB, idle: ${idles[*]}; with the deposit: ${busys[*]}"
idle=$(median3 "${idles[@]}")
busy=$(median3 "${busys[@]}")
"$bin" run -q --allow-path "$work" "$work/deposit.lua" "$work/big-invoice.xml" || { echo "the deposit failed" >&2; exit 1; }
extra=$((busy - idle))
awk -v s="$size" -v i="$idle" -v b="$busy" -v e="$extra" 'BEGIN {
    printf "file %.1f MB; peak RSS idle %.1f MB, with the deposit %.1f MB: +%.1f MB above idle = %.1f x the file size\n",
        s / 1e6, i / 1024, b / 1024, e / 1024, e * 1024 / s
    printf "BENCH file_mb %.2f\nBENCH idle_mb %.1f\nBENCH busy_mb %.1f\nBENCH extra_mb %.1f\nBENCH rss_ratio %.2f\n",
        s / 1e6, i / 1024, b / 1024, e / 1024, e * 1024 / s }'
