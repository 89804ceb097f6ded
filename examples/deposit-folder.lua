-- deposit-folder.lua: deposits every invoice of a folder concurrently (at most 4 at a time), waits
-- for each flux, and prints one line per file. Fails if any file was not integrated.
--   ./scripts/chorus run examples/deposit-folder.lua [FOLDER]
local here = arg[0]:match("^(.*)/") or "."
local folder = arg[1] or (here .. "/invoices")

local files = {}
for _, name in ipairs(chorus.fs.list(folder)) do
  if name:match("%.xml$") or name:match("%.pdf$") then files[#files + 1] = folder .. "/" .. name end
end
print(("%d invoice file(s) in %s"):format(#files, folder))

local jobs = {}
for i, file in ipairs(files) do
  jobs[i] = function()
    local deposit = chorus.invoices.deposit{ file = file }
    local report = chorus.flows.wait(deposit.numeroFluxDepot, { timeout = 300, interval = 1 })
    return { flux = deposit.numeroFluxDepot, state = report.etatCourantDepotFlux, errors = report.listeErreurDP }
  end
end
local results, errors = chorus.all(jobs, { settle = true, limit = 4 })

local integrated = 0
for i, file in ipairs(files) do
  local r, err = results[i], errors[i]
  if err then
    print(("%-32s  error  %s"):format(chorus.fs.basename(file), tostring(err)))
  else
    print(("%-32s  %-20s %s"):format(chorus.fs.basename(file), r.state, r.flux))
    for _, e in ipairs(r.errors or {}) do print(("%-32s    %s"):format("", e.libelleErreurDP)) end
    if r.state == "IN_INTEGRE" then integrated = integrated + 1 end
  end
end
print(("%d of %d integrated"):format(integrated, #files))
if integrated < #files then error(("%d file(s) not integrated"):format(#files - integrated), 0) end
