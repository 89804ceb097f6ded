-- structures-report.lua: a CSV of SIRETs with what an invoice to each must carry.
--   ./scripts/chorus run examples/structures-report.lua [SIRET...] > report.csv
local sirets = { ... }
if #sirets == 0 then
  sirets = { "12345678200051", "12345678200028", "12345678200036", "12345678200044", "11000201100044", "99999999999999" }
end

local checks = {}
for i, siret in ipairs(sirets) do
  checks[i] = function() return chorus.structures.requirements(siret) or chorus.null end
end
local results, errors = chorus.all(checks, { settle = true, limit = 4 })

print("siret;idStructureCPP;requires;service_required;engagement_required;status")
for i, siret in ipairs(sirets) do
  local r, err = results[i], errors[i]
  if err then
    print(("%s;;;;;error: %s"):format(siret, tostring(err):gsub(";", ",")))
  elseif r == chorus.null then
    print(("%s;;;;;unknown in this environment"):format(siret))
  else
    print(("%s;%d;%s;%s;%s;ok"):format(siret, r.idStructureCPP, r.requires,
      tostring(r.codeServiceDoitEtreRenseigne), tostring(r.numeroEJDoitEtreRenseigne)))
  end
end
