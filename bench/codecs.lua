-- Throughput of chorus.base64 and chorus.json on invoice-sized data (a 9.5 MB binary file, and a
-- 12.7 MB string field as a deposit's fichierFlux), in MB/s of input, against the memory bandwidth
-- seen from the same VM (string.rep copying the same bytes: a memcpy into a fresh Lua string).
-- Prints "BENCH <name>_mbs N" lines.
local clock = os.clock
local size = tonumber(arg[1]) or (9.5 * 1024 * 1024)
local parts = {}
for i = 0, 255 do parts[#parts + 1] = string.char(i) end
local block = table.concat(parts)
local blob = string.rep(block, math.floor(size / #block))

local function rate(key, label, bytes, f, rounds)
  f() -- warm up
  local best = math.huge
  for _ = 1, rounds do
    local start = clock()
    f()
    best = math.min(best, clock() - start)
  end
  local mbs = bytes / best / 1e6
  print(("%-40s %8.0f MB/s"):format(label, mbs))
  print(("BENCH %s_mbs %.0f"):format(key, mbs))
end

rate("copy", ("memory copy of %.1f MB (string.rep)"):format(#blob / 1048576), 4 * #blob,
  function() string.rep(blob, 4) end, 5)
local encoded = chorus.base64.encode(blob)
rate("b64enc", ("base64.encode of %.1f MB"):format(#blob / 1048576), #blob, function() chorus.base64.encode(blob) end, 5)
rate("b64dec", ("base64.decode of %.1f MB"):format(#encoded / 1048576), #encoded, function() chorus.base64.decode(encoded) end, 5)
local field = { fichierFlux = encoded, nomFichier = "facture.pdf", syntaxeFlux = "IN_DP_E2_CII_FACTURX" }
rate("jsonenc", ("json.encode of a %.1f MB string field"):format(#encoded / 1048576), #encoded,
  function() chorus.json.encode(field) end, 5)
local text = chorus.json.encode(field)
rate("jsondec", ("json.decode of %.1f MB"):format(#text / 1048576), #text, function() chorus.json.decode(text) end, 5)
