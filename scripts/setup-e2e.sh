#!/usr/bin/env bash
# Installs what the end-to-end tests need, and nothing twice (idempotent; see docs/e2e.md):
#   1. Debian packages: chromium (driven by playwright-core), libkrb5-dev + pkg-config (code-server's native
#      modules), ripgrep (seeds @vscode/ripgrep, whose postinstall would download rg from GitHub).
#   2. code-server 4.100.3 (= VS Code 1.100.3, the last line that runs on Node 20) from the npm registry,
#      into a cache folder OUTSIDE the repository: ${E2E_CACHE:-$HOME/.cache/iso27017-e2e}.
#   3. The project's own e2e devDependencies (playwright-core, @vscode/test-electron, @vscode/test-cli),
#      which `npm ci` installs; this step checks them (and runs `npm install` when one is missing).
# Needs root (or sudo) only when a Debian package is missing. Network: Debian mirrors + the npm registry.
# Prints `export CODE_SERVER=...` style facts at the end; scripts/test-e2e.sh sources nothing from it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
E2E_CACHE=${E2E_CACHE:-$HOME/.cache/iso27017-e2e}
CS_VERSION=4.100.3
CS_HOME=$E2E_CACHE/code-server-$CS_VERSION
CODE_SERVER=$CS_HOME/node_modules/.bin/code-server
APT_PACKAGES=(chromium libkrb5-dev pkg-config ripgrep)

T0=$(date +%s)
STEP_T0=$T0
SUMMARY=()
step() { STEP_T0=$(date +%s); echo "=== setup-e2e: $*"; }
done_step() { # $1 = what happened
  local now; now=$(date +%s)
  echo "    -> $1 ($(( now - STEP_T0 )) s)"
  SUMMARY+=("$(printf '%-28s %4d s  %s' "$CURRENT" "$(( now - STEP_T0 ))" "$1")")
}

# ---------------------------------------------------------------------------------------------------------
CURRENT="Debian packages"
step "1/3 Debian packages (${APT_PACKAGES[*]})"
missing=()
if ! command -v dpkg >/dev/null 2>&1; then
  # Not Debian: no apt; check for what the tests call and say what is missing.
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=("chromium (or set CHROMIUM)")
  command -v rg >/dev/null 2>&1 || missing+=("ripgrep")
  if [ ${#missing[@]} -gt 0 ]; then echo "setup-e2e: not a Debian system; install: ${missing[*]}" >&2; exit 1; fi
fi
for p in "${APT_PACKAGES[@]}"; do command -v dpkg >/dev/null 2>&1 || break; dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  done_step "already installed"
else
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
      echo "setup-e2e: missing Debian packages: ${missing[*]}; run as root or install them: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "    missing: ${missing[*]}"
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  done_step "installed ${missing[*]}"
fi

# ---------------------------------------------------------------------------------------------------------
CURRENT="code-server $CS_VERSION"
step "2/3 code-server $CS_VERSION in $CS_HOME"
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  echo "setup-e2e: warning: code-server $CS_VERSION is built for Node 20; this is Node $(node -v)" >&2
fi
if [ -x "$CODE_SERVER" ] && "$CODE_SERVER" --version >/dev/null 2>&1; then
  done_step "cached ($("$CODE_SERVER" --version | head -1))"
else
  # @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable: seed its download cache
  # (os.tmpdir()/vscode-ripgrep-cache-<version>) with Debian's rg, for every 1.15.x it might be.
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) echo "setup-e2e: unsupported architecture $(uname -m)" >&2; exit 1 ;;
  esac
  tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"
  for v in $(seq 11 20); do
    d=${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.$v
    mkdir -p "$d"
    [ -f "$d/ripgrep-v13.0.0-10-$rg_target.tar.gz" ] || tar czf "$d/ripgrep-v13.0.0-10-$rg_target.tar.gz" -C "$tmp" rg
  done
  rm -rf "$tmp"
  mkdir -p "$CS_HOME"
  ( cd "$CS_HOME"
    [ -f package.json ] || printf '{ "name": "iso27017-e2e-code-server", "private": true }\n' > package.json
    # As root, code-server's postinstall only runs with unsafe-perm (npm warns the setting is unknown: harmless);
    # npm_config_yes lets node-pty's build fetch node-gyp without a prompt.
    npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund "code-server@$CS_VERSION" 2>&1 \
      | grep -v -e 'npm warn Unknown env config "unsafe-perm"' -e 'install-scripts' || true
  )
  if ! "$CODE_SERVER" --version >/dev/null 2>&1; then
    echo "setup-e2e: code-server did not install into $CS_HOME (see the npm output above)" >&2
    exit 1
  fi
  done_step "installed ($("$CODE_SERVER" --version | head -1), $(du -sh "$CS_HOME" | cut -f1))"
fi

# ---------------------------------------------------------------------------------------------------------
CURRENT="project devDependencies"
step "3/3 playwright-core, @vscode/test-electron, @vscode/test-cli (devDependencies)"
missing_js=()
for m in playwright-core @vscode/test-electron @vscode/test-cli mocha @vscode/vsce; do
  [ -f "$ROOT/node_modules/$m/package.json" ] || missing_js+=("$m")
done
if [ ${#missing_js[@]} -eq 0 ]; then
  done_step "present (playwright-core $(cd "$ROOT" && node -p "require('playwright-core/package.json').version"))"
else
  echo "    missing in node_modules: ${missing_js[*]} -> npm install (from package-lock.json)"
  ( cd "$ROOT" && npm install --no-audit --no-fund )
  done_step "installed ${missing_js[*]}"
fi

echo "=== setup-e2e: done in $(( $(date +%s) - T0 )) s"
printf '    %s\n' "${SUMMARY[@]}"
echo "    CODE_SERVER=$CODE_SERVER"
echo "    CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)"
