-- A module of the plugin: `require` finds it in the plugin's lua/ folder, and only there.
local M = {}

function M.text(who, shout)
  local text = "hello, " .. who
  if shout then text = text:upper() end
  return text
end

return M
