#!/usr/bin/env bash
# The main job on a fresh clone: install, build, train the default model on the embedded synthetic data, evaluate it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
SKIP_BROWSER_INSTALL=1 bash scripts/setup.sh
# each run trains into a new timestamped folder under apps/cli/runs/ and points runs/latest at it, so the job can be
# run again (a fixed --out would refuse a folder that already holds a run)
npx nx run cli:train --outputStyle=stream
npx nx run cli:eval --outputStyle=stream
