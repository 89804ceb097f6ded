-- received-invoices.lua: the recipient's side. Lists the invoices made available to us, downloads
-- each as PDF into a folder, and moves it to a new status (MISE_EN_PAIEMENT by default).
--   ./scripts/chorus run --allow-path . examples/received-invoices.lua [FOLDER] [STATUS]
-- (--allow-path . lets it save into the working directory, which scripts may otherwise only read)
local folder = arg[1] or "received"
local status = arg[2] or "MISE_EN_PAIEMENT"

local count = 0
for facture in chorus.invoices.each{ side = "recipient", statutCourant = "MISE_A_DISPOSITION" } do
  count = count + 1
  local saved = chorus.invoices.download{ ids = { facture.idFacture }, to = folder }
  local done = chorus.invoices.process{ id = facture.idFacture, status = status }
  print(("%-14s %-12s %10.2f %s  saved %s  -> %s"):format(
    facture.numeroFacture, tostring(facture.codeFournisseur or ""), facture.montantTTC or 0,
    facture.devise or "", saved.file, done.nouveauStatut))
end
print(("%d invoice(s) processed"):format(count))
