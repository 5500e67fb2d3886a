#!/usr/bin/env bash
# Quick, Draw!-20 comparison of vanilla, BWN and XNOR Sketch-A-Net (docs/RESULTS.md). Each row's command is printed
# before it runs; runs land in runs/qd20/. Sizes chosen to finish on 2 cores: input 96 (rendered at 109), width 0.25.
# Protocol: the 20 alphabetically first categories not starting with "The ", per category the first 300 drawings
# train and the next 100 test (--per-category 400 --test-fraction 0.25 takes the test part from the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${SKETCH_XNOR_SHARED:-../shared}/data/quickdraw-345
CATS=$(ls "$DATA" | sed 's/\.ndjson$//' | grep -v '^The ' | LC_ALL=C sort | head -20 | paste -sd, -)
EPOCHS=${EPOCHS:-3}
COMMON=(--dataset quickdraw --data "$DATA" --categories "$CATS" --per-category 400 --test-fraction 0.25 --size 96 --width 0.25 --batch 32 --seed 1 --no-progress)
OUT=${OUT:-runs/qd20}
mkdir -p "$OUT"
run() {
  echo "+ sketch-xnor $*" | tee -a "$OUT/commands.txt"
  node apps/cli/dist/main.js "$@"
}
run train --model sketch-a-net "${COMMON[@]}" --epochs "$EPOCHS" --out "$OUT/vanilla"
run train --model sketch-a-net-bwn "${COMMON[@]}" --epochs "$EPOCHS" --init "$OUT/vanilla" --out "$OUT/bwn-from-vanilla"
run train --model sketch-a-net-xnor "${COMMON[@]}" --epochs "$EPOCHS" --init "$OUT/vanilla" --out "$OUT/xnor-from-vanilla"
run train --model sketch-a-net "${COMMON[@]}" --epochs $((2 * EPOCHS)) --out "$OUT/vanilla-2x"
for r in vanilla bwn-from-vanilla xnor-from-vanilla vanilla-2x; do run eval --run "$OUT/$r" --json | tee "$OUT/$r.eval.json"; done
for r in bwn-from-vanilla xnor-from-vanilla; do run export --run "$OUT/$r" --out "$OUT/$r.bundle" --uint8; done
