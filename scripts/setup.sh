#!/usr/bin/env bash
# Installs what the project needs on a fresh clone: npm packages and, for the browser tests, Debian's Chromium
# (never a downloaded browser). Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The browser tests need Debian's Chromium: install it, or stop. SKIP_BROWSER_INSTALL=1 runs without it (its tests
# then skip, which scripts/summarize-tests.mjs lists, and which fails a CI run).
if [ ! -x /usr/bin/chromium ]; then
  if [ "${SKIP_BROWSER_INSTALL:-}" = 1 ]; then
    echo "setup: SKIP_BROWSER_INSTALL=1 and /usr/bin/chromium is missing: the browser tests will be SKIPPED" >&2
  else
    if [ "$(id -u)" = 0 ]; then apt=(apt-get); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then apt=(sudo -n apt-get); else apt=(); fi
    if [ ${#apt[@]} -eq 0 ] || ! command -v apt-get >/dev/null; then
      echo "setup: /usr/bin/chromium is missing and cannot be installed here (needs root or sudo, and apt-get)." >&2
      echo "setup: install Debian's chromium (apt-get install -y chromium), or set SKIP_BROWSER_INSTALL=1 to skip the browser tests." >&2
      exit 1
    fi
    echo "setup: installing Debian's chromium for the browser tests"
    "${apt[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq chromium >/dev/null
    if [ ! -x /usr/bin/chromium ]; then echo "setup: installing chromium failed; /usr/bin/chromium is still missing" >&2; exit 1; fi
  fi
fi
