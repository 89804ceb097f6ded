-- error-classes.lua: forces every error class a script can meet and shows what it carries (code,
-- HTTP status, codeRetour, the fix) and the exit code an uncaught one gives. The simulator plays the
-- failures from examples/error-classes.toml. (CANCELLED, a request stopped by Ctrl-C, is not forced.)
--   CHORUS_SIM_SCENARIO=examples/error-classes.toml ./scripts/chorus run examples/error-classes.lua
local here = arg[0]:match("^(.*)/") or "."
if chorus.env().name ~= "sim" then chorus.exit(2, "run it on the built-in simulator (see its first lines)") end

local cases = {
  { "AUTH_APP", function() return chorus.token() end },
  { "NOT_SUBSCRIBED", function() return chorus.lookups.vat_rates() end },
  { "AUTH_ACCOUNT", function() return chorus.lookups.payment_modes() end },
  { "ENVIRONMENT", function() return chorus.lookups.flux_formats() end },
  { "SERVER", function() return chorus.lookups.countries() end },
  { "RATE_LIMITED", function() return chorus.lookups.currencies() end },
  { "NETWORK", function() return chorus.lookups.deposit_modes() end },
  { "UNCERTAIN", function() return chorus.attachments.add(here .. "/attachments/bon-de-livraison.pdf") end },
  { "STRUCTURE", function() return chorus.call("structures.consulterStructureAvecTVAIntraCom", { idStructureCPP = 1 }) end },
  { "BUSINESS", function() return chorus.call("factures.traiterUneFactureRecue", { idFacture = 1, nouveauStatut = "MANDATEE" }) end },
  { "TIMEOUT", function()
      local d = chorus.invoices.deposit{ file = here .. "/invoices/ubl-credit-note.xml" }
      return chorus.flows.wait(d.numeroFluxDepot, { timeout = 0.1, interval = 0.05 })
    end },
  { "DUPLICATE", function()
      chorus.invoices.deposit{ file = here .. "/invoices/ubl-invoice.xml" }
      return chorus.invoices.deposit{ file = here .. "/invoices/ubl-invoice.xml" }
    end },
  { "CONFIG", function() return chorus.as("nobody", chorus.health) end },
  { "MISUSE", function() return chorus.invoices.get("not an id") end },
}

local wrong = 0
for _, case in ipairs(cases) do
  local expected, f = case[1], case[2]
  local ok, err = pcall(f)
  local got = ok and "no error" or (chorus.errors.is(err, "MISUSE") and "MISUSE") or (chorus.errors.is(err) and err.code) or "other"
  if got ~= expected then wrong = wrong + 1 end
  print(("%-15s %-4s %s"):format(expected, got == expected and "ok" or "GOT " .. got, ok and "" or tostring(err)))
  if chorus.errors.is(err) and err.remediation then print(("%-20s fix: %s"):format("", err.remediation)) end
end
if wrong > 0 then chorus.exit(1, ("%d class(es) not reproduced"):format(wrong)) end
print(("all %d classes reproduced"):format(#cases))
