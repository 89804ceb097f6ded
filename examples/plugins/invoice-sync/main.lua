-- invoice-sync: the workflow `sync` deposits each new invoice of the inbox through the ledger,
-- follows the flux it made, and moves each file to INBOX/done/ or INBOX/rejected/ (the reason in
-- NAME.reason.txt beside it). `status` prints a summary; `configure` sets the inbox.
--   chorus invoice-sync:configure invoices/inbox
--   chorus schedule once invoice-sync:sync        (or let `chorus schedule run` run it every 10 minutes)
--   chorus invoice-sync:status
local sync = require("invoice_sync.sync")

chorus.workflow{
  name = "sync",
  description = "Deposits new invoices of the inbox, follows their flux, files them by outcome.",
  every = "10m",
  run = function(ctx) sync.run(ctx) end,
}

chorus.command{
  name = "status",
  description = "Prints the inbox, the invoices waiting, the flux being followed and the totals.",
  args = { { name = "json", type = "boolean", help = "one JSON object instead of text" } },
  run = function(args) sync.status(args.json) end,
}

chorus.command{
  name = "configure",
  description = "Sets the inbox folder (default: ./inbox, relative to the working directory).",
  args = { { name = "inbox", help = "the folder invoices are dropped in" } },
  run = function(args)
    chorus.store.set("inbox", args.inbox)
    print("inbox: " .. args.inbox)
  end,
}
