#!/usr/bin/env bash
# Simulator load test (run by scripts/bench; needs wrk and curl):
#   bench/sim-load.sh CHORUS_BINARY
# 1. 20 s of mixed deposits and searches at 64 connections, in 5 s windows (throughput over time),
#    errors, RSS before and after, and after a reset;
# 2. health-check at 1 000 connections;
# 3. deposit throughput on a fresh simulator and with 50 000 stored flux (FILL_FLUX), in memory and with
#    --state (a SQLite file written before each answer);
# 4. acknowledgement time of a 10 Mo deposit, in memory and with --state.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
port=${SIM_PORT:-18081}
base=http://127.0.0.1:$port
fill=${FILL_FLUX:-50000}
template=$root/examples/invoices/ubl-invoice.xml
ulimit -n 8192 2>/dev/null || true

state_dir=$(mktemp -d)
# start_sim [SIM ARGS...]: a simulator in memory, or with the given options (--state FILE).
start_sim() {
    "$bin" sim --port "$port" "$@" >/tmp/chorus-bench-sim.log 2>&1 &
    sim_pid=$!
    for _ in $(seq 1 600); do curl -sf "$base/_sim/health" >/dev/null 2>&1 && return; sleep 0.1; done
    echo "bench: simulator did not start" >&2; exit 1
}
stop_sim() { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; }
trap 'stop_sim; rm -rf "$state_dir"' EXIT
rss() { awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$sim_pid/status"; }
count() { curl -s "$base/_sim/health" | sed 's/.*"flux":\([0-9]*\).*/\1/'; }
auth() {
    token=$(curl -s -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
        -d 'grant_type=client_credentials&client_id=5f0c2a3e-5e6b-4c1a-9d7e-0000000051a1&client_secret=sim-secret-0f9c4b7e2d' \
        "$base/api/oauth/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
    account=$(printf '%s' 'TECH_1_98765432100015@cpro.fr:Fournisseur-Alpha-2026!' | base64 -w0)
    headers=(-H "Authorization: Bearer $token" -H "cpro-account: $account")
}
# One wrk run; prints "requests/s errors" (errors: socket errors plus non-2xx answers).
run_wrk() {
    local connections=$1 seconds=$2 mode=$3 out
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s "${headers[@]}" -s "$root/bench/sim-requests.lua" \
        "$base" -- "$template" "$mode" 2>&1)
    local rate errors non2xx
    rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    echo "${rate:-0} $(( ${errors:-0} + ${non2xx:-0} )) $(awk '/Latency/ {print $2}' <<<"$out")"
}

echo "== simulator: 20 s of deposits + searches at 64 connections (5 s windows)"
start_sim
auth
echo "RSS before: $(rss)"
total_errors=0
for window in 1 2 3 4; do
    read -r rate errors latency <<<"$(run_wrk 64 5 mixed)"
    total_errors=$((total_errors + errors))
    printf '  %2d-%2d s: %8s req/s  mean latency %-8s errors %s  (flux kept: %s)\n' \
        $(((window - 1) * 5)) $((window * 5)) "$rate" "$latency" "$errors" "$(count)"
done
echo "errors: $total_errors   RSS after: $(rss)"
curl -s -X POST "$base/_sim/reset" >/dev/null
auth
echo "RSS after /_sim/reset (state trimmed): $(rss)"

echo
echo "== simulator: health-check at 1 000 connections for 10 s"
hc=$(wrk -t2 -c1000 -d10s --timeout 10s "${headers[@]}" "$base/cpro/transverses/v1/health-check" 2>&1)
awk '/Requests\/sec|Socket errors|Non-2xx|Latency/' <<<"$hc"
echo "RSS after: $(rss)"
stop_sim

echo
# growth LABEL [SIM ARGS...]: deposits/s on a fresh simulator, then once FILL_FLUX flux are kept.
growth() {
    local label=$1 fresh loaded stored errors
    shift
    echo "== simulator ($label): deposits at 64 connections, fresh vs $fill stored flux"
    start_sim "$@"
    auth
    read -r fresh errors _ <<<"$(run_wrk 64 10 deposit)"
    echo "fresh (flux kept at start: 0):   $fresh deposits/s, errors $errors"
    local started=$SECONDS
    while [ "$(count)" -lt "$fill" ]; do run_wrk 64 10 deposit >/dev/null; done
    stored=$(count)
    echo "(filled to $stored flux in $((SECONDS - started)) s)"
    read -r loaded errors _ <<<"$(run_wrk 64 10 deposit)"
    echo "with $stored flux kept: $loaded deposits/s, errors $errors   RSS: $(rss)"
    awk -v a="$fresh" -v b="$loaded" 'BEGIN {printf "ratio: %.0f %% of fresh (target: at least 80 %%)\n", 100 * b / a}'
    if [ "$#" -gt 0 ]; then
        stop_sim
        local before=$SECONDS
        start_sim "$@"
        echo "restart with $(count) flux kept: $((SECONDS - before)) s to answer; state file $(du -h "$state_dir/sim.state" | cut -f1)"
    fi
    stop_sim
}
growth "in memory"
echo
growth "--state" --state "$state_dir/sim.state"

big=/tmp/chorus-bench-10mo.json
python3 - "$template" "$big" <<'PY'
import base64, sys
xml = open(sys.argv[1]).read()
# Pad the invoice with a note to just under the 10 Mo limit.
pad = "x" * (10 * 1024 * 1024 - len(xml) - 64)
xml = xml.replace("<cbc:IssueDate>", "<cbc:Note>" + pad + "</cbc:Note><cbc:IssueDate>", 1)
body = '{"fichierFlux":"%s","nomFichier":"big.xml","syntaxeFlux":"IN_DP_E1_UBL_INVOICE"}' % base64.b64encode(xml.encode()).decode()
open(sys.argv[2], "w").write(body)
PY
# ack LABEL [SIM ARGS...]: the median acknowledgement time of five 10 Mo deposits (time_total of curl:
# sending 13.4 Mo of JSON, reading it, answering).
ack() {
    local label=$1
    shift
    echo
    echo "== simulator ($label): acknowledgement of a 10 Mo deposit (median of 5)"
    start_sim "$@"
    auth
    local times=() body
    for _ in 1 2 3 4 5; do
        times+=("$(curl -s -o /tmp/chorus-bench-10mo.out -w '%{time_total}' -X POST "${headers[@]}" \
            -H 'Content-Type: application/json;charset=utf-8' --data-binary "@$big" "$base/cpro/factures/v1/deposer/flux")")
        grep -q '"codeRetour":0' /tmp/chorus-bench-10mo.out || { echo "deposit refused: $(head -c 300 /tmp/chorus-bench-10mo.out)"; }
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "10 Mo deposit acknowledged in %.0f ms (median; runs: %d; fastest %.0f ms, slowest %.0f ms; target < 300 ms)\n", a[int((NR+1)/2)] * 1000, NR, a[1] * 1000, a[NR] * 1000}'
    echo "RSS after: $(rss)"
    stop_sim
}
ack "in memory"
ack "--state" --state "$state_dir/big.state"
