#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 served to a browser) into a cache folder outside the repo,
# offline but for the npm registry. Idempotent: a complete install is detected and skipped.
# Needs the Debian packages libkrb5-dev, ripgrep, build-essential (and chromium to run the tests).
# Env: CONDENSATION_E2E_HOME (default ~/.cache/condensation-lens-e2e). Prints the code-server path.
set -euo pipefail
CS_VERSION=4.100.3
RG_PKG_VERSION=1.15.11   # @vscode/ripgrep version pinned by code-server 4.100.3
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
E2E_HOME=${CONDENSATION_E2E_HOME:-$HOME/.cache/condensation-lens-e2e}
APP="$E2E_HOME/code-server-$CS_VERSION"
CS="$APP/node_modules/.bin/code-server"
# The last file code-server's postinstall creates; present only after a complete install.
DONE_MARK="$APP/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"

if [ -x "$CS" ] && [ -x "$DONE_MARK" ]; then echo "$CS"; exit 0; fi

fail() { echo "install-code-server: $1" >&2; exit 1; }
[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || fail "code-server $CS_VERSION needs Node 20; found $(node -v). Install Node 20 and retry."
missing=()
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v rg >/dev/null || missing+=(ripgrep)
{ command -v g++ >/dev/null && command -v make >/dev/null; } || missing+=(build-essential)
[ ${#missing[@]} -eq 0 ] || fail "missing Debian packages: ${missing[*]}. Run: apt-get install -y ${missing[*]}"

mkdir -p "$APP"
export TMPDIR="$E2E_HOME/tmp"
# @vscode/ripgrep's postinstall downloads rg from GitHub: pre-seed its download cache with Debian's rg.
rg_cache="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$rg_cache" "$E2E_HOME/rgstage"
cp "$(command -v rg)" "$E2E_HOME/rgstage/rg"
tar czf "$rg_cache/$RG_ASSET" -C "$E2E_HOME/rgstage" rg
# node-gyp builds against the local Node headers instead of downloading them.
[ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
# node-pty's postinstall runs `npx node-gyp`, which must not stop to ask.
export npm_config_yes=true
[ -f "$APP/package.json" ] || echo '{"name":"condensation-lens-e2e-code-server","version":"0.0.0","private":true}' > "$APP/package.json"
echo "install-code-server: installing code-server@$CS_VERSION into $APP (1-3 min, once)" >&2
(cd "$APP" && npm install --no-audit --no-fund --unsafe-perm "code-server@$CS_VERSION" >&2)
[ -x "$DONE_MARK" ] || fail "code-server installed without ripgrep ($DONE_MARK); see the npm output above."
echo "$CS"
