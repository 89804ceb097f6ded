-- wrk script (scripts/bench): POSTs one fixed deposerFluxFacture body, the request chorus sends.
--   wrk ... -s bench/wrk-deposit.lua URL -- BODY_FILE TOKEN CPRO_ACCOUNT
function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.method = "POST"
  wrk.path = "/cpro/factures/v1/deposer/flux"
  wrk.headers["Content-Type"] = "application/json;charset=utf-8"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  wrk.headers["cpro-account"] = args[3]
end
