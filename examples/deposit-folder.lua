-- deposit-folder.lua: deposits every invoice of a folder concurrently (at most 4 at a time): XML and
-- PDF invoices, and the lots (.zip, .tar, .tar.gz, .tgz archives of several invoices); waits for each
-- flux, prints one line per file with the rejection reasons, and exits 1 if any file was not
-- fully integrated.
--   ./scripts/chorus run examples/deposit-folder.lua [FOLDER]
local here = arg[0]:match("^(.*)/") or "."
local folder = arg[1] or (here .. "/invoices")

local function is_lot(name)
  return name:match("%.zip$") or name:match("%.tar$") or name:match("%.tar%.gz$") or name:match("%.tgz$")
end

local files = {}
for _, name in ipairs(chorus.fs.list(folder)) do
  if name:match("%.xml$") or name:match("%.pdf$") or is_lot(name) then files[#files + 1] = folder .. "/" .. name end
end
print(("%d invoice file(s) in %s"):format(#files, folder))

local jobs = {}
for i, file in ipairs(files) do
  jobs[i] = function()
    -- Through the deposit ledger (docs/ledger.md), lots too: an invoice already sent is refused,
    -- and one whose recipient cannot take it is refused before anything is sent.
    local deposit = chorus.invoices.deposit{ file = file }
    local report = chorus.flows.wait(deposit.numeroFluxDepot, { timeout = 300, interval = 1 })
    return { flux = deposit.numeroFluxDepot, state = report.etatCourantDepotFlux, errors = report.listeErreurDP }
  end
end
local results, errors = chorus.all(jobs, { settle = true, limit = 4 })

local integrated = 0
for i, file in ipairs(files) do
  local r, err = results[i], errors[i]
  if chorus.errors.is(err, "MISUSE") then
    -- Refused before sending (the pre-deposit checks): the reason is inside the argument error.
    print(("%-32s  %-20s %s"):format(chorus.fs.basename(file), "refused", err:match("to 'deposit' %((.*)%)$") or err))
  elseif err then
    print(("%-32s  error  %s"):format(chorus.fs.basename(file), tostring(err)))
  else
    print(("%-32s  %-20s %s"):format(chorus.fs.basename(file), r.state, r.flux))
    for _, e in ipairs(r.errors or {}) do print(("%-32s    %s"):format("", e.libelleErreurDP)) end
    if r.state == "IN_INTEGRE" then integrated = integrated + 1 end
  end
end
print(("%d of %d integrated"):format(integrated, #files))
if integrated < #files then chorus.exit(1, ("%d file(s) not fully integrated"):format(#files - integrated)) end
