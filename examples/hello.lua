-- hello.lua: the smallest chorus script. Run it with:  ./scripts/chorus run examples/hello.lua [name]
local name = arg[1] or "world"
print("Hello, " .. name .. ", from " .. _VERSION .. " inside chorus!")

-- JSON keeps null, {} and [] apart.
local doc = chorus.json.decode('{"numeroFluxDepot": "CPP0012345", "erreurs": [], "commentaire": null}')
print(chorus.json.encode(doc))

-- Tasks run concurrently: three sleeps of 0.2 s take about 0.2 s, not 0.6 s.
local started = chorus.time.monotonic()
local results = chorus.all({
  function() chorus.sleep(0.2); return "a" end,
  function() chorus.sleep(0.2); return "b" end,
  function() chorus.sleep(0.2); return "c" end,
})
print(("all done: %s in %.1f s"):format(table.concat(results, ","), chorus.time.monotonic() - started))
chorus.log.info("finished", { script = arg[0] })
