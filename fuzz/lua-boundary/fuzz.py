#!/usr/bin/env python3
"""Generator-based fuzzer of the Lua/Swift boundary of `chorus run` (see fuzz/targets/lua-boundary.sh).

Each case is a random Lua script that calls chorus.* functions (found by walking the `chorus` table of
a real run) with hostile values, inside pcall, mixed with stressors aimed at the host: tasks, joins,
coroutines, to-be-closed variables, finalizers, error objects with metamethods, long C loops.
The run gets a tight --timeout and --memory-limit; a finding is a signal, a run alive past the
deadline plus the watchdog's grace (plus slack for a loaded machine), or a peak RSS past the limit
plus the process overhead. Findings are written to WORK/crashes/ with their reproducing command.
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TIMEOUT = 2          # --timeout of each case (seconds)
MEMORY_MB = 128      # --memory-limit of each case
GRACE = 1.5 + 8.0    # the watchdog's grace, and slack for a loaded machine
OVERHEAD_MB = 160    # the process's own memory beyond the script's cap (runtime, NIO, simulator)

NUMBERS = ["0", "-1", "1", "0.5", "-0.0", "1e308", "-1e308", "0/0", "math.huge", "-math.huge",
           "math.maxinteger", "math.mininteger", "2^53", "2^63", "-2^63", "1e19", "1e30", "4294967296",
           "9223372036854775807", "2147483648", "65536", "1e-320"]
STRINGS = ['""', '"x"', '"\\0"', '"\\xff\\xfe\\xc0"', '("a"):rep(1 << 20)', '("é"):rep(100000)',
           '"../../../../etc/passwd"', '"/etc/shadow"', '"~/.ssh/id_rsa"', '".bashrc"', '"%s%n%d"',
           '"\\n\\27[31mforged"', '"2024-13-45"', '"2024-01-31T10:00:00+01:00"', '"IN_DP_E1_UBL_INVOICE"',
           '"factures.deposerFluxFacture"', '("x"):rep(2 << 20)', '"null"', '"[1,2,"', '"{\\"a\\":1e999}"',
           '"' + "[" * 600 + '"', '"deposerFluxFacture"', '"12345678200051"', '"*"', '"."', '"/"']
TABLES = ["{}", "chorus.array()", "chorus.object()", "{1, 2, 3}", "{a = 1}", "{[1] = 1, x = 2}",
          "{chorus.null}", "deep(300)", "cyclic()", "hostile_mt()", "big_array(100000)",
          "{file = '/etc/passwd'}", "{data = 'x', name = 'a.xml'}", "{settle = true, limit = 0}",
          "{limit = math.maxinteger}", "{page = -1}", "{page = 2^62}", "{[0/0 == 0/0 and 1 or 2] = 1}",
          "setmetatable({}, {__index = function() error('boom') end})",
          "setmetatable({}, {__len = function() return math.maxinteger end})",
          "setmetatable({}, {__pairs = function() error('no pairs') end})"]
OTHERS = ["nil", "true", "false", "chorus.null", "function() end", "function() error('x') end",
          "function() return chorus.sleep(0) end", "coroutine.create(function() end)",
          "chorus.spawn(function() end)", "print", "error_object()", "function() while true do end end"]

PRELUDE = r"""
local function deep(n) local t = {} for _ = 1, n do t = {t} end return t end
local function cyclic() local t = {} t.self = t t[1] = t return t end
local function hostile_mt()
  return setmetatable({}, {
    __index = function() error("index") end, __newindex = function() error("newindex") end,
    __tostring = function() return ("t"):rep(1 << 16) end, __len = function() return -1 end,
    __eq = function() error("eq") end, __concat = function() error("concat") end,
  })
end
local function big_array(n) local t = {} for i = 1, n do t[i] = i end return t end
local function error_object()
  return setmetatable({}, { __tostring = function() error(setmetatable({}, {__tostring = function() return "inner" end})) end })
end
local function try(f, ...) return pcall(f, ...) end
"""

# Operations called through chorus.call with paging and search parameters (numbers cross into the
# client and the in-process simulator).
OPERATIONS = ["structures.rechercherStructure", "transverses.recupererPays", "structures.consulterStructure",
              "factures.rechercherFactureParRecipiendaire", "factures.rechercherFactureParFournisseur",
              "transverses.rechercherDestinataire", "factures.consulterFactureParRecipiendaire",
              "flux.consulterCR", "structures.rechercherServicesStructure", "nope.unknown"]

STRESSORS = [
    "local ids = {} for i = 1, {n} do ids[i] = chorus.spawn(function() return i end) end for i = 1, #ids do ids[i]:wait() end",
    "local fns = {} for i = 1, {n} do fns[i] = function() if i % 7 == 0 then error(i) end return i end end try(chorus.all, fns, {settle = true})",
    "local fns = {} for i = 1, {n} do fns[i] = function() chorus.sleep(0) return i end end try(chorus.all, fns, {limit = 3})",
    "local co = coroutine.wrap(function() chorus.sleep(0) return 1 end) try(co)",
    "do local x <close> = setmetatable({}, {__close = function() error('close') end}) end",
    "try(function() local x <close> = setmetatable({}, {__close = function() chorus.sleep(0) end}) end)",
    "setmetatable({}, {__gc = function() error('gc') end}) collectgarbage()",
    "try(string.rep, 'x', {n} * 100000)",
    "try(string.rep, '', math.maxinteger)",
    "try(table.concat, {}, '', 1, math.maxinteger)",
    "try(table.unpack, {}, 1, 1e7)",
    "try(xpcall, function() error('a') end, function(m) return m .. ('!'):rep(1 << 16) end)",
    "try(error, error_object())",
    "try(load, ('x = 1 '):rep({n}))",
    "try(string.format, '%99999d', 1)",
    "try(utf8.char, math.maxinteger)",
    "try(chorus.json.decode, ('['):rep(100000))",
    "try(chorus.json.encode, deep(300))",
    "try(chorus.json.encode, cyclic())",
    "local t = setmetatable({id = {n}}, getmetatable(chorus.spawn(function() end))) try(t.wait, t)",
    "try(coroutine.close, coroutine.running())",
    "try(chorus.base64.decode, ('=@'):rep(1000))",
]


def value(rng, depth=0):
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(NUMBERS)
    if kind < 0.6:
        return rng.choice(STRINGS)
    if kind < 0.8 or depth > 1:
        return rng.choice(TABLES)
    if kind < 0.9:
        return rng.choice(OTHERS)
    # a table literal holding random values under known option names
    keys = ["file", "data", "name", "syntax", "settle", "limit", "page", "pretty", "id", "status", "from", "to"]
    fields = ", ".join(f"{rng.choice(keys)} = {value(rng, depth + 1)}" for _ in range(rng.randint(1, 4)))
    return "{" + fields + "}"


def parse_stubs(text):
    """{function name: [(param, type)]} from the LuaLS definitions `chorus stubs` writes."""
    signatures, params = {}, []
    for line in text.splitlines():
        if line.startswith("---@param "):
            rest = line[len("---@param "):]
            name, _, rest = rest.partition(" ")
            depth, end = 0, len(rest)
            for i, ch in enumerate(rest):
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                elif ch == " " and depth == 0:
                    end = i
                    break
            params.append((name, rest[:end]))
        elif line.startswith("function "):
            name = line[len("function "):].split("(")[0]
            if name.startswith("chorus."):
                signatures[name] = params
            params = []
        elif not line.startswith("---"):
            params = []
    return signatures


def typed_value(rng, typ, depth=0):
    """A hostile value of the documented type (now and then of another type, or nil when optional)."""
    optional = typ.endswith("?")
    typ = typ.rstrip("?")
    if optional and rng.random() < 0.15:
        return "nil"
    if rng.random() < 0.1 or depth > 2:
        return value(rng, 1)
    if typ.startswith("{") and typ.endswith("}"):
        fields = []
        inner, depth_, start, parts = typ[1:-1], 0, 0, []
        for i, ch in enumerate(inner):
            depth_ += ch == "{"
            depth_ -= ch == "}"
            if ch == "," and depth_ == 0:
                parts.append(inner[start:i])
                start = i + 1
        parts.append(inner[start:])
        for part in parts:
            key, _, ftype = part.strip().partition(":")
            if key and not (ftype.strip().endswith("?") and rng.random() < 0.3):
                fields.append(f"{key.strip()} = {typed_value(rng, ftype.strip(), depth + 1)}")
        return "{" + ", ".join(fields) + "}"
    if typ in ("string", "string|integer"):
        return rng.choice(STRINGS)
    if typ in ("number", "integer"):
        return rng.choice(NUMBERS)
    if typ == "boolean":
        return rng.choice(["true", "false"])
    if typ.endswith("[]"):
        n = rng.choice([0, 1, 3, 100])
        return "{" + ", ".join(typed_value(rng, typ[:-2], depth + 1) for _ in range(n)) + "}"
    if typ == "function":
        return rng.choice([o for o in OTHERS if o.startswith("function")])
    if typ == "table":
        return rng.choice(TABLES)
    return value(rng, 1)


def call_payload(rng):
    params = ", ".join(f"{k} = {rng.choice(NUMBERS)}" for k in
                       rng.sample(["pageResultatDemandee", "nbResultatsParPage", "idStructure", "idFacture",
                                   "numeroFluxDepot"], rng.randint(1, 3)))
    return ("{structure = {identifiantStructure = \"12345678200051\"}, parametres = {" + params + "}, "
            + params + "}")


def script(rng, functions):
    lines = [PRELUDE]
    for _ in range(rng.randint(2, 12)):
        if rng.random() < 0.25:
            lines.append(rng.choice(STRESSORS).replace("{n}", str(rng.choice([1, 10, 100, 1000, 20000]))))
            continue
        if rng.random() < 0.15:
            lines.append(f"try(chorus.call, \"{rng.choice(OPERATIONS)}\", {call_payload(rng)})")
            continue
        name = rng.choice(list(functions))
        signature = functions[name]
        if signature and rng.random() < 0.7:
            args = ", ".join(typed_value(rng, typ) for _, typ in signature)
        else:
            args = ", ".join(value(rng) for _ in range(rng.randint(0, 4)))
        call = f"try({name}{', ' if args else ''}{args})"
        if rng.random() < 0.2:
            call = f"chorus.spawn(function() {call} end)"
        lines.append(call)
    if rng.random() < 0.1:
        lines.append("while true do end")
    lines.append('print("end")')
    return "\n".join(lines) + "\n"


def discover(binary, env, work):
    path = os.path.join(work, "discover.lua")
    with open(path, "w") as f:
        f.write("""
local seen = {}
local function walk(t, prefix)
  if seen[t] then return end
  seen[t] = true
  local names = {}
  for k in pairs(t) do if type(k) == "string" then names[#names + 1] = k end end
  table.sort(names)
  for _, k in ipairs(names) do
    local v = rawget(t, k)
    if type(v) == "function" then print(prefix .. k)
    elseif type(v) == "table" and k ~= "null" then walk(v, prefix .. k .. ".") end
  end
end
walk(chorus, "chorus.")
""")
    out = subprocess.run([binary, "run", path], env=env, cwd=work, capture_output=True, text=True, timeout=60)
    names = [line for line in out.stdout.splitlines() if line.startswith("chorus.")]
    if not names:
        sys.exit(f"lua-boundary: could not list the chorus functions: {out.stderr}")
    # Their documented parameter types, to build values that pass the type checks and reach deeper.
    stubs_dir = os.path.join(work, "stubs")
    subprocess.run([binary, "stubs", "--out", stubs_dir, "--force"], env=env, cwd=work, capture_output=True, timeout=60)
    try:
        with open(os.path.join(stubs_dir, "chorus.d.lua")) as f:
            signatures = parse_stubs(f.read())
    except OSError:
        signatures = {}
    return {name: signatures.get(name, []) for name in names}


def run_case(binary, env, case_dir, source):
    path = os.path.join(case_dir, "case.lua")
    with open(path, "w") as f:
        f.write(source)
    rss_file = os.path.join(case_dir, "rss")
    command = ["/usr/bin/time", "-f", "%M", "-o", rss_file, binary, "run", "--timeout", str(TIMEOUT),
               "--memory-limit", str(MEMORY_MB), "case.lua"]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=case_dir, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    hung = False
    try:
        _, stderr = process.communicate(timeout=TIMEOUT + GRACE)
    except subprocess.TimeoutExpired:
        hung = True
        os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
    elapsed = time.monotonic() - started
    rss_kb = 0
    signal_name = None
    try:
        with open(rss_file) as f:
            for line in f:
                line = line.strip()
                if line.startswith("Command terminated by signal"):
                    signal_name = line.rsplit(" ", 1)[-1]
                elif line.isdigit():
                    rss_kb = int(line)
    except OSError:
        pass
    problems = []
    if hung:
        problems.append(f"still running {elapsed:.1f} s after start (deadline {TIMEOUT} s + grace)")
    if signal_name:
        problems.append(f"killed by signal {signal_name}")
    if rss_kb > (MEMORY_MB + OVERHEAD_MB) * 1024:
        problems.append(f"peak RSS {rss_kb // 1024} MB over {MEMORY_MB} MB + {OVERHEAD_MB} MB overhead")
    return problems, stderr.decode("utf-8", "replace")[-20000:], elapsed, rss_kb


def symbolize(binary, env, case_dir):
    """Reruns a crashing case with the backtracer on; returns its failure line and first frame."""
    env = dict(env, SWIFT_BACKTRACE="enable=yes,interactive=no")
    try:
        out = subprocess.run([binary, "run", "--memory-limit", str(MEMORY_MB), "case.lua"], env=env, cwd=case_dir,
                             capture_output=True, timeout=90)
    except subprocess.TimeoutExpired:
        return "no crash on rerun (timed out)"
    return crash_signature(out.stderr.decode("utf-8", "replace"))


def crash_signature(stderr):
    """What identifies a finding: the runtime's failure line and the first frame in our code."""
    failure = next((l.strip() for l in stderr.splitlines() if "Fatal error" in l or "runtime failure" in l), "")
    frame = ""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if "crashed:" in line:
            for l in lines[i + 1:i + 8]:
                m = re.search(r"0x[0-9a-f]+ (.*?) \+ \d+ in \S+ at \S*?/Sources/(\S+)", l)
                if m:
                    frame = f"{m.group(1)} ({m.group(2)})"
                    break
            break
    return (failure + " @ " + frame) if failure or frame else stderr.strip()[-120:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seconds", type=int, required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = os.path.abspath(args.work)
    crashes = os.path.join(work, "crashes")
    os.makedirs(crashes, exist_ok=True)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    home = tempfile.mkdtemp(prefix="lua-boundary-home-", dir=work)
    # No backtracer: it takes seconds, during which the watchdog could end the process first and a
    # crash would look like a timeout.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "SWIFT_BACKTRACE": "enable=no"}
    functions = discover(binary, env, home)
    typed = sum(1 for sig in functions.values() if sig)
    print(f"lua-boundary: {len(functions)} chorus functions ({typed} with documented parameters), seed {seed}, "
          f"binary {binary}", flush=True)
    deadline = time.monotonic() + args.seconds
    cases = 0
    found = 0
    seen = {}
    symbolized = 0
    slowest = 0.0
    peak = 0
    while time.monotonic() < deadline:
        case_dir = tempfile.mkdtemp(prefix="case-", dir=home)
        source = script(rng, functions)
        problems, stderr, elapsed, rss_kb = run_case(binary, env, case_dir, source)
        cases += 1
        slowest = max(slowest, elapsed)
        peak = max(peak, rss_kb)
        signature = None
        if problems:
            # A signal: run it again with Swift's backtracer to learn where (the first 10 only; it is slow).
            signature = "unsymbolized"
            if any("signal" in p for p in problems) and symbolized < 10:
                symbolized += 1
                signature = symbolize(binary, env, case_dir)
            elif not any("signal" in p for p in problems):
                signature = problems[0].split(" ")[0] + " " + " ".join(problems[0].split(" ")[1:3])
        if problems and signature in seen:
            seen[signature] += 1
        elif problems:
            seen[signature] = 1
            found += 1
            name = os.path.join(crashes, f"finding-{seed}-{cases}.lua")
            shutil.copy(os.path.join(case_dir, "case.lua"), name)
            print(f"\nFINDING {found}: {'; '.join(problems)}", flush=True)
            print(f"  reproduce: cd {os.path.dirname(name)} && {binary} run --timeout {TIMEOUT} "
                  f"--memory-limit {MEMORY_MB} {os.path.basename(name)}", flush=True)
            print(f"  signature: {signature}", flush=True)
            with open(name + ".stderr", "w") as f:
                f.write(stderr)
        shutil.rmtree(case_dir, ignore_errors=True)
        if cases % 50 == 0:
            print(f"lua-boundary: {cases} cases, {found} findings, slowest {slowest:.1f} s, "
                  f"peak RSS {peak // 1024} MB", flush=True)
    for signature, count in seen.items():
        print(f"lua-boundary: finding seen {count} time(s): {signature}", flush=True)
    shutil.rmtree(home, ignore_errors=True)
    print(f"lua-boundary: {cases} cases in {args.seconds} s, {found} findings, slowest {slowest:.1f} s, "
          f"peak RSS {peak // 1024} MB (limit {MEMORY_MB} MB + {OVERHEAD_MB} MB overhead)", flush=True)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
