#!/usr/bin/env bash
# The main job on a fresh clone: install, build, train the default model on the embedded synthetic data, evaluate it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
SKIP_BROWSER_INSTALL=1 bash scripts/setup.sh
npx nx run cli:train --outputStyle=stream -- --out runs/default
npx nx run cli:eval --outputStyle=stream -- --run runs/default
