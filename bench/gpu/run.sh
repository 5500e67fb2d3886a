#!/bin/bash
# Prepares the WebGPU benchmark for the GPU machine and prints the one command to run there, from the repository
# root (no Node and no network there: everything travels in .gpu/, which git ignores):
#   bench/gpu/run.sh            # here: build, bundle (../shared/gpu/prepare.sh), add the data and the peer
# The printed command runs, in one call on the GPU machine, bench/src/gpu-train-step.ts (webgpu through Dawn:
# forward and train step at batch 8 and 64, a per-kernel profile, a real Quick, Draw! epoch and the stream with
# 0 and 16 workers) and the PyTorch CUDA peer (../shared/peers/torch_sketch_a_net.py --device cuda, with and
# without --cudnn-benchmark) at the same batches, and prints the ratios.
set -euo pipefail
root=$(git rev-parse --show-toplevel); cd "$root"
shared=${SKETCH_XNOR_SHARED:-$(cd "$root/.." && pwd)/shared}
workers=${GPU_BENCH_WORKERS:-0,16}

# the entry bundles the packages' built dist/ (their package.json exports)
for project in backends binary-ops models data; do npx nx run "$project:build" --output-style=stream-without-prefixes >/dev/null; done
"$shared/gpu/prepare.sh" bench/src/gpu-train-step.ts

# The batch stream's worker threads, inside a one-file bundle: its worker and pipeline modules beside app.mjs
# (/tmp/gpu-rt on the device), and piscina's worker runtime where the entry points piscina's __dirname.
rt=.gpu/rt
rm -rf "$rt" && mkdir -p "$rt/piscina"
echo '{"type":"module"}' > "$rt/package.json"
for module in worker default-pipeline; do
  npx --yes esbuild@0.25 "packages/data/dist/stream/$module.js" --bundle --platform=node --format=esm --target=node20 \
    --banner:js="import {createRequire as __cr} from 'module'; const require = __cr(import.meta.url);" \
    --outfile="$rt/$module.js" --log-level=warning
done
piscina=$(node -e "console.log(require('path').dirname(require.resolve('piscina')))")
cp "$piscina"/*.js "$rt/piscina/" && cp -r "$piscina/task_queue" "$piscina/worker_pool" "$rt/piscina/"
echo '{"type":"commonjs"}' > "$rt/piscina/package.json"

# the epoch's Quick, Draw! files (read-only shared data, copied into the git-ignored bundle only) and the peer
rm -rf .gpu/quickdraw && mkdir -p .gpu/quickdraw
npx tsx bench/src/gpu-train-step.ts --print-categories | while IFS= read -r category; do
  cp "$shared/data/quickdraw-345/$category.ndjson" .gpu/quickdraw/
done
cp "$shared/peers/torch_sketch_a_net.py" .gpu/
du -sh .gpu

cat <<COMMAND

Ready. On the GPU machine, from the repository root with .gpu/ beside it (the device tool: carry [".gpu"]):

  mkdir -p /tmp/gpu-rt && cp -r .gpu/rt/. /tmp/gpu-rt/ && bash .gpu/on-device.sh --peer .gpu/torch_sketch_a_net.py --data .gpu/quickdraw --workers $workers

COMMAND
