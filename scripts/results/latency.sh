#!/usr/bin/env bash
# Re-times every evaluated row of a results folder (docs/RESULTS.md's latency column): one-image inference of the run
# with its float kernels and of its packed bundle, in one process, rows one after another. Run it when nothing else
# loads the machine: the timings taken at the end of each training share the cores with the other runs.
# Usage: bash scripts/results/latency.sh tu40|qd20
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
protocol "${1:?usage: latency.sh tu40|qd20}"
for evaluation in "$OUT"/*.eval.json; do
  row=$(basename "$evaluation" .eval.json)
  bundle=()
  [ -d "$OUT/$row.bundle" ] && bundle=(--bundle "$OUT/$row.bundle")
  echo "+ sketch-xnor$(printf ' %q' eval --run "$OUT/$row" "${bundle[@]}" --latency 100 --latency-only --json)" | tee -a "$OUT/commands.txt"
  "${CLI[@]}" eval --run "$OUT/$row" "${bundle[@]}" --latency 100 --latency-only --json >"$OUT/$row.latency.json"
done
