-- received-invoices.lua: the recipient's side. Lists the invoices made available to the recipient,
-- downloads each as PDF into a folder (named by invoice number), and moves it to a new status
-- (MISE_EN_PAIEMENT by default). One script, two technical accounts: it acts as the recipient with
-- chorus.client{profile = ...}. On the built-in simulator, where nothing has been received yet, it
-- first deposits the sample invoice as the supplier (the default account) and waits for it to arrive.
--   ./scripts/chorus run --allow-path . examples/received-invoices.lua [FOLDER] [STATUS] [ACCOUNT]
-- (--allow-path . lets it save into the working directory, which scripts may otherwise only read;
-- ACCOUNT is the recipient's account: the simulator's "recipient", or a profile of your configuration)
local folder = arg[1] or "received"
local status = arg[2] or "MISE_EN_PAIEMENT"
local recipient = chorus.client{ profile = arg[3] or "recipient" }

local query = { side = "recipient", statutCourant = "MISE_A_DISPOSITION" }

if chorus.env().name == "sim" and #recipient.invoices.search(query) == 0 then
  local here = arg[0]:match("^(.*)/") or "."
  local deposit = chorus.invoices.deposit{ file = here .. "/invoices/ubl-invoice.xml" }
  chorus.flows.wait(deposit.numeroFluxDepot, { interval = 0.5 })
  print(("Deposited %s as the supplier (flux %s)"):format("ubl-invoice.xml", deposit.numeroFluxDepot))
  -- Chorus Pro routes the invoice to the recipient a moment later (DEPOSEE, EN_COURS_ACHEMINEMENT...).
  local deadline = chorus.time.monotonic() + 60
  while #recipient.invoices.search(query) == 0 do
    if chorus.time.monotonic() > deadline then chorus.exit(1, "the invoice never reached the recipient") end
    chorus.sleep(0.5)
  end
end

local count = 0
for facture in recipient.invoices.each(query) do
  count = count + 1
  local id = chorus.invoices.id_of(facture)
  local saved = recipient.invoices.download{ ids = { id }, to = folder }
  local done = recipient.invoices.process{ id = id, status = status }
  print(("%-14s %-14s %10.2f %s  saved %s  -> %s"):format(
    facture.numeroFacture, tostring(facture.codeFournisseur or ""), facture.montantTTC or 0,
    facture.devise or "", saved.file, done.nouveauStatut))
end
print(("%d invoice(s) processed"):format(count))
