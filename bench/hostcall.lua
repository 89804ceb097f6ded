-- Cost of one call from Lua into a Swift host function (chorus.array, which checks its argument,
-- sets a metatable and returns the table) against a call into a C library function (string.len),
-- the empty loop's cost removed; and against the C function doing the same work (setmetatable with
-- the same marker metatable), which bounds what a host call can reach. Five alternating rounds; the fastest round of each kind counts (the
-- least disturbed by a loaded machine). Prints "BENCH <kind>_ns N" lines and the ratio.
local n = tonumber(arg[1]) or 2000000
local rounds = tonumber(arg[2]) or 5
local t, s = {}, "chorus"
local clock = os.clock

local kinds = {
  { "empty", "empty Lua loop", function(k) for _ = 1, k do end end },
  { "c", "C function (string.len)", function(k) local len = string.len for _ = 1, k do len(s) end end },
  { "swift", "Swift host function (chorus.array)", function(k) local mark = chorus.array for _ = 1, k do mark(t) end end },
  { "setmt", "C function, same work (setmetatable)", function(k)
    local set, mt = setmetatable, getmetatable(chorus.array({})) for _ = 1, k do set(t, mt) end end },
  { "lua", "Lua function", function(k) local f = function(x) return x end for _ = 1, k do f(t) end end },
}
local best = {}
for _, kind in ipairs(kinds) do kind[3](1000) end -- warm up
for _ = 1, rounds do
  for _, kind in ipairs(kinds) do
    local start = clock()
    kind[3](n)
    local elapsed = (clock() - start) / n
    best[kind[1]] = math.min(best[kind[1]] or math.huge, elapsed)
  end
end
for _, kind in ipairs(kinds) do
  print(("%-36s %8.1f ns/call"):format(kind[2], best[kind[1]] * 1e9))
  print(("BENCH %s_ns %.2f"):format(kind[1], best[kind[1]] * 1e9))
end
local ratio = (best.swift - best.empty) / (best.c - best.empty)
print(("Swift call / C call (loop overhead removed): %.2fx"):format(ratio))
print(("BENCH ratio %.3f"):format(ratio))
local same = (best.swift - best.empty) / (best.setmt - best.empty)
print(("Swift call / C setmetatable doing the same work: %.2fx"):format(same))
print(("BENCH same_work_ratio %.3f"):format(same))
