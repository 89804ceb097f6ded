#ifndef CLUA_SHIMS_H
#define CLUA_SHIMS_H
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#endif
