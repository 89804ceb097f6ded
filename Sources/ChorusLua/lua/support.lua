-- Helpers shared by the domain tables (argument checks in Lua's stock wording, option tables with
-- "did you mean", paging over the different pager and list keys), chorus.Error and chorus.errors.
local lib, helpers = ...
local call_raw, suggest, vocabulary = lib._call, lib._suggest, lib._vocabulary
lib._call, lib._suggest, lib._vocabulary = nil, nil, nil
local null, error_mt, user_position = helpers.null, helpers.error_mt, helpers.user_position
local type, pairs, ipairs, error, tostring, select, rawget = type, pairs, ipairs, error, tostring, select, rawget
local string_format, math_type, setmetatable = string.format, math.type, setmetatable
local S = {}
helpers.chorus = S

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

-- Calls an operation; nil when Chorus Pro says "no result" and nil_on_no_result is set.
function S.call(operation, payload, nil_on_no_result)
  return call_raw(operation, payload, nil_on_no_result)
end

local function list_of(answer, list_key)
  local list = answer[list_key]
  if list == nil or list == null then return {} end
  return list
end

-- A page fetcher: fetch(page) -> items, pages. The pager object name and the list key vary per
-- operation; page info is in parametresRetour or at the top level.
function S.pager(operation, payload, pager_key, list_key, page_size)
  return function(page)
    local request = S.copy(payload)
    local pager = S.copy(payload[pager_key])
    pager.pageResultatDemandee = page
    pager.nbResultatsParPage = pager.nbResultatsParPage or page_size or 100
    request[pager_key] = pager
    local answer = call_raw(operation, request, true)
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
lib.Error = error_mt
lib.errors = {
  codes = CODES,
  is = function(err, code)
    if type(code) ~= "string" then
      error(string_format("bad argument #2 to 'is' (string expected, got %s)", typename(code)), 2)
    end
    if not known[code] then
      error(string_format("bad argument #2 to 'is' (unknown error code '%s'%s)", code, suggest(code, CODES)), 2)
    end
    return getmetatable(err) == error_mt and err.code == code
  end,
}
