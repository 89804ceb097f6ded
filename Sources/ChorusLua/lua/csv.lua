-- chorus.csv: CSV text for report scripts, quoted as RFC 4180 says.
local lib, helpers = ...
local S = helpers.chorus
local null = helpers.null
local type, tostring, ipairs, next = type, tostring, ipairs, next
local string_format, math_type = string.format, math.type

-- chorus.csv.encode(rows, {header =, separator =, eol =}): RFC 4180 text. A field holding the
-- separator, a quote, CR or LF is quoted, its quotes doubled; lines end with CRLF unless eol says.
local function csv_field(fname, v, row, column, separator)
  if v == nil or v == null then return "" end
  local t = type(v)
  if t == "number" then
    v = math_type(v) == "integer" and string_format("%d", v) or tostring(v)
  elseif t == "boolean" then
    v = tostring(v)
  elseif t ~= "string" then
    S.fail(fname, 1, string_format("row %d, column %s: %s cannot be a CSV field (string, number, boolean or nil)", row, tostring(column), t))
  end
  if v:find(separator, 1, true) or v:find('[\r\n"]') then
    v = '"' .. v:gsub('"', '""') .. '"'
  end
  return v
end

function lib.encode(rows, options)
  if type(rows) ~= "table" then S.fail("encode", 1, string_format("table expected (a list of rows), got %s", S.typename(rows))) end
  options = S.options("encode", 2, options, { "header", "separator", "eol" }, true)
  local header, separator, eol = options.header, options.separator or ",", options.eol or "\r\n"
  if header ~= nil and type(header) ~= "table" then S.fail("encode", 2, "header must be a list of column names") end
  if type(separator) ~= "string" or #separator ~= 1 or separator:find('[\r\n"]') then
    S.fail("encode", 2, "separator must be one character, not a quote or a line break")
  end
  if type(eol) ~= "string" then S.fail("encode", 2, "eol must be a string") end
  local lines = {}
  if header then
    local cells = {}
    for i, name in ipairs(header) do cells[i] = csv_field("encode", name, 0, i, separator) end
    lines[1] = table.concat(cells, separator)
  end
  for r, row in ipairs(rows) do
    if type(row) ~= "table" then S.fail("encode", 1, string_format("row %d is a %s, not a table", r, S.typename(row))) end
    local cells = {}
    if header and #row == 0 and next(row) ~= nil then
      -- A row with named fields: the header gives the columns and their order.
      for i, name in ipairs(header) do cells[i] = csv_field("encode", row[name], r, name, separator) end
    elseif #row == 0 and next(row) ~= nil then
      S.fail("encode", 1, string_format("row %d has named fields: give options.header to name the columns", r))
    else
      local n = #row
      if header and #header > n then n = #header end
      for i = 1, n do cells[i] = csv_field("encode", row[i], r, i, separator) end
    end
    lines[#lines + 1] = table.concat(cells, separator)
  end
  if #lines == 0 then return "" end
  return table.concat(lines, eol) .. eol
end
