-- chorus.invoices.explain: a platform rejection (a message, a chorus.Error, a flow report, a ledger row)
-- turned into its rule, business term, meaning and fix, with ChorusAPI's rule set (docs/check.md).
local lib, helpers = ...
local S = helpers.chorus
local string_format, type, ipairs, next = string.format, type, ipairs, next

local explain_raw = lib._explain
lib._explain = nil

-- A list member of a report may come as one object instead of a list (the platform's quirk).
local function as_list(value)
  if type(value) ~= "table" then return {} end
  if value[1] == nil and next(value) ~= nil then return { value } end
  return value
end

local function lines_of(x)
  if type(x) == "string" then return { x } end
  if type(x) ~= "table" then
    S.fail("explain", 1, string_format("a message, a chorus.Error, a flow report or a ledger row expected, got %s", S.typename(x)))
  end
  local lines = {}
  if x.listeErreurDP ~= nil or x.listeErreurTechnique ~= nil then
    for _, e in ipairs(as_list(x.listeErreurDP)) do
      if type(e.libelleErreurDP) == "string" then lines[#lines + 1] = e.libelleErreurDP end
    end
    for _, e in ipairs(as_list(x.listeErreurTechnique)) do
      if type(e.libelleErreur) == "string" then
        lines[#lines + 1] = (type(e.codeErreur) == "string" and (e.codeErreur .. ": ") or "") .. e.libelleErreur
      end
    end
    return lines
  end
  if type(x.report) == "string" then
    -- A ledger row keeps the report's lines joined by "; ".
    for line in (x.report .. "; "):gmatch("(.-); ") do
      if line ~= "" then lines[#lines + 1] = line end
    end
    return lines
  end
  if type(x.libelle) == "string" and x.libelle ~= "" then return { x.libelle } end
  if type(x.message) == "string" then return { x.message } end
  S.fail("explain", 1, "the table has no listeErreurDP, listeErreurTechnique, report, libelle or message")
end

function lib.explain(x)
  local result = {}
  for _, line in ipairs(lines_of(x)) do
    local found = explain_raw(line)
    if #found == 0 then
      result[#result + 1] = { message = line, known = false }
    else
      for _, e in ipairs(found) do
        e.known = true
        result[#result + 1] = e
      end
    end
  end
  return result
end
