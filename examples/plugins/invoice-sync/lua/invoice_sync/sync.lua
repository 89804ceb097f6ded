-- The work of invoice-sync. State kept in chorus.store (the only state that lasts between runs):
--   inbox                 the folder (default "inbox")
--   pending:NAME          {flux = numeroFluxDepot, deposited = ISO time} for each file deposited, not final yet
--   totals                {deposited, done, rejected}
--   last_run              ISO time of the last sync
local M = {}

local EXTENSIONS = { xml = true, pdf = true, zip = true, tgz = true, tar = true, gz = true }

local function inbox() return chorus.store.get("inbox") or "inbox" end

local function is_invoice(name)
  local extension = name:match("%.([%w]+)$")
  return extension ~= nil and EXTENSIONS[extension:lower()] == true
end

local function count(field)
  chorus.store.update("totals", function(totals)
    totals = totals or { deposited = 0, done = 0, rejected = 0 }
    totals[field] = (totals[field] or 0) + 1
    return totals
  end)
end

-- Moves the file out of the inbox; a rejected one gets its reason beside it.
local function file_away(name, outcome, reason)
  local folder = inbox()
  chorus.fs.move(folder .. "/" .. name, folder .. "/" .. outcome .. "/" .. name)
  if reason then chorus.fs.write(folder .. "/" .. outcome .. "/" .. name .. ".reason.txt", reason .. "\n") end
  count(outcome)
  chorus.log.info(string.format("%s: %s%s", name, outcome, reason and (" (" .. reason:gsub("\n", "; ") .. ")") or ""))
end

-- Why a deposit was refused before anything was sent, in the words of the check or the ledger;
-- nil for an error worth trying again on the next run (network, server, an uncertain deposit).
local function refusal(err)
  if chorus.errors.is(err, "MISUSE") then
    return tostring(err):match("to 'deposit' %((.*)%)$") or tostring(err)
  end
  if chorus.errors.is(err, "DUPLICATE") then return err.message end
  if chorus.errors.is(err, "BUSINESS") or chorus.errors.is(err, "STRUCTURE") then return err.message end
  return nil
end

local function deposit_new(folder)
  local retry
  for _, name in ipairs(chorus.fs.list(folder)) do
    if is_invoice(name) and chorus.store.get("pending:" .. name) == nil then
      local ok, result = pcall(chorus.invoices.deposit, { file = folder .. "/" .. name })
      if ok then
        chorus.store.set("pending:" .. name, { flux = result.numeroFluxDepot, deposited = chorus.time.iso() })
        count("deposited")
        chorus.log.info(string.format("%s: deposited as flux %s", name, result.numeroFluxDepot))
      else
        local reason = refusal(result)
        if reason then
          file_away(name, "rejected", reason)
        else
          -- Left in the inbox for the next run; the run fails with this error so the scheduler
          -- retries it if it is worth retrying (NETWORK, SERVER, RATE_LIMITED).
          chorus.log.warn(string.format("%s: not deposited this time: %s", name, tostring(result)))
          retry = retry or result
        end
      end
    end
  end
  return retry
end

local function follow_pending()
  for _, key in ipairs(chorus.store.keys("pending:")) do
    local name = key:sub(#"pending:" + 1)
    local entry = chorus.store.get(key)
    local report = chorus.flows.report(entry.flux)
    local state = report.etatCourantDepotFlux
    if chorus.flows.is_final(state) then
      if state == "IN_INTEGRE" then
        file_away(name, "done")
      else
        local reasons = {}
        for _, e in ipairs(report.listeErreurDP or {}) do reasons[#reasons + 1] = e.libelleErreurDP end
        if #reasons == 0 then reasons[1] = "flux " .. entry.flux .. " ended " .. tostring(state) end
        file_away(name, "rejected", string.format("flux %s: %s\n%s", entry.flux, state, table.concat(reasons, "\n")))
      end
      chorus.store.delete(key)
    end
  end
end

function M.run(ctx)
  local folder = inbox()
  if not chorus.fs.exists(folder) then
    error(string.format("the inbox '%s' does not exist: create it, or set another with invoice-sync:configure", folder), 0)
  end
  local retry = deposit_new(folder)
  follow_pending()
  chorus.store.set("last_run", chorus.time.iso())
  if retry then error(retry, 0) end
end

function M.status(as_json)
  local folder = inbox()
  local waiting = {}
  if chorus.fs.exists(folder) then
    for _, name in ipairs(chorus.fs.list(folder)) do
      if is_invoice(name) and chorus.store.get("pending:" .. name) == nil then waiting[#waiting + 1] = name end
    end
  end
  local pending = {}
  for _, key in ipairs(chorus.store.keys("pending:")) do
    local entry = chorus.store.get(key)
    pending[#pending + 1] = { file = key:sub(#"pending:" + 1), flux = entry.flux, deposited = entry.deposited }
  end
  local totals = chorus.store.get("totals") or { deposited = 0, done = 0, rejected = 0 }
  local last = chorus.store.get("last_run")
  if as_json then
    print(chorus.json.encode({ inbox = folder, waiting = chorus.array(waiting), pending = chorus.array(pending),
      totals = totals, last_run = last or chorus.null }))
    return
  end
  print(string.format("inbox: %s (last sync: %s)", folder, last or "never"))
  print(string.format("waiting: %d%s", #waiting, #waiting > 0 and (" (" .. table.concat(waiting, ", ") .. ")") or ""))
  print(string.format("followed: %d", #pending))
  for _, p in ipairs(pending) do print(string.format("  %s  flux %s since %s", p.file, p.flux, p.deposited)) end
  print(string.format("totals: %d deposited, %d done, %d rejected", totals.deposited, totals.done, totals.rejected))
end

return M
