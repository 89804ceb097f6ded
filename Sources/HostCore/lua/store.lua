-- chorus.store.update: an atomic read-modify-write over the host's compare-and-swap. The function
-- may run more than once: when another run changed the key between the read and the write, the
-- new value is computed again from the value that run left.
local lib = ...
local get_versioned, swap = lib._get, lib._swap
lib._get, lib._swap = nil, nil
local type, error, string_format = type, error, string.format

local ATTEMPTS = 1000

function lib.update(key, fn)
  if type(key) ~= "string" then
    error(string_format("bad argument #1 to 'update' (string expected, got %s)", type(key)), 2)
  end
  if type(fn) ~= "function" then
    error(string_format("bad argument #2 to 'update' (function expected, got %s)", type(fn)), 2)
  end
  for _ = 1, ATTEMPTS do
    local value, version = get_versioned(key)
    local new = fn(value)
    if swap(key, version, new) then return new end
  end
  error(string_format("chorus.store.update: '%s' changed %d times while the update ran; too many runs write it at once",
    key, ATTEMPTS), 2)
end
