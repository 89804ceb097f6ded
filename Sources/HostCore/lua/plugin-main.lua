-- The main chunk of every plugin state: hands the host's request (mode, name, payload) to the
-- plugin API (plugin.lua), hidden from the plugin's own code.
local main = chorus._plugin_main
chorus._plugin_main = nil
return main(...)
