#!/usr/bin/env bash
# Installs what the project needs on a fresh clone: npm packages and, for the browser tests, Debian's Chromium
# (never a downloaded browser). Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ "${SKIP_BROWSER_INSTALL:-}" != 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing and cannot be installed here; browser tests will be skipped" >&2
  fi
fi
