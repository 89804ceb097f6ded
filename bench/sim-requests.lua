-- wrk script for the simulator load test (scripts/bench): deposits of UBL invoices with unique numbers,
-- optionally mixed with supplier searches.  wrk ... -s bench/sim-requests.lua URL -- TEMPLATE MODE
-- MODE is "deposit" (deposits only) or "mixed" (one search per deposit).
local template, mode
local counter, thread_id = 0, 0
local threads = {}

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1 = math.floor(n / 262144) % 64
    local c2 = math.floor(n / 4096) % 64
    local c3 = math.floor(n / 64) % 64
    local c4 = n % 64
    out[#out + 1] = alphabet:sub(c1 + 1, c1 + 1) .. alphabet:sub(c2 + 1, c2 + 1)
      .. (b and alphabet:sub(c3 + 1, c3 + 1) or "=") .. (c and alphabet:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  template = file:read("*a")
  file:close()
  mode = args[2] or "deposit"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json;charset=utf-8"
  math.randomseed(os.time() + thread_id)
end

local search = '{"rechercheFactureParFournisseur":{"nbResultatsParPage":10}}'

function request()
  counter = counter + 1
  if mode == "mixed" and counter % 2 == 0 then
    return wrk.format(nil, "/cpro/factures/v1/rechercher/fournisseur", nil, search)
  end
  local number = string.format("BENCH-%d-%d-%d", thread_id, math.random(1, 1000000000), counter)
  local xml = template:gsub("FA%-UBL%-2026%-0001", number)
  local body = '{"fichierFlux":"' .. base64(xml) .. '","nomFichier":"f.xml","syntaxeFlux":"IN_DP_E1_UBL_INVOICE"}'
  return wrk.format(nil, "/cpro/factures/v1/deposer/flux", nil, body)
end
