#!/usr/bin/env bash
# Reproducibility check (docs/RESULTS.md): reruns one row of compare.sh tu40, xnor-from-vanilla, into runs/tu40-repro/
# with the same command and seed, then compares its eval JSON and weights with the original's.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
ORIGINAL=${ORIGINAL:-runs/tu40}
OUT=${OUT:-runs/tu40-repro}
ROW=xnor-from-vanilla
protocol tu40
[ -f "$ORIGINAL/vanilla/model.json" ] || { echo "train $ORIGINAL/vanilla first (scripts/results/compare.sh tu40)" >&2; exit 1; }
train_row "$ROW" --model sketch-a-net-xnor --epochs "$EPOCHS" --init "$ORIGINAL/vanilla"
evaluate_row "$ROW"
if [ -f "$ORIGINAL/$ROW.eval.json" ]; then
  node -e '
    const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
    for (const k of ["top1", "top5", "top1TenView", "top5TenView", "loss"]) console.log(k.padEnd(12), a[k], b[k], a[k] === b[k] ? "same" : "DIFFERENT");
  ' "$ORIGINAL/$ROW.eval.json" "$OUT/$ROW.eval.json"
  cmp "$ORIGINAL/$ROW/weights.bin" "$OUT/$ROW/weights.bin" && echo "weights.bin: byte-identical"
fi
