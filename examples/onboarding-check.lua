-- onboarding-check.lua: checks, step by step, that this profile can talk to Chorus Pro, and says
-- which onboarding (raccordement) step to fix when one fails.
--   ./scripts/chorus run examples/onboarding-check.lua [SIRET]
local siret = arg[1]
local failures = 0

local function step(title, f)
  local ok, result = pcall(f)
  if ok then
    print(("ok    %s%s"):format(title, result and ("  (" .. tostring(result) .. ")") or ""))
    return true
  end
  failures = failures + 1
  print(("FAIL  %s\n      %s"):format(title, tostring(result)))
  if type(result) == "table" and result.remediation then print("      fix: " .. result.remediation) end
  return false
end

local env = chorus.env()
print(("Environment %s: %s"):format(env.name, env.api_url))

local _ = step("PISTE token for the application", function()
  local t = chorus.token()
  return ("scope %s, expires in %d s"):format(t.scope or "?", t.expires_in)
end)
  and step("technical account accepted (health-check)", function()
    return chorus.health().statusCode
  end)
  and step("technical account attachments (rattachements)", function()
    local list = chorus.account.structures()
    local names = {}
    for _, r in ipairs(list) do names[#names + 1] = r.identifiantStructure end
    if siret then
      for _, s in ipairs(names) do if s == siret then return "attached to " .. siret end end
      error(("the technical account is not attached to %s (attached to: %s)"):format(siret, table.concat(names, ", ")), 0)
    end
    return #list .. " structure(s): " .. table.concat(names, ", ")
  end)
  and step("Structures API subscribed", function()
    local id = chorus.structures.find(siret or "12345678200051")
    return id and ("idStructureCPP " .. id) or "SIRET unknown in this environment"
  end)
  and step("Transverses API subscribed", function()
    return #chorus.lookups.vat_rates() .. " VAT rates"
  end)

if failures > 0 then error(("%d check(s) failed"):format(failures), 0) end
print("All checks passed.")
