#!/usr/bin/env bash
# The main job on a fresh clone: install, build, then on the embedded synthetic sketches train a float Sketch-A-Net,
# an XNOR net from it, pack it into a 1-bit bundle, evaluate all three and print accuracy, size and latency
# (scripts/main-job.mjs; each run writes a new apps/cli/runs/main-<time>/, and apps/cli/runs/main-latest points at it).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
SKIP_BROWSER_INSTALL=1 bash scripts/setup.sh
npx nx run-many -t build --projects=cli --outputStyle=static
node scripts/main-job.mjs "$@"
