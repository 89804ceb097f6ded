# Shared by scripts/chorus, scripts/test and scripts/bench: install the system packages chorus needs.
# Sourced, not run. Prints what it does on stderr; exits 2 with a clear message if it cannot.

# Installs the Debian packages given (through sudo when not root), updating the index once if needed.
chorus_install_packages() {
    local missing=("$@")
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            echo "chorus: missing system packages: ${missing[*]}" >&2
            echo "chorus: install them as root:  apt-get install -y ${missing[*]}" >&2
            exit 2
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "chorus: missing system packages: ${missing[*]} (no apt-get here; install their equivalents)" >&2
        exit 2
    fi
    echo "chorus: installing ${missing[*]} ..." >&2
    if ! $sudo apt-get install -y -q "${missing[@]}" >&2; then
        $sudo apt-get update -q >&2 && $sudo apt-get install -y -q "${missing[@]}" >&2 || {
            echo "chorus: could not install ${missing[*]}; run: apt-get install -y ${missing[*]}" >&2
            exit 2
        }
    fi
}

# The libraries chorus builds against.
chorus_require_packages() {
    local missing=()
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    pkg-config --exists lua5.4 2>/dev/null || missing+=(liblua5.4-dev)
    pkg-config --exists libedit 2>/dev/null || missing+=(libedit-dev)
    pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)
    # GRDB (the deposit ledger) links the system SQLite.
    pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
    pkg-config --exists libarchive 2>/dev/null || missing+=(libarchive-dev)
    chorus_install_packages "${missing[@]}"
}

# The tools the tests use: luac5.4 checks the shipped Lua (scripts/lint) and the generated stubs;
# tmux drives interactive tests.
chorus_require_test_tools() {
    local missing=()
    command -v luac5.4 >/dev/null 2>&1 || missing+=(lua5.4)
    command -v tmux >/dev/null 2>&1 || missing+=(tmux)
    chorus_install_packages "${missing[@]}"
}
