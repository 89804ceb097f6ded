-- PLUGIN_NAME: a chorus plugin (docs/plugins.md). Loading only registers commands, workflows and
-- hooks; the work happens inside their run functions, each run in a fresh Lua state.
local greeting = require("greeting")

chorus.command{
  name = "hello",
  description = "Greets someone and counts the greetings (kept in chorus.store).",
  args = {
    { name = "who", help = "whom to greet", default = "world" },
    { name = "shout", type = "boolean", help = "greet in capitals" },
  },
  run = function(args)
    local count = chorus.store.update("greetings", function(n) return (n or 0) + 1 end)
    print(greeting.text(args.who, args.shout) .. " (greeting #" .. count .. ")")
  end,
}

chorus.workflow{
  name = "heartbeat",
  description = "Logs how many greetings were made.",
  every = "1h",
  run = function(ctx)
    chorus.log.info(ctx.workflow .. ": " .. tostring(chorus.store.get("greetings") or 0) .. " greetings so far")
  end,
}
