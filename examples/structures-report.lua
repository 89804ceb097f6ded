-- structures-report.lua: the onboarding check of a list of SIRETs, as CSV: whether each recipient is
-- known in this environment and what an invoice to it must carry (requires: none, service,
-- engagement, both, service_or_engagement). SIRETs come as arguments, or one per line from a file
-- given as @FILE; without any, the simulator's recipients and an unknown SIRET.
--   ./scripts/chorus run examples/structures-report.lua [SIRET... | @FILE] > report.csv
local sirets = {}
for _, a in ipairs({ ... }) do
  if a:sub(1, 1) == "@" then
    for line in chorus.fs.read(a:sub(2)):gmatch("[^\r\n]+") do
      local siret = line:match("^%s*(%d+)%s*$")
      if siret then sirets[#sirets + 1] = siret end
    end
  else
    sirets[#sirets + 1] = a
  end
end
if #sirets == 0 then
  sirets = { "12345678200051", "12345678200028", "12345678200036", "12345678200044", "11000201100044", "99999999999999" }
end

local checks = {}
for i, siret in ipairs(sirets) do
  checks[i] = function() return chorus.structures.requirements(siret) or chorus.null end
end
local results, errors = chorus.all(checks, { settle = true, limit = 4 })

local rows = {}
for i, siret in ipairs(sirets) do
  local r, err = results[i], errors[i]
  if err then
    rows[i] = { siret = siret, status = "error: " .. tostring(err) }
  elseif r == chorus.null then
    rows[i] = { siret = siret, status = "unknown in this environment" }
  else
    rows[i] = { siret = siret, idStructureCPP = r.idStructureCPP, requires = r.requires,
      service_required = r.codeServiceDoitEtreRenseigne, engagement_required = r.numeroEJDoitEtreRenseigne, status = "ok" }
  end
end
-- CSV with ";" (what French spreadsheets expect) and Unix line ends, for the shell's redirection.
local text = chorus.csv.encode(rows, { separator = ";", eol = "\n",
  header = { "siret", "idStructureCPP", "requires", "service_required", "engagement_required", "status" } })
print(text:sub(1, -2))
