-- The parts of the core library written in Lua: tasks (spawn, all), try, null, print.
-- Run by the host with the namespace table (`lib`) and the prelude's helpers.
local lib, helpers = ...
local ns_name = helpers.namespace_name
local PENDING, not_yieldable = helpers.PENDING, helpers.not_yieldable
local spawn_task, join, write, release = lib._spawn, lib._join, lib._write, lib._release
lib._spawn, lib._join, lib._write, lib._release = nil, nil, nil, nil
local co_yield, co_isyieldable = coroutine.yield, coroutine.isyieldable
local pack, unpack, select, type, error, pcall, tostring = table.pack, table.unpack, select, type, error, pcall, tostring
local concat, string_format, math_type = table.concat, string.format, math.type
local pairs, setmetatable, getmetatable = pairs, setmetatable, getmetatable

lib.null = helpers.null

local function typename(v, given)
  if not given then return "no value" end
  if v == helpers.null then return ns_name .. ".null" end
  return type(v)
end

print = function(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  write(concat(parts, "\t", 1, n) .. "\n")
end

local Task = {}
Task.__index = Task
Task.__name = ns_name .. ".Task"
Task.__tostring = function(t) return ns_name .. ".Task " .. t.id end
-- A handle nobody holds can never be waited for: the host may drop the task once it is done.
Task.__gc = function(t) release(rawget(t, "id")) end

function Task:wait()
  if getmetatable(self) ~= Task then error("bad argument #1 to 'wait' (" .. ns_name .. ".Task expected; call it as task:wait())", 2) end
  if not co_isyieldable() then error(not_yieldable("task:wait"), 2) end
  local ok, packs = co_yield(PENDING, join({ self.id }, true))
  local p = packs[1]
  if p.ok then return unpack(p, 1, p.n) end
  error(p.err, 0)
end

function lib.spawn(f, ...)
  if type(f) ~= "function" then
    error(string_format("bad argument #1 to 'spawn' (function expected, got %s)", typename(f, select("#", ...) > 0 or f ~= nil)), 2)
  end
  return setmetatable({ id = spawn_task(f, ...) }, Task)
end

function lib.all(fns, options)
  if type(fns) ~= "table" then
    error(string_format("bad argument #1 to 'all' (table expected, got %s)", typename(fns, fns ~= nil)), 2)
  end
  local n = #fns
  for i = 1, n do
    if type(fns[i]) ~= "function" then
      error(string_format("bad argument #1 to 'all' (item %d is a %s, expected a function)", i, typename(fns[i], true)), 2)
    end
  end
  local settle, limit = false, nil
  if options ~= nil then
    if type(options) ~= "table" then
      error(string_format("bad argument #2 to 'all' (table expected, got %s)", typename(options, true)), 2)
    end
    for k, v in pairs(options) do
      if k == "settle" then settle = v and true or false
      elseif k == "limit" then
        if math_type(v) ~= "integer" or v < 1 then
          error("bad argument #2 to 'all' (limit must be an integer >= 1)", 2)
        end
        limit = v
      else
        local hint = ""
        if type(k) == "string" and (k:find("^set") or k:find("^sett")) then hint = " (did you mean 'settle'?)"
        elseif type(k) == "string" and k:find("^lim") then hint = " (did you mean 'limit'?)" end
        error(string_format("bad argument #2 to 'all' (unknown option '%s'%s; valid: limit, settle)", tostring(k), hint), 2)
      end
    end
  end
  if not co_isyieldable() then error(not_yieldable(ns_name .. ".all"), 2) end

  local results, errors = {}, {}
  if limit and limit < n then
    -- A pool of `limit` workers taking the functions in order.
    local next_index = 0
    local function worker()
      while true do
        next_index = next_index + 1
        local i = next_index
        if i > n then return end
        if settle then
          local ok, value = pcall(fns[i])
          if ok then results[i] = value else errors[i] = value end
        else
          results[i] = fns[i]()
        end
      end
    end
    local ids = {}
    for w = 1, limit do ids[w] = spawn_task(worker) end
    local ok, packs = co_yield(PENDING, join(ids, false))
    for w = 1, limit do release(ids[w]) end
    if not ok then error(packs, 0) end
  else
    local ids = {}
    for i = 1, n do ids[i] = spawn_task(fns[i]) end
    local ok, packs = co_yield(PENDING, join(ids, settle))
    for i = 1, n do release(ids[i]) end
    if not ok then error(packs, 0) end
    for i = 1, n do
      local p = packs[i]
      if p.ok then results[i] = p[1] else errors[i] = p.err end
    end
  end
  if settle then return results, errors end
  return results
end

function lib.try(f, ...)
  local r = pack(pcall(f, ...))
  if r[1] then return unpack(r, 2, r.n) end
  return nil, r[2]
end
