#!/usr/bin/env bash
# The weight gradient of magnitude-aware-sign (docs/RESULTS.md, "Weight gradients and ensembles"): XNOR nets from the
# same EPOCHS-epoch vanilla run, EPOCHS more epochs each, with the straight-through 'ste' (the default), the rule the
# study and XNOR-Net published, 'xnor-net' (g (1/n + alpha 1{|W| <= 1})), and the exact derivative 'full'; a BWN net
# the same way; then the ensemble of vanilla, BWN and XNOR (mean of their softmax, 10 views).
# Usage: EPOCHS=10 OUT=runs/tu40-e10 bash scripts/results/gradients.sh tu40|qd20
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
protocol "${1:?usage: gradients.sh tu40|qd20}"
train_row vanilla --model sketch-a-net --epochs "$EPOCHS"
train_row bwn-from-vanilla --model sketch-a-net-bwn --epochs "$EPOCHS" --init "$OUT/vanilla"
for gradient in ste xnor-net full; do
  train_row "xnor-gradient-$gradient" --model sketch-a-net-xnor --kernel-gradient "$gradient" --epochs "$EPOCHS" --init "$OUT/vanilla"
done
for row in vanilla bwn-from-vanilla xnor-gradient-ste xnor-gradient-xnor-net xnor-gradient-full; do evaluate_row "$row"; done
if [ ! -f "$OUT/ensemble.eval.json" ]; then
  members=(--run "$OUT/vanilla" --run "$OUT/bwn-from-vanilla" --run "$OUT/xnor-gradient-ste")
  echo "+ sketch-xnor eval$(printf ' %q' "${members[@]}") --json" | tee -a "$OUT/commands.txt"
  "${CLI[@]}" eval "${members[@]}" --json >"$OUT/ensemble.eval.json.tmp" 2>>"$(log_of ensemble)"
  mv "$OUT/ensemble.eval.json.tmp" "$OUT/ensemble.eval.json"
fi
