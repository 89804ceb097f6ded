-- Throughput of chorus.base64 and chorus.json on invoice-sized data (a 9.5 MB binary file, and a
-- 12.7 MB string field as a deposit's fichierFlux), in MB/s of input.
local clock = os.clock
local size = tonumber(arg[1]) or (9.5 * 1024 * 1024)
local parts = {}
for i = 0, 255 do parts[#parts + 1] = string.char(i) end
local block = table.concat(parts)
local blob = string.rep(block, math.floor(size / #block))

local function rate(label, bytes, f, rounds)
  f() -- warm up
  local start = clock()
  for _ = 1, rounds do f() end
  local elapsed = (clock() - start) / rounds
  print(("%-40s %8.0f MB/s"):format(label, bytes / elapsed / 1e6))
end

local encoded = chorus.base64.encode(blob)
rate(("base64.encode of %.1f MB"):format(#blob / 1048576), #blob, function() chorus.base64.encode(blob) end, 5)
rate(("base64.decode of %.1f MB"):format(#encoded / 1048576), #encoded, function() chorus.base64.decode(encoded) end, 5)
local field = { fichierFlux = encoded, nomFichier = "facture.pdf", syntaxeFlux = "IN_DP_E2_CII_FACTURX" }
rate(("json.encode of a %.1f MB string field"):format(#encoded / 1048576), #encoded, function() chorus.json.encode(field) end, 5)
local text = chorus.json.encode(field)
rate(("json.decode of %.1f MB"):format(#text / 1048576), #text, function() chorus.json.decode(text) end, 5)
