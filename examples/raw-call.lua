-- raw-call.lua: the escape hatch, chorus.call, for an operation the chorus tables do not wrap. It
-- finds what the operation expects in chorus.operations() (as `chorus call OP --schema` prints it),
-- starts from its minimal example (`chorus call OP --example`), fills it, and calls it.
--   ./scripts/chorus run examples/raw-call.lua [OPERATION] [SIRET]
local wanted = arg[1] or "transverses.consulterInformationsSIRET"
local siret = arg[2] or "98765432100015"

local operation
for _, op in ipairs(chorus.operations()) do
  if op.id == wanted or op.operationId == wanted then operation = op end
end
if operation == nil then chorus.exit(2, ("no operation %s (chorus call --list lists them)"):format(wanted)) end

print(("%s  %s %s  (%s)"):format(operation.id, operation.method, operation.path, operation.summary))
for _, field in ipairs(operation.fields) do
  print(("  %-24s %-8s %s"):format(field.name, field.type, field.required and "required" or ""))
end

-- The example holds the required fields only; fill them with real values.
local payload = operation.example
if payload.siretStructure then payload.siretStructure = siret end
if payload.idStructure then payload.idStructure = chorus.structures.find(siret) end
print("payload " .. chorus.json.encode(payload))

local ok, answer = pcall(chorus.call, operation.id, payload)
if not ok then
  -- A misuse (a string at this line) or a remote failure (a chorus.Error with its fix).
  if chorus.errors.is(answer, "MISUSE") then chorus.exit(2, answer) end
  chorus.exit(1, ("%s\nfix: %s"):format(tostring(answer), answer.remediation or "-"))
end
print("answer  " .. chorus.json.encode(answer))
