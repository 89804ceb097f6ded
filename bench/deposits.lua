-- Deposits of one invoice file through chorus.invoices.deposit (scripts/bench), timed from the first
-- deposit to the last, the token fetched before. `ledger = false`: the raw client path, as the
-- references (wrk, the PyPI peer) have no ledger; the ledger's own cost is its own row.
--   chorus run --allow-path DIR bench/deposits.lua FILE COUNT CONCURRENCY
-- CONCURRENCY 1 deposits one after the other in a plain loop; more runs them under chorus.all
-- with that limit. Prints "BENCH deposits_per_s R" and "BENCH syntax S".
local file, count, concurrency = arg[1], tonumber(arg[2]), tonumber(arg[3])
assert(file and count and concurrency, "usage: deposits.lua FILE COUNT CONCURRENCY")
local syntax
local function deposit()
  local answer = chorus.invoices.deposit{ file = file, name = "f.xml", ledger = false }
  assert(answer.numeroFluxDepot, "no numeroFluxDepot in the answer")
  syntax = answer.syntaxeFlux
end
chorus.token()
local t0 = chorus.time.monotonic()
if concurrency == 1 then
  for _ = 1, count do deposit() end
else
  local fns = {}
  for i = 1, count do fns[i] = deposit end
  chorus.all(fns, { limit = concurrency })
end
local elapsed = chorus.time.monotonic() - t0
print(("BENCH deposits_per_s %.1f"):format(count / elapsed))
print(("BENCH syntax %s"):format(syntax))
