-- The plugin API of one run (docs/plugins.md): chorus.command, chorus.workflow and chorus.on, which
-- only register, and only while the plugin loads; the functions the plugin's permissions leave out;
-- the hooks around deposits, final flows and status changes; and `_plugin_main`, which the host's
-- driver calls: it loads the entry in a coroutine that may not wait, then runs what was asked.
local lib, helpers = ...
local info_of, timezone_ok, fire_hook, cron_problem = lib._plugin_info, lib._plugin_timezone, lib._plugin_fire, lib._plugin_cron
local operation_of = lib._plugin_operation
lib._plugin_info, lib._plugin_timezone, lib._plugin_fire, lib._plugin_cron = nil, nil, nil, nil
lib._plugin_operation = nil
local PENDING, user_position, raw_resume = helpers.PENDING, helpers.user_position, helpers.raw_resume
local type, pairs, ipairs, error, tostring, select = type, pairs, ipairs, error, tostring, select
local rawget, rawset, setmetatable, getmetatable = rawget, rawset, setmetatable, getmetatable
local string_format, table_concat, table_sort, math_type = string.format, table.concat, table.sort, math.type
local co_create, co_status, co_close = coroutine.create, coroutine.status, coroutine.close
local getinfo, raw_load = debug.getinfo, load

local info = info_of()
local PLUGIN = info.plugin
local granted = {}
for _, permission in ipairs(info.permissions) do granted[permission] = true end

-- Raises `message` at the plugin's line that called the registration function.
local function fail(fname, message)
  local where = user_position(1)
  error((where and where .. ": " or "") .. "chorus." .. fname .. ": " .. message, 0)
end

-- Permissions: the functions a missing permission leaves out, by dotted path under chorus. A
-- function reached anyway (it is absent from its table: pairs does not list it) raises the name of
-- the permission it needs. chorus.call stays with either Chorus permission: the host refuses each
-- operation the plugin may not perform (a write without chorus.write).
local NEEDS = {
  { any = { "chorus.read", "chorus.write" }, paths = { "call" } },
  { any = { "chorus.read" }, paths = {
    "token", "health", "doctor", "as", "client", "invoices.search", "invoices.each", "invoices.get",
    "invoices.history", "invoices.download", "flows.report", "flows.wait", "flows.invoices",
    "structures.search", "structures.find", "structures.get", "structures.services",
    "structures.requirements", "account.structures", "lookups.*", "commitments.*", "works_invoices.*",
  } },
  { any = { "chorus.write" }, paths = {
    "invoices.deposit", "invoices.submit", "invoices.process", "invoices.complete", "invoices.recycle",
    "attachments.add",
  } },
  { any = { "chorus.read", "chorus.write" }, paths = { "ledger.list", "ledger.get" } },
  { any = { "fs.read", "fs.write" }, paths = { "fs.read", "fs.exists", "fs.list" } },
  { any = { "fs.write" }, paths = { "fs.write", "fs.move" } },
}

local denied = setmetatable({}, { __mode = "k" })
local function deny(tbl, key, dotted, permission)
  if type(tbl) ~= "table" or rawget(tbl, key) == nil then return end
  rawset(tbl, key, nil)
  local names = denied[tbl]
  if names == nil then
    names = {}
    denied[tbl] = names
    local previous = getmetatable(tbl)
    local meta = previous or {}
    local fallback = previous and previous.__index
    meta.__index = function(t, k)
      local needed = names[k]
      if needed then
        return function()
          local where = user_position(1)
          error(string_format("%schorus.%s needs the permission '%s', which plugin '%s' does not have: add \"%s\" "
            .. "to permissions in its plugin.toml", where and where .. ": " or "", needed[1], needed[2], PLUGIN, needed[2]), 0)
        end
      end
      if type(fallback) == "function" then return fallback(t, k) end
      if type(fallback) == "table" then return fallback[k] end
      return nil
    end
    if previous == nil then setmetatable(tbl, meta) end
  end
  names[key] = { dotted, permission }
end

for _, rule in ipairs(NEEDS) do
  local allowed = false
  for _, permission in ipairs(rule.any) do allowed = allowed or granted[permission] == true end
  if not allowed then
    for _, path in ipairs(rule.paths) do
      local domain, name = path:match("^([%w_]+)%.([%w_*]+)$")
      if domain == nil then
        deny(lib, path, path, rule.any[1])
      elseif name == "*" then
        local tbl = rawget(lib, domain)
        if type(tbl) == "table" then
          local keys = {}
          for key, value in pairs(tbl) do if type(value) == "function" then keys[#keys + 1] = key end end
          for _, key in ipairs(keys) do deny(tbl, key, domain .. "." .. key, rule.any[1]) end
        end
      else
        deny(rawget(lib, domain), name, path, rule.any[1])
      end
    end
  end
end
if not granted.store then rawset(lib, "store", nil) end

-- Loading only registers: every function that acts (Chorus Pro, files, the store, tasks, sleep)
-- raises while the entry runs. Pure helpers (json, base64, log, time, csv, errors) stay usable.
local loading = false
local PURE_TABLES = { json = true, base64 = true, log = true, time = true, csv = true, errors = true }
local PURE = { command = true, workflow = true, on = true, array = true, object = true, Error = true, null = true }
local PURE_PATHS = { ["fs.basename"] = true, ["flows.is_final"] = true, ["invoices.status_of"] = true,
  ["invoices.id_of"] = true }

local function guarded(path, f)
  return function(...)
    if loading then
      local where = user_position(1)
      error(string_format("%schorus.%s cannot be used while plugin '%s' loads: loading only registers "
        .. "commands, workflows and hooks; call it inside their run function", where and where .. ": " or "",
        path, PLUGIN), 0)
    end
    return f(...)
  end
end

-- The functions replaced while the entry loads, put back once it has: runs see the originals.
local originals = {}

local function guard_table(tbl, prefix)
  local keys = {}
  for key in pairs(tbl) do keys[#keys + 1] = key end
  for _, key in ipairs(keys) do
    local value = rawget(tbl, key)
    local skip = (prefix == "" and (PURE[key] or type(key) ~= "string" or key:sub(1, 1) == "_"))
      or PURE_PATHS[prefix .. tostring(key)]
    if type(value) == "function" and not skip then
      originals[#originals + 1] = { tbl, key, value }
      rawset(tbl, key, guarded(prefix .. tostring(key), value))
    end
  end
end

local function unguard()
  for _, item in ipairs(originals) do rawset(item[1], item[2], item[3]) end
  originals = {}
end

-- Registration.
local NAME_PATTERN = "^[a-z][a-z0-9_-]*$"
local commands, command_order, workflows, workflow_order, hooks = {}, {}, {}, {}, {}
local HOOKS = { "deposit.before", "deposit.after", "flow.final", "invoice.status" }
local HOOK_SET = {}
for _, name in ipairs(HOOKS) do HOOK_SET[name] = true end

local function registering(fname)
  if not loading then
    fail(fname, "registers only while the plugin loads (at the top level of its entry file or of a module it requires)")
  end
end

local function check_fields(fname, spec, allowed)
  if type(spec) ~= "table" then fail(fname, "expects a table {name = ..., run = function ... end}, got " .. type(spec)) end
  local set = {}
  for _, name in ipairs(allowed) do set[name] = true end
  for key in pairs(spec) do
    if type(key) ~= "string" or not set[key] then
      fail(fname, string_format("unknown field '%s' (fields: %s)", tostring(key), table_concat(allowed, ", ")))
    end
  end
end

local function check_name(fname, name, what)
  if type(name) ~= "string" or #name > 64 or not name:match(NAME_PATTERN) then
    fail(fname, string_format("%s must be 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter; got %s",
      what, type(name) == "string" and "'" .. name .. "'" or type(name)))
  end
end

local function check_run(fname, run)
  if type(run) ~= "function" then fail(fname, "run must be a function, got " .. type(run)) end
end

local function check_description(fname, description)
  if description ~= nil and type(description) ~= "string" then
    fail(fname, "description must be a string, got " .. type(description))
  end
end

local ARG_TYPES = { string = "string", integer = "number", number = "number", boolean = "boolean" }

local function check_args(args)
  if args == nil then return {} end
  if type(args) ~= "table" then fail("command", "args must be a list of {name = ..., help = ...} tables, got " .. type(args)) end
  local result, seen, optional_seen = {}, {}, false
  for i, arg in ipairs(args) do
    local fname = "command"
    if type(arg) ~= "table" then fail(fname, string_format("args[%d] must be a table, got %s", i, type(arg))) end
    for key in pairs(arg) do
      if key ~= "name" and key ~= "help" and key ~= "type" and key ~= "required" and key ~= "default" and key ~= "option" then
        fail(fname, string_format("args[%d]: unknown field '%s' (fields: name, help, type, required, default, option)", i, tostring(key)))
      end
    end
    check_name(fname, arg.name, string_format("args[%d].name", i))
    if seen[arg.name] then fail(fname, string_format("args[%d]: the argument '%s' is declared twice", i, arg.name)) end
    seen[arg.name] = true
    local kind = arg.type or "string"
    if ARG_TYPES[kind] == nil then
      fail(fname, string_format("args[%d].type must be string, integer, number or boolean, got '%s'", i, tostring(kind)))
    end
    if arg.help ~= nil and type(arg.help) ~= "string" then fail(fname, string_format("args[%d].help must be a string", i)) end
    if arg.required ~= nil and type(arg.required) ~= "boolean" then fail(fname, string_format("args[%d].required must be true or false", i)) end
    if arg.option ~= nil and type(arg.option) ~= "boolean" then fail(fname, string_format("args[%d].option must be true or false", i)) end
    local option = arg.option == true or kind == "boolean"
    if kind == "boolean" and arg.required then fail(fname, string_format("args[%d]: a boolean argument is a flag and cannot be required", i)) end
    if arg.default ~= nil then
      if type(arg.default) ~= ARG_TYPES[kind] or (kind == "integer" and math_type(arg.default) ~= "integer") then
        fail(fname, string_format("args[%d].default must be a %s, like the argument", i, kind))
      end
      if arg.required then fail(fname, string_format("args[%d]: a required argument has no default", i)) end
    end
    if not option then
      if arg.required == false or arg.default ~= nil then
        optional_seen = true
      elseif optional_seen then
        fail(fname, string_format("args[%d]: the required argument '%s' cannot follow an optional one", i, arg.name))
      end
    end
    result[i] = { name = arg.name, help = arg.help or "", type = kind, option = option,
      required = (not option and arg.required ~= false and arg.default == nil) or (option and arg.required == true),
      default = arg.default }
  end
  return result
end

function lib.command(spec)
  registering("command")
  check_fields("command", spec, { "name", "description", "args", "run" })
  check_name("command", spec.name, "name")
  if commands[spec.name] then fail("command", string_format("the command '%s' is declared twice", spec.name)) end
  check_description("command", spec.description)
  local args = check_args(spec.args)
  check_run("command", spec.run)
  commands[spec.name] = { name = spec.name, description = spec.description or "", args = args, run = spec.run }
  command_order[#command_order + 1] = spec.name
end

local UNITS = { s = 1, m = 60, h = 3600, d = 86400 }

local function every_seconds(text)
  if math_type(text) == "integer" then return text end
  if type(text) ~= "string" or #text > 32 then return nil end
  local total, rest = 0, text
  while #rest > 0 do
    local digits, unit, after = rest:match("^(%d+)([smhd])(.*)$")
    if digits == nil or #digits > 9 then return nil end
    total = total + tonumber(digits) * UNITS[unit]
    rest = after
  end
  return total
end

-- The scheduler's own parser says what is wrong with an expression.
local function check_cron(text)
  if type(text) ~= "string" then return "cron must be a string such as \"*/15 8-18 * * 1-5\" or \"@hourly\"" end
  return cron_problem(text)
end

function lib.workflow(spec)
  registering("workflow")
  check_fields("workflow", spec, { "name", "description", "cron", "every", "timezone", "run" })
  check_name("workflow", spec.name, "name")
  if workflows[spec.name] then fail("workflow", string_format("the workflow '%s' is declared twice", spec.name)) end
  check_description("workflow", spec.description)
  if (spec.cron == nil) == (spec.every == nil) then
    fail("workflow", "give exactly one of cron = \"*/15 8-18 * * 1-5\" or every = \"10m\"")
  end
  local timing = {}
  if spec.cron ~= nil then
    local problem = check_cron(spec.cron)
    if problem then fail("workflow", problem) end
    timing.cron = spec.cron
  else
    local seconds = every_seconds(spec.every)
    if seconds == nil or seconds < 60 or seconds > 366 * 86400 then
      fail("workflow", string_format("every must be a duration such as \"10m\", \"1h30m\" or \"1d\" (1 minute to 366 days), got %s",
        type(spec.every) == "string" and "'" .. spec.every .. "'" or tostring(spec.every)))
    end
    timing.every = seconds
  end
  local timezone = spec.timezone or "Europe/Paris"
  if type(timezone) ~= "string" or not timezone_ok(timezone) then
    fail("workflow", string_format("timezone must be an IANA time zone name such as \"Europe/Paris\", got %s", tostring(timezone)))
  end
  workflows[spec.name] = { name = spec.name, description = spec.description or "", cron = timing.cron,
    every = timing.every, timezone = timezone, run = spec.run }
  check_run("workflow", spec.run)
  workflow_order[#workflow_order + 1] = spec.name
end

function lib.on(hook, handler)
  registering("on")
  if not HOOK_SET[hook] then
    fail("on", string_format("unknown hook %s (hooks: %s)", type(hook) == "string" and "'" .. hook .. "'" or tostring(hook),
      table_concat(HOOKS, ", ")))
  end
  if type(handler) ~= "function" then fail("on", "the handler must be a function, got " .. type(handler)) end
  local list = hooks[hook] or {}
  list[#list + 1] = handler
  hooks[hook] = list
end

-- Hooks: the events of this run reach every enabled plugin's handlers (each in a state of its own),
-- through the host. A deposit.before handler that raises refuses the deposit. The wrappers replace
-- the functions in their domain tables, which chorus.as and the tables of chorus.client{...} reach
-- too, so an event fires whichever account the call goes through; `account` names it (nil: the
-- run's own account), read when the call starts, in the coroutine that makes it.
local current_account = helpers.chorus.account

local function fire(hook, event)
  fire_hook(hook, event)
end

-- The operations chorus.call deposits with: they fire the deposit hooks too, with `operation` and
-- the request's nomFichier as `name` (no `file`), so a raw call does not get around a policy.
local DEPOSITS = { ["factures.deposerFluxFacture"] = true, ["factures.deposerPdfFacture"] = true }

local function wrap_events()
  local call = rawget(lib, "call")
  -- Without chorus.write the host refuses a deposit before any request; no hook for it then.
  if call and granted["chorus.write"] then
    rawset(lib, "call", function(operation, payload)
      local id = type(operation) == "string" and operation_of(operation) or nil
      if not DEPOSITS[id] then return call(operation, payload) end
      local event = { plugin = PLUGIN, account = current_account(), operation = id }
      if type(payload) == "table" and type(payload.nomFichier) == "string" then event.name = payload.nomFichier end
      fire("deposit.before", event)
      local answer = call(operation, payload)
      event.answer = answer
      fire("deposit.after", event)
      return answer
    end)
  end
  local invoices, flows = rawget(lib, "invoices"), rawget(lib, "flows")
  local deposit = invoices and rawget(invoices, "deposit")
  if deposit then
    rawset(invoices, "deposit", function(options)
      local event = { plugin = PLUGIN, account = current_account() }
      if type(options) == "table" then event.file, event.name = options.file, options.name end
      fire("deposit.before", event)
      local answer = deposit(options)
      event.answer = answer
      fire("deposit.after", event)
      return answer
    end)
  end
  local wait = flows and rawget(flows, "wait")
  if wait then
    rawset(flows, "wait", function(numero, options)
      local account = current_account()
      local report = wait(numero, options)
      fire("flow.final", { plugin = PLUGIN, account = account, numeroFluxDepot = numero, report = report })
      return report
    end)
  end
  local process = invoices and rawget(invoices, "process")
  if process then
    rawset(invoices, "process", function(options)
      local account = current_account()
      local answer = process(options)
      fire("invoice.status",
        { plugin = PLUGIN, account = account, id = options.id, status = options.status, answer = answer })
      return answer
    end)
  end
end

-- The declarations, as plain data for the host.
local function declarations()
  local result = { commands = {}, workflows = {}, hooks = {} }
  for i, name in ipairs(command_order) do
    local c = commands[name]
    result.commands[i] = { name = c.name, description = c.description, args = setmetatable(c.args, helpers.array_mt) }
  end
  for i, name in ipairs(workflow_order) do
    local w = workflows[name]
    result.workflows[i] = { name = w.name, description = w.description, cron = w.cron, every = w.every, timezone = w.timezone }
  end
  for _, name in ipairs(HOOKS) do
    if hooks[name] then result.hooks[#result.hooks + 1] = name end
  end
  setmetatable(result.commands, helpers.array_mt)
  setmetatable(result.workflows, helpers.array_mt)
  setmetatable(result.hooks, helpers.array_mt)
  return result
end

-- The first line of the plugin's own code in a suspended coroutine, for the message of a load that waited.
local function position_in(co)
  for level = 0, 50 do
    local frame = getinfo(co, level, "Sl")
    if frame == nil then break end
    if frame.source:sub(1, 1) == "@" and frame.currentline > 0 and not helpers.internal_sources[frame.source] then
      return frame.short_src .. ":" .. frame.currentline
    end
  end
  return info.chunk:sub(2)
end

local function load_entry()
  local entry, problem = raw_load(info.source, info.chunk, "t")
  if entry == nil then error(problem, 0) end
  guard_table(lib, "")
  for key, value in pairs(lib) do
    if type(value) == "table" and not PURE_TABLES[key] and getmetatable(value) ~= helpers.array_mt then
      guard_table(value, key .. ".")
    end
  end
  loading = true
  local co = co_create(entry)
  local r = table.pack(raw_resume(co))
  loading = false
  unguard()
  if r[1] and co_status(co) == "suspended" then
    local where = position_in(co)
    co_close(co)
    error(string_format("%s: plugin '%s' waited while loading (a Chorus Pro call, a file, chorus.sleep or a task): "
      .. "loading only registers commands, workflows and hooks; do the work inside their run function", where, PLUGIN), 0)
  end
  if not r[1] then error(r[2], 0) end
end

-- Called by the host's driver once per state: loads the entry, then lists the declarations
-- ("load") or runs one command, workflow or hook.
function lib._plugin_main(mode, name, payload)
  -- The hook wrappers go in before the entry loads: a function the entry keeps in a local while it
  -- loads (`local deposit = chorus.invoices.deposit`) is then the wrapper, not the bare function.
  if mode ~= "load" then wrap_events() end
  load_entry()
  if mode == "load" then return declarations() end
  if mode == "command" then
    local command = commands[name]
    if command == nil then error(string_format("plugin '%s' has no command '%s'", PLUGIN, tostring(name)), 0) end
    command.run(payload)
    return nil
  elseif mode == "workflow" then
    local workflow = workflows[name]
    if workflow == nil then error(string_format("plugin '%s' has no workflow '%s'", PLUGIN, tostring(name)), 0) end
    workflow.run(payload)
    return nil
  elseif mode == "hook" then
    for _, handler in ipairs(hooks[name] or {}) do handler(payload) end
    return nil
  end
  error("unknown plugin mode " .. tostring(mode), 0)
end
