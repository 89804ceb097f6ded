-- Cost of one call from Lua into a Swift host function (chorus.array, which checks its argument,
-- sets a metatable and returns the table) against a call into a C library function (string.len).
local n = tonumber(arg[1]) or 2000000
local t, s = {}, "chorus"
local clock = os.clock

local function measure(label, f)
  f(1000) -- warm up
  local start = clock()
  f(n)
  local elapsed = clock() - start
  print(("%-34s %8.1f ns/call"):format(label, elapsed / n * 1e9))
  return elapsed / n
end

local empty = measure("empty Lua loop", function(k) for _ = 1, k do end end)
local c = measure("C function (string.len)", function(k) local len = string.len for _ = 1, k do len(s) end end)
local swift = measure("Swift host function (chorus.array)", function(k) local mark = chorus.array for _ = 1, k do mark(t) end end)
local lua = measure("Lua function", function(k) local f = function(x) return x end for _ = 1, k do f(t) end end)
print(("Swift call / C call (loop overhead removed): %.1fx"):format((swift - empty) / (c - empty)))
