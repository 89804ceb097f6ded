-- quickstart.lua: deposit an invoice and follow it to the end, on the built-in simulator by default.
--   ./scripts/chorus run examples/quickstart.lua
-- With real credentials (see docs/configuration.md) the same script runs on the qualification
-- platform: ./scripts/chorus run --env sandbox examples/quickstart.lua
local here = arg[0]:match("^(.*)/") or "."
local recipient = arg[1] or "12345678200028"          -- the public structure we invoice
local invoice = arg[2] or (here .. "/invoices/facturx-invoice.pdf")

-- 1. Where are we? chorus never touches production unless you name it.
local env = chorus.env()
print(("Environment  %s  (%s)"):format(env.name, env.api_url))

-- 2. Does the recipient exist here, and what must an invoice to it carry?
local needs = chorus.structures.requirements(recipient)
if not needs then
  error(("recipient %s is not known in the %s environment"):format(recipient, env.name), 0)
end
print(("Recipient    %s  idStructureCPP %d, invoices must carry: %s"):format(
  recipient, needs.idStructureCPP, needs.requires))

-- 3. Deposit the invoice: the format (Factur-X here) is detected from the file.
local deposit = chorus.invoices.deposit{ file = invoice }
print(("Deposited    %s  as %s (flux %s)"):format(
  chorus.fs.basename(invoice), deposit.syntaxeFlux, deposit.numeroFluxDepot))

-- 4. Chorus Pro processes deposits asynchronously: wait for the final report.
local report = chorus.flows.wait(deposit.numeroFluxDepot, { timeout = 120, interval = 1 })
print(("Processed    %s"):format(report.etatCourantDepotFlux))
for _, e in ipairs(report.listeErreurDP or {}) do
  print(("  rejected   %s: %s"):format(e.numeroDP, e.libelleErreurDP))
end
if report.etatCourantDepotFlux ~= "IN_INTEGRE" then error("the flux was not integrated", 0) end

-- 5. The invoice now lives in Chorus Pro: show its status history.
for _, facture in ipairs(chorus.flows.invoices(deposit.numeroFluxDepot)) do
  print(("Invoice      %s  id %d  status %s"):format(facture.numeroFacture, facture.identifiantFactureCPP, facture.statut))
  local history = chorus.invoices.history(facture.identifiantFactureCPP)
  for _, step in ipairs(history.historiquesDesStatuts.histoStatut) do
    print(("  %-20s %s"):format(step.histoStatutCode, step.histoStatutDatePassage))
  end
end
