#!/usr/bin/env bash
# The main comparison of docs/RESULTS.md for one protocol (tu40 or qd20, see lib.sh): vanilla for EPOCHS epochs and
# continued to 2*EPOCHS; BWN and XNOR from the EPOCHS-epoch vanilla run for EPOCHS more (equal total training);
# BWN and XNOR from scratch for 2*EPOCHS. Each row is evaluated (10 views, latency, packed bundle) when it ends.
# Usage: bash scripts/results/compare.sh tu40|qd20   (EPOCHS defaults: tu40 20, qd20 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
protocol "${1:?usage: compare.sh tu40|qd20}"
train_row vanilla --model sketch-a-net --epochs "$EPOCHS"
continue_row vanilla vanilla-2x $((2 * EPOCHS))
train_row bwn-from-vanilla --model sketch-a-net-bwn --epochs "$EPOCHS" --init "$OUT/vanilla"
train_row xnor-from-vanilla --model sketch-a-net-xnor --epochs "$EPOCHS" --init "$OUT/vanilla"
for row in vanilla vanilla-2x bwn-from-vanilla xnor-from-vanilla; do evaluate_row "$row"; done
train_row bwn-scratch --model sketch-a-net-bwn --epochs $((2 * EPOCHS))
train_row xnor-scratch --model sketch-a-net-xnor --epochs $((2 * EPOCHS))
for row in bwn-scratch xnor-scratch; do evaluate_row "$row"; done
