-- complete-suspended.lua: the supplier completes an invoice the recipient suspended (SUSPENDUE): a
-- comment and an attachment, given as a path (chorus uploads it). With ID and FILE it completes that
-- invoice; without them, on the built-in simulator, it sets the scene first: deposits the sample
-- invoice as the supplier, and suspends it as the recipient (chorus.as).
--   ./scripts/chorus run examples/complete-suspended.lua [ID FILE]
local here = arg[0]:match("^(.*)/") or "."
local id, file = tonumber(arg[1]), arg[2] or (here .. "/attachments/bon-de-livraison.pdf")

if id == nil then
  if chorus.env().name ~= "sim" then chorus.exit(2, "give the id of a suspended invoice and a file: complete-suspended.lua ID FILE") end
  local deposit = chorus.invoices.deposit{ file = here .. "/invoices/ubl-invoice.xml" }
  chorus.flows.wait(deposit.numeroFluxDepot, { interval = 0.5 })
  id = chorus.invoices.id_of(chorus.flows.invoices(deposit.numeroFluxDepot)[1])
  chorus.as("recipient", function()
    -- The recipient sees the invoice once Chorus Pro has routed it (MISE_A_DISPOSITION).
    while chorus.invoices.status_of(chorus.invoices.get(id, { side = "recipient" }) or {}) ~= "MISE_A_DISPOSITION" do
      chorus.sleep(0.5)
    end
    local next_statuses = chorus.lookups.next_statuses("MISE_A_DISPOSITION")
    print(("Recipient can set: %s"):format(table.concat(next_statuses, ", ")))
    chorus.invoices.process{ id = id, status = "SUSPENDUE", motif = "Bon de livraison manquant" }
  end)
end

local before = chorus.invoices.get(id)
print(("Invoice %s (id %d) is %s"):format(before.numeroFacture, id, chorus.invoices.status_of(before)))
if chorus.invoices.status_of(before) ~= "SUSPENDUE" then chorus.exit(1, "only a suspended invoice can be completed") end

local answer = chorus.invoices.complete{
  id = id, comment = "Bon de livraison joint",
  attachments = { { file = file, type = "PIECE_JUSTIFICATIVE" } },
}
print(("Completed on %s"):format(answer.dateTraitement))
local history = chorus.invoices.history(id)
print(("Status now %s"):format(chorus.invoices.status_of(history)))
