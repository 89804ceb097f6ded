-- Helpers shared by the domain tables (argument checks in Lua's stock wording, option tables with
-- "did you mean", paging over the different pager and list keys), chorus.Error and chorus.errors.
local lib, helpers = ...
local call_async, suggest, vocabulary = lib._call, lib._suggest, lib._vocabulary
lib._call, lib._suggest, lib._vocabulary = nil, nil, nil
local call_public = lib.call
local null, error_mt, user_position = helpers.null, helpers.error_mt, helpers.user_position
local type, pairs, ipairs, error, tostring, select, rawget, rawset = type, pairs, ipairs, error, tostring, select, rawget, rawset
local string_format, math_type, setmetatable = string.format, math.type, setmetatable
local co_running, pcall, unpack, pack = coroutine.running, pcall, table.unpack, table.pack
local S = {}
helpers.chorus = S

-- The technical account each coroutine acts as (nil: the run's default one), set by chorus.as and
-- inherited by the tasks it spawns. Weak keys: a finished coroutine takes its entry with it.
local accounts = setmetatable({}, { __mode = "k" })
function S.account() return accounts[co_running()] end

local function typename(v)
  if v == null then return "chorus.null" end
  return type(v)
end
S.typename = typename

-- Raises "bad argument #i to 'f' (msg)" at the script line that called the public function: the
-- first frame of user code, however deep inside the module the check runs.
local function raise_arg(fname, i, msg)
  local where = user_position(1)
  error((where and where .. ": " or "") .. string_format("bad argument #%d to '%s' (%s)", i, fname, msg), 0)
end

function S.check(fname, i, v, expected, optional)
  if v == nil and optional then return v end
  if type(v) ~= expected then raise_arg(fname, i, string_format("%s expected, got %s", expected, typename(v))) end
  return v
end

function S.fail(fname, i, msg) raise_arg(fname, i, msg) end

-- Checks an options table against the allowed names; returns it (or {} when absent).
function S.options(fname, i, t, allowed, optional)
  if t == nil and optional then return {} end
  if type(t) ~= "table" then raise_arg(fname, i, string_format("table expected, got %s", typename(t))) end
  local set = S.set(allowed)
  for k in pairs(t) do
    if type(k) ~= "string" then
      raise_arg(fname, i, "options must be named fields, not array items")
    elseif not set[k] then
      raise_arg(fname, i, string_format("unknown option '%s'%s", k, suggest(k, allowed)))
    end
  end
  return t
end

-- A SIRET: 14 digits, as a string (numbers are accepted and keep their leading zeros).
function S.siret(fname, i, v)
  if math_type(v) == "integer" and v >= 0 then v = string_format("%014d", v) end
  if type(v) ~= "string" then raise_arg(fname, i, string_format("SIRET expected (14 digits), got %s", typename(v))) end
  if not v:match("^%d%d%d%d%d%d%d%d%d%d%d%d%d%d$") then
    raise_arg(fname, i, string_format("'%s' is not a SIRET: a SIRET has exactly 14 digits", v))
  end
  return v
end

function S.id(fname, i, v, what)
  if math_type(v) ~= "integer" then
    raise_arg(fname, i, string_format("%s expected (an integer id), got %s", what, typename(v)))
  end
  return v
end

function S.set(list)
  local set = {}
  for _, v in ipairs(list) do set[v] = true end
  return set
end

-- The Chorus Pro words, as the host defines them once (syntaxes, statuses, flow states, error codes).
local V = vocabulary()
V.syntax_set = S.set(V.syntaxes)
V.final_flow_state = S.set(V.final_flow_states)
S.vocabulary = V

function S.copy(t)
  local c = {}
  if t then for k, v in pairs(t) do c[k] = v end end
  return c
end

-- Calls an async host function; a misuse it reports as a string is raised again at the script's
-- line (the host words it "bad argument #n to 'f'"), whatever depth of chorus code called it.
local function at_user_line(f, ...)
  local r = pack(pcall(f, ...))
  if r[1] then return unpack(r, 2, r.n) end
  local err = r[2]
  if type(err) == "string" then
    local where = user_position(2)
    err = err:gsub("^[^\n]-:%d+: ", "", 1)
    error((where and where .. ": " or "") .. err, 0)
  end
  error(err, 0)
end
-- Host functions called by chorus's own Lua (chorus.fs.write inside download...) raise their misuse
-- errors at the script's line through this.
S.at_user_line = at_user_line

local function call_raw(operation, payload, nil_on_no_result)
  return at_user_line(call_async, operation, payload, nil_on_no_result, accounts[co_running()])
end

-- Calls an operation; nil when Chorus Pro says "no result" and nil_on_no_result is set.
function S.call(operation, payload, nil_on_no_result)
  return call_raw(operation, payload, nil_on_no_result)
end

-- chorus.call, env, token and health, in the account of the calling coroutine.
function lib.call(operation, payload)
  return at_user_line(call_public, operation, payload, nil, accounts[co_running()])
end
for _, name in ipairs({ "env", "token", "health" }) do
  local host = lib[name]
  lib[name] = function() return at_user_line(host, accounts[co_running()]) end
end

local function list_of(answer, list_key)
  local list = answer[list_key]
  if list == nil or list == null then return {} end
  return list
end

-- A page fetcher: fetch(page) -> items, pages. The pager object name and the list key vary per
-- operation; page info is in parametresRetour or at the top level.
-- The fetcher keeps the account of the coroutine that made it: an iterator made inside chorus.as
-- goes on fetching its pages as that account wherever it is called.
function S.pager(operation, payload, pager_key, list_key, page_size, no_result)
  local account = accounts[co_running()]
  return function(page)
    local request = S.copy(payload)
    local pager = S.copy(payload[pager_key])
    pager.pageResultatDemandee = page
    pager.nbResultatsParPage = pager.nbResultatsParPage or page_size or 100
    request[pager_key] = pager
    local answer = at_user_line(call_async, operation, request, no_result or true, account)
    if answer == false then return nil, 0 end
    if answer == nil then return {}, 0 end
    local info = answer.parametresRetour
    if info == nil or info == null then info = answer end
    local pages = info.pages
    if pages == nil or pages == null then pages = 1 end
    return list_of(answer, list_key), pages
  end
end

function S.collect(fetch)
  local all, page, pages = {}, 0, 1
  while page < pages do
    page = page + 1
    local items
    items, pages = fetch(page)
    if items == nil then return nil end
    for _, item in ipairs(items) do all[#all + 1] = item end
  end
  return setmetatable(all, helpers.array_mt)
end

function S.iterate(fetch)
  local items, index, page, pages = {}, 0, 0, 1
  return function()
    while index >= #items do
      if page >= pages then return nil end
      page = page + 1
      items, pages = fetch(page)
      index = 0
    end
    index = index + 1
    return items[index]
  end
end

-- A chorus.Error raised from Lua (e.g. a flux that does not finish in time).
function S.raise(fields)
  local err = setmetatable(fields, error_mt)
  err.where = user_position(2)
  error(err, 0)
end

-- chorus.Error: one readable line with the operation, HTTP status and codeRetour, and where the
-- script was: "demo.lua:12: BUSINESS factures.deposerFluxFacture (HTTP 400, codeRetour 20001): ...".
error_mt.__tostring = function(e)
  local text = tostring(rawget(e, "code") or "ERROR")
  local operation = rawget(e, "operation")
  if operation then text = text .. " " .. tostring(operation) end
  local details = {}
  if rawget(e, "status") then details[#details + 1] = "HTTP " .. tostring(e.status) end
  if rawget(e, "codeRetour") then details[#details + 1] = "codeRetour " .. tostring(e.codeRetour) end
  if #details > 0 then text = text .. " (" .. table.concat(details, ", ") .. ")" end
  text = text .. ": " .. tostring(rawget(e, "message") or rawget(e, "libelle") or "")
  local where = rawget(e, "where")
  if where then text = where .. ": " .. text end
  return text
end

-- chorus.errors and chorus.Error
local CODES = V.error_codes
local known = S.set(CODES)
local CODES_AND_MISUSE = { "MISUSE" }
for _, c in ipairs(CODES) do CODES_AND_MISUSE[#CODES_AND_MISUSE + 1] = c end
lib.Error = error_mt
lib.errors = {
  codes = CODES,
  -- is(err, CODE): a chorus.Error of that code (remote, or raised by chorus for a flux...);
  -- is(err): any chorus.Error; is(err, "MISUSE"): a misuse of a function (a string in Lua's
  -- "bad argument #n to 'f'" wording, at the script's line), never a remote failure.
  is = function(err, code)
    if code == nil then return getmetatable(err) == error_mt end
    if type(code) ~= "string" then
      raise_arg("is", 2, string_format("string expected, got %s", typename(code)))
    end
    if code == "MISUSE" then
      return type(err) == "string" and err:find("bad argument #%d+ to '") ~= nil
    end
    if not known[code] then
      raise_arg("is", 2, string_format("unknown error code '%s'%s", code, suggest(code, CODES_AND_MISUSE)))
    end
    return getmetatable(err) == error_mt and err.code == code
  end,
}

-- Acting as another technical account: chorus.as(name, fn, ...) runs fn with every call it makes
-- (and every task it spawns) in that account; chorus.client{profile = name} gives a table with the
-- same domain functions, each acting as that account.
local function check_account(fname, name)
  if type(name) ~= "string" or name == "" then
    raise_arg(fname, 1, string_format("account name expected (a simulator account such as 'recipient', or a profile), got %s", typename(name)))
  end
  if #name > 100 or name:find("[%c]") then
    raise_arg(fname, 1, "an account name is at most 100 characters, without control characters")
  end
end

function lib.as(name, fn, ...)
  check_account("as", name)
  if type(fn) ~= "function" then raise_arg("as", 2, string_format("function expected, got %s", typename(fn))) end
  local co = co_running()
  local previous = accounts[co]
  accounts[co] = name
  local _ <close> = setmetatable({}, { __close = function() accounts[co] = previous end })
  return fn(...)
end

local spawn, all = lib.spawn, lib.all
local function inherit(f, account)
  if type(f) ~= "function" then return f end
  return function(...)
    accounts[co_running()] = account
    return f(...)
  end
end
lib.spawn = function(f, ...)
  local account = accounts[co_running()]
  if account ~= nil then f = inherit(f, account) end
  return spawn(f, ...)
end
lib.all = function(fns, options)
  local account = accounts[co_running()]
  if account ~= nil and type(fns) == "table" then
    local wrapped = {}
    for i = 1, #fns do wrapped[i] = inherit(fns[i], account) end
    fns = wrapped
  end
  return all(fns, options)
end

local DOMAINS = { "invoices", "flows", "structures", "attachments", "commitments", "account", "lookups", "works_invoices" }
local function acting(name, f)
  return function(...) return lib.as(name, f, ...) end
end

function lib.client(options)
  S.options("client", 1, options, { "profile" })
  check_account("client", options.profile)
  local name = options.profile
  local client = { profile = name, call = acting(name, lib.call), health = acting(name, lib.health),
    env = acting(name, lib.env) }
  for _, domain in ipairs(DOMAINS) do
    local source = lib[domain]
    client[domain] = setmetatable({}, { __index = function(t, k)
      local v = source[k]
      if type(v) == "function" then v = acting(name, v) end
      rawset(t, k, v)
      return v
    end })
  end
  return client
end
