# Sourced by the bench scripts. bench_start_sim BINARY PORT LOG [SIM ARGS...] starts `chorus sim` on
# PORT in the background (SIM ARGS go to it), waits until it answers, sets sim_pid, and exports the
# seed credentials `chorus sim` prints (docs/simulator.md) so `chorus` talks to it (env custom).
# The caller's EXIT trap stops it.
bench_start_sim() {
    local bin=$1 port=$2 log=$3
    shift 3
    "$bin" sim --port "$port" "$@" >"$log" 2>&1 &
    sim_pid=$!
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/_sim/health" >/dev/null 2>&1 && break
        sleep 0.1
    done
    export CHORUS_OAUTH_URL="http://127.0.0.1:$port/api/oauth/token" CHORUS_API_URL="http://127.0.0.1:$port"
    export CHORUS_CLIENT_ID=5f0c2a3e-5e6b-4c1a-9d7e-0000000051a1 CHORUS_CLIENT_SECRET=sim-secret-0f9c4b7e2d
    export CHORUS_TECH_LOGIN=TECH_1_98765432100015@cpro.fr CHORUS_TECH_PASSWORD='Fournisseur-Alpha-2026!'
}
