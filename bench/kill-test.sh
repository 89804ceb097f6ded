#!/usr/bin/env bash
# The kill test of the deposit ledger: N invoices deposited by `chorus deposit` to a `chorus sim --state`
# with faults on (10 % 503, 5 % reset after processing, latency), the deposit killed with SIGKILL at
# random points KILLS times and restarted each time with the same command, then run to the end. Passes
# when the simulator holds every invoice exactly once (read from its state) and the ledger agrees.
# The kills land at random points of progress, read from the simulator's request log.
# Usage: bench/kill-test.sh BINARY [N] [KILLS] [PORT]
set -euo pipefail
bin=${1:?usage: bench/kill-test.sh path/to/chorus [N] [KILLS] [PORT]}
n=${2:-200}
kills=${3:-5}
port=${4:-18093}
work=$(mktemp -d)
cat > "$work/faults.toml" <<'TOML'
[settings]
processing_delay = 0.5
routing_delay = 0.5

[[faults]]
operation = "deposerFluxFacture"
error_rate = 0.10
status = 503
latency_ms = 400

[[faults]]
operation = "deposerFluxFacture"
reset_rate = 0.05
TOML
. "$(dirname "$0")/lib-sim.sh"
bench_start_sim "$bin" "$port" "$work/sim.log" --state "$work/sim.json" --scenario "$work/faults.toml"
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
export CHORUS_LEDGER="$work/ledger.sqlite" CHORUS_LEDGER_SETTLE=3
mkdir "$work/invoices"
python3 - "$work/invoices" "$n" <<'PY'
import sys
src = open("examples/invoices/ubl-invoice.xml", encoding="utf-8").read()
for i in range(1, int(sys.argv[2]) + 1):
    open(f"{sys.argv[1]}/KT-{i:04d}.xml", "w", encoding="utf-8").write(src.replace("FA-UBL-2026-0001", f"KT-{i:04d}"))
PY
deposit() { "$bin" deposit -q "$work/invoices" --concurrency 8 >"$work/out.txt" 2>&1; }

# Deposit requests the simulator has answered (its request log).
requests() {
    curl -sf "http://127.0.0.1:$port/_sim/requests?limit=2000" | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin)["requests"] if r.get("operation") == "factures.deposerFluxFacture"))'
}
# Each kill lands at a random point of the run's progress (after 1 to N/(2 KILLS) more deposit
# requests), not after a random time: a fast build would otherwise be done before most kills.
running() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
for k in $(seq 1 "$kills"); do
    before=$(requests)
    target=$((before + 1 + RANDOM % (n / kills / 2 + 1)))
    deposit &
    pid=$!
    while running "$pid" && [ "$(requests)" -lt "$target" ]; do sleep 0.02; done
    if kill -KILL "$pid" 2>/dev/null; then
        echo "kill $k: SIGKILL after $(($(requests) - before)) deposit request(s) of this run"
    else
        echo "kill $k: the run had ended"
    fi
    { wait "$pid"; } 2>/dev/null || true
done
# Then the same command until the ledger has every invoice sent (a file deposited by an earlier run is
# refused, exit 9, so the exit code alone does not say when to stop; uncertain deposits wait for the
# settle window before a resend).
settled() {
    "$bin" ledger list --json -q >"$work/ledger.json"
    python3 -c 'import json,sys; rows=json.load(open(sys.argv[1])); sys.exit(0 if len(rows)==int(sys.argv[2]) and all(r["state"] in ("sent","integrated") for r in rows) else 1)' "$work/ledger.json" "$n"
}
for attempt in $(seq 1 20); do
    status=0
    deposit || status=$?
    echo "run $attempt: exit $status ($(tail -1 "$work/out.txt"))"
    if settled; then break; fi
    sleep 3
done

# Let the last flux be processed, and follow every report once (the simulator creates invoices when a
# flux is processed; `chorus watch` records the outcome in the ledger).
sleep 2
"$bin" watch --once -q >/dev/null
curl -sf "http://127.0.0.1:$port/_sim/state" >"$work/state.json"
"$bin" ledger list --json -q >"$work/ledger.json"
python3 - "$work/state.json" "$work/ledger.json" "$n" <<'PY'
import json, sys, collections
state, ledger, n = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
raw = state["invoices"]
# A dictionary with integer keys may be written as [key, value, key, value...].
invoices = list(raw.values()) if isinstance(raw, dict) else [v for v in raw if isinstance(v, dict)]
numbers = collections.Counter(i["number"] for i in invoices if i["number"].startswith("KT-"))
flux_of = {i["number"]: i.get("fluxNumber") for i in invoices if i["number"].startswith("KT-")}
missing = [f"KT-{i:04d}" for i in range(1, n + 1) if numbers[f"KT-{i:04d}"] == 0]
twice = {k: v for k, v in numbers.items() if v > 1}
rows = {r["invoice_number"]: r for r in ledger}
disagree = [k for k, r in rows.items() if r["state"] != "integrated" or r["numeroFluxDepot"] != flux_of.get(k)]
print(f"simulator: {len(numbers)} distinct invoices, {sum(numbers.values())} in all; missing {len(missing)}, twice {len(twice)}")
print(f"ledger: {len(rows)} rows, {len(disagree)} disagree with the simulator")
ok = not missing and not twice and len(rows) == n and not disagree
print("PASS: every invoice exactly once, and the ledger agrees" if ok else f"FAIL: missing {missing[:5]} twice {list(twice)[:5]} disagree {disagree[:5]}")
sys.exit(0 if ok else 1)
PY
