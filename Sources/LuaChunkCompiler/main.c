/* Build-time tool (run by the LuaChunks plugin): compiles the .lua files a target ships with the same
 * Lua library chorus runs on, and writes a Swift file holding each chunk's bytecode, so a run loads
 * the shipped Lua without parsing it (about 1.2 ms of every start). Only chorus's own files are ever
 * compiled here; a user's script is always loaded as text.
 *
 *   LuaChunkCompiler OUTPUT.swift FILE.lua...
 *
 * Each chunk is compiled with the chunk name "=?" and keeps its debug information (line numbers for
 * tracebacks); the runtime puts the real chunk name in place of "=?" when it loads the chunk. */
#include <lua.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buffer {
    unsigned char *bytes;
    size_t size, capacity;
};

static int append(lua_State *L, const void *data, size_t size, void *context) {
    (void)L;
    struct buffer *b = context;
    if (b->size + size > b->capacity) {
        size_t capacity = (b->size + size) * 2;
        unsigned char *grown = realloc(b->bytes, capacity);
        if (grown == NULL) return 1;
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->size, data, size);
    b->size += size;
    return 0;
}

static void write_base64(FILE *out, const unsigned char *bytes, size_t size) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < size; i += 3) {
        unsigned long group = (unsigned long)bytes[i] << 16;
        if (i + 1 < size) group |= (unsigned long)bytes[i + 1] << 8;
        if (i + 2 < size) group |= bytes[i + 2];
        fputc(alphabet[(group >> 18) & 63], out);
        fputc(alphabet[(group >> 12) & 63], out);
        fputc(i + 1 < size ? alphabet[(group >> 6) & 63] : '=', out);
        fputc(i + 2 < size ? alphabet[group & 63] : '=', out);
    }
}

static int read_file(const char *path, struct buffer *b) {
    FILE *in = fopen(path, "rb");
    if (in == NULL) return 0;
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (append(NULL, chunk, n, b) != 0) {
            fclose(in);
            return 0;
        }
    }
    int ok = !ferror(in);
    fclose(in);
    return ok;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: LuaChunkCompiler OUTPUT.swift FILE.lua...\n");
        return 2;
    }
    lua_State *L = luaL_newstate();
    FILE *out = fopen(argv[1], "w");
    if (L == NULL || out == NULL) {
        fprintf(stderr, "LuaChunkCompiler: cannot write %s\n", argv[1]);
        return 1;
    }
    fprintf(out, "// Generated at build time by the LuaChunks plugin (Sources/LuaChunkCompiler): do not edit.\n\n");
    fprintf(out, "/// The bytecode of this module's .lua files by file name (base64), compiled by the build's own\n");
    fprintf(out, "/// Lua (%s) with the chunk name \"=?\", which the runtime replaces.\n", LUA_RELEASE);
    fprintf(out, "enum PrecompiledLua {\n    static let chunks: [String: String] = [\n");
    for (int i = 2; i < argc; i++) {
        struct buffer source = {0}, bytecode = {0};
        if (!read_file(argv[i], &source)) {
            fprintf(stderr, "LuaChunkCompiler: cannot read %s\n", argv[i]);
            return 1;
        }
        if (luaL_loadbufferx(L, (const char *)source.bytes, source.size, "=?", "t") != LUA_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], lua_tostring(L, -1));
            return 1;
        }
        if (lua_dump(L, append, &bytecode, 0) != 0) {
            fprintf(stderr, "LuaChunkCompiler: out of memory dumping %s\n", argv[i]);
            return 1;
        }
        lua_pop(L, 1);
        const char *slash = strrchr(argv[i], '/');
        fprintf(out, "        \"%s\": \"", slash ? slash + 1 : argv[i]);
        write_base64(out, bytecode.bytes, bytecode.size);
        fprintf(out, "\",\n");
        free(source.bytes);
        free(bytecode.bytes);
    }
    if (argc == 2) fprintf(out, "        :\n");
    fprintf(out, "    ]\n}\n");
    lua_close(L);
    return fclose(out) == 0 ? 0 : 1;
}
