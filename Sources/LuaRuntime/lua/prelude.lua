-- The prelude: run once per state by the host before the sandbox is applied. It defines the yield
-- protocol between Lua and the host's async driver, the coroutine wrappers that forward pending
-- operations, the metatable of errors raised as tables, and the sandbox itself.
local PENDING, ns, array_mt, object_mt, null, ns_name = ...
local co_create, co_resume, co_yield, co_status = coroutine.create, coroutine.resume, coroutine.yield, coroutine.status
local co_isyieldable, co_close = coroutine.isyieldable, coroutine.close
local pack, unpack, select, error, type, pairs, rawget, rawset = table.pack, table.unpack, select, error, type, pairs, rawget, rawset
local setmetatable, getmetatable, tostring, string_format = setmetatable, getmetatable, tostring, string.format
local getinfo = debug.getinfo

-- Chunk names of the Lua the host ships (filled by the host as it loads them): their frames are
-- never "the caller's line".
local internal_sources = {}

local helpers = {
  PENDING = PENDING, null = null, array_mt = array_mt, object_mt = object_mt, namespace = ns,
  namespace_name = ns_name, internal_sources = internal_sources,
  -- The unwrapped resume, for hosts that must see a pending operation instead of forwarding it
  -- (e.g. to refuse waits while a plugin only registers).
  raw_resume = co_resume,
}

-- Errors raised by host code as tables (`<namespace>.Error`). Libraries may replace __tostring to
-- show their own fields; this one gives "where: code: message".
local error_mt = { __name = ns_name .. ".Error" }
error_mt.__index = error_mt
error_mt.__tostring = function(e)
  local text = tostring(rawget(e, "message") or "")
  local code = rawget(e, "code")
  if code then text = tostring(code) .. ": " .. text end
  local where = rawget(e, "where")
  if where then text = where .. ": " .. text end
  return text
end
helpers.error_mt = error_mt

-- The first frame of user code above the caller (not a chunk the host ships, not C).
local function user_position(level)
  while true do
    local info = getinfo(level + 1, "Sl")
    if info == nil then return nil end
    if info.source:sub(1, 1) == "@" and info.currentline > 0 and not internal_sources[info.source] then
      return info.short_src .. ":" .. info.currentline
    end
    level = level + 1
  end
end
helpers.user_position = user_position

-- Why a waiting call failed where Lua cannot suspend the coroutine.
local function not_yieldable(name)
  return name .. " cannot wait here: it would yield across a C-call boundary (inside require, "
    .. "table.sort, string.gsub, a metamethod, or a C iterator); call it from plain Lua code, "
    .. "e.g. in a function called after require returns"
end
helpers.not_yieldable = not_yieldable

-- The Lua face of an async host function: check, start the operation, yield it to the driver,
-- and return its value or raise its error at the caller's line.
local function make_async(start, name)
  return function(...)
    if not co_isyieldable() then error(not_yieldable(name), 2) end
    local op, err = start(...)
    if op == nil then error(err, 2) end
    local ok, value = co_yield(PENDING, op)
    if ok then return value end
    if getmetatable(value) == error_mt and rawget(value, "where") == nil then
      rawset(value, "where", user_position(2))
    end
    error(value, 2)
  end
end
helpers.make_async = make_async

function helpers.install_async(target, starters, prefix)
  for name, start in pairs(starters) do rawset(target, name, make_async(start, prefix .. name)) end
end

-- Waits for an operation id from code that already checked it may yield.
function helpers.await(op)
  return co_yield(PENDING, op)
end

-- Coroutines written by users keep working: a pending operation yielded inside them is forwarded
-- to the driver, and its result is passed back in.
local function resume(co, ...)
  local r = pack(co_resume(co, ...))
  while r[1] and r[2] == PENDING and co_status(co) == "suspended" do
    if not co_isyieldable() then
      co_close(co)
      return false, not_yieldable("a waiting call inside this coroutine")
    end
    local back = pack(co_yield(PENDING, r[3]))
    r = pack(co_resume(co, unpack(back, 1, back.n)))
  end
  return unpack(r, 1, r.n)
end
coroutine.resume = resume

coroutine.wrap = function(f)
  if type(f) ~= "function" then
    error(string_format("bad argument #1 to 'wrap' (function expected, got %s)", f == nil and "no value" or type(f)), 2)
  end
  local co = co_create(f)
  return function(...)
    local r = pack(resume(co, ...))
    if r[1] then return unpack(r, 2, r.n) end
    if co_status(co) == "dead" then co_close(co) end
    error(r[2], 0)
  end
end

-- The sandbox, applied after every library is installed.
function helpers.sandbox(strict, module_root)
  local G = _G
  G.dofile, G.loadfile = nil, nil
  local raw_load = load
  G.load = function(chunk, name, mode, env)
    if mode ~= nil and mode ~= "t" then
      error("bad argument #3 to 'load' (only text chunks are allowed: mode must be \"t\")", 2)
    end
    if env == nil then return raw_load(chunk, name, "t") end
    return raw_load(chunk, name, "t", env)
  end
  local raw_collect = collectgarbage
  G.collectgarbage = function(opt, ...)
    if opt == nil or opt == "collect" or opt == "count" or opt == "step" or opt == "isrunning" then
      return raw_collect(opt, ...)
    end
    error(string_format("bad argument #1 to 'collectgarbage' (option '%s' is not allowed in " .. ns_name .. " scripts)", tostring(opt)), 2)
  end
  local os = G.os
  G.os = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime }
  G.io, G.debug = nil, nil
  local loaded = package.loaded
  loaded.io, loaded.debug, loaded.os = nil, nil, G.os
  package.loadlib, package.cpath = nil, ""
  package.path = ""
  local find_module = ns._find_module
  ns._find_module = nil
  package.searchers = {
    package.searchers[1],
    function(name)
      if module_root == nil then return "no module folder for this run" end
      return find_module(name)
    end,
  }
  getmetatable("").__metatable = "string"

  if strict then
    local declared = {}
    setmetatable(G, {
      __newindex = function(t, k, v)
        if not declared[k] then
          local info = getinfo(2, "S")
          if info and info.what ~= "main" and info.what ~= "C" then
            error(string_format("assignment to undeclared global '%s' (declare it at the top level of the script, or use local)", tostring(k)), 2)
          end
          declared[k] = true
        end
        rawset(t, k, v)
      end,
      __index = function(_, k)
        error(string_format("undefined global '%s' (strict mode)", tostring(k)), 2)
      end,
      __metatable = false,
    })
  end
end

return helpers
