local lib, helpers = ...
local S = helpers.chorus
local chorus = helpers.namespace
local string_format, type = string.format, type

local FINAL = S.vocabulary.final_flow_state

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
    local report = S.call("transverses.consulterCRDetaille", { numeroFluxDepot = numero }, true)
    if report == nil then
      S.raise({ code = "BUSINESS", operation = "transverses.consulterCRDetaille", retryable = false,
        message = string_format("flux %s is unknown in this environment", numero),
        remediation = "Check the numeroFluxDepot returned by the deposit, and that the environment is the one you deposited in." })
    end
    local state = report.etatCourantDepotFlux
    if FINAL[state] then return report end
    local elapsed = chorus.time.monotonic() - started
    if elapsed >= timeout then
      S.raise({ code = "TIMEOUT", operation = "transverses.consulterCRDetaille", retryable = true,
        message = string_format("flux %s is still %s after %d s", numero, tostring(state), math.floor(elapsed)),
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
