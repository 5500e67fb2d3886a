#!/usr/bin/env bash
# Figures of docs/RESULTS.md for one protocol: `sketch-xnor viz` of vanilla-2x beside BWN and XNOR from vanilla (the
# equal-training comparison) into $OUT/report/, then the training curves and activation maps copied to docs/results/.
# Usage: bash scripts/results/figures.sh tu40|qd20 <sketch file for the activation maps>
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
protocol "${1:?usage: figures.sh tu40|qd20 <sketch file>}"
sketch=${2:?usage: figures.sh tu40|qd20 <sketch file>}
run "figures" viz --run "$OUT/vanilla-2x" --compare "$OUT/bwn-from-vanilla" "$OUT/xnor-from-vanilla" --sketch "$sketch" --out "$OUT/report" --steps 50 --no-progress
mkdir -p "docs/results/$1"
cp "$OUT/report/training-curves.svg" "$OUT"/report/activations-conv{1,2,5}.png "docs/results/$1/"
echo "report: $OUT/report/report.html; figures copied to docs/results/$1/"
