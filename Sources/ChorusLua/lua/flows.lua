local lib, helpers = ...
local S = helpers.chorus
local chorus = helpers.namespace
local string_format, type = string.format, type

local FINAL = S.vocabulary.final_flow_state

-- "0.5 s", "12 s": a wait of half a second must not read "after 0 s".
local function seconds(x)
  if x >= 10 then return string_format("%d s", math.floor(x)) end
  if x >= 1 then return (string_format("%.1f", x):gsub("%.0$", "")) .. " s" end
  return string_format("%.2g s", x)
end

-- The report, or the platform's own error for an unknown flux, kept whole (status, codeRetour,
-- libelle) with a message that says which flux and what to check.
local function report_or_raise(numero)
  local ok, answer = pcall(S.call, "transverses.consulterCRDetaille", { numeroFluxDepot = numero }, false)
  if ok then return answer end
  if getmetatable(answer) == chorus.Error and answer.code == "BUSINESS" then
    local fields = {}
    for k, v in pairs(answer) do fields[k] = v end
    fields.message = string_format("flux %s is unknown in this environment (%s)", numero,
      tostring(answer.libelle or answer.message))
    fields.remediation = "Check the numeroFluxDepot returned by the deposit, and that the environment is the one you deposited in."
    S.raise(fields)
  end
  error(answer, 0)
end

local function check_number(fname, numero)
  if type(numero) ~= "string" or numero == "" then
    S.fail(fname, 1, string_format("numeroFluxDepot (a string such as 'CPP0011...') expected, got %s", S.typename(numero)))
  end
end

function lib.report(numero)
  check_number("report", numero)
  return S.call("transverses.consulterCRDetaille", { numeroFluxDepot = numero }, true)
end

function lib.wait(numero, options)
  check_number("wait", numero)
  options = S.options("wait", 2, options, { "timeout", "interval" }, true)
  local timeout, interval = options.timeout or 600, options.interval or 2
  if type(timeout) ~= "number" or timeout <= 0 then S.fail("wait", 2, "timeout must be a number of seconds > 0") end
  if type(interval) ~= "number" or interval <= 0 then S.fail("wait", 2, "interval must be a number of seconds > 0") end
  local started = chorus.time.monotonic()
  while true do
    local report = report_or_raise(numero)
    local state = report.etatCourantDepotFlux
    if FINAL[state] then return report end
    local elapsed = chorus.time.monotonic() - started
    if elapsed >= timeout then
      S.raise({ code = "TIMEOUT", operation = "transverses.consulterCRDetaille", retryable = true,
        message = string_format("flux %s is still %s after %s", numero, tostring(state), seconds(elapsed)),
        remediation = "Chorus Pro may take hours to process a flux; wait longer (flows.wait{timeout = ...}) or check it later with chorus.flows.report." })
    end
    chorus.sleep(math.min(interval, timeout - elapsed))
    interval = math.min(interval * 1.5, 30)
  end
end

function lib.is_final(state)
  if type(state) ~= "string" then
    S.fail("is_final", 1, string_format("string expected (an etatCourantDepotFlux), got %s", S.typename(state)))
  end
  return FINAL[state] == true
end

function lib.invoices(numero)
  check_number("invoices", numero)
  return chorus.invoices.search({ numeroFluxDepot = numero })
end
