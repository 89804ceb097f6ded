-- typed-report.lua: a script written with the editor types `chorus stubs` generates (lua-language-server
-- completes chorus.* and checks these annotations against them): the invoices of a deposit, by status.
-- On the built-in simulator it deposits the sample invoice first.
--   ./scripts/chorus stubs && ./scripts/chorus run examples/typed-report.lua [NUMERO_FLUX_DEPOT]
local here = arg[0]:match("^(.*)/") or "."

---@type string
local flux = arg[1]
if flux == nil then
  ---@type {numeroFluxDepot: string, dateDepot: string, syntaxeFlux: string}
  local deposit = chorus.invoices.deposit{ file = here .. "/invoices/ubl-invoice.xml" }
  flux = deposit.numeroFluxDepot
end

---@type chorus.InvoiceQuery
local query = { side = "supplier", numeroFluxDepot = flux, page_size = 50 }

chorus.flows.wait(flux, { interval = 0.5 })
---@type table<string, integer>
local by_status = {}
for invoice in chorus.invoices.each(query) do
  local status = chorus.invoices.status_of(invoice) or "?"
  by_status[status] = (by_status[status] or 0) + 1
  print(("%-20s %-12s id %d"):format(invoice.numeroFacture, status, chorus.invoices.id_of(invoice)))
end

---@type string?, chorus.Error|string?
local _, err = chorus.try(chorus.invoices.get, "not an id")
print(("a misuse is told apart: %s"):format(tostring(chorus.errors.is(err, "MISUSE"))))
for status, n in pairs(by_status) do print(("%s: %d"):format(status, n)) end
