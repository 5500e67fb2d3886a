#!/usr/bin/env bash
# Quick, Draw!-20: vanilla, BWN and XNOR Sketch-A-Net (docs/RESULTS.md). The 20 alphabetically first categories of
# ../shared/data/quickdraw-345 not starting with "The "; per category the first 300 drawings of the file train, the
# next 100 test. Input 128, random 112 crops for training, center crop and 10 views for test; width 0.25.
# EPOCHS (default 4) is the first stage, as in tu-berlin-40.sh. Runs land in runs/qd20/ (OUT).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
DATA=${SKETCH_XNOR_SHARED:-../shared}/data/quickdraw-345
CATS=$(ls "$DATA" | sed 's/\.ndjson$//' | grep -v '^The ' | LC_ALL=C sort | head -20 | paste -sd, -)
EPOCHS=${EPOCHS:-4}
OUT=${OUT:-runs/qd20}
COMMON=(--dataset quickdraw --data "$DATA" --categories "$CATS" --split train:300,test:100 --size 112 --render-size 128 --width 0.25 --batch 32 --seed 1 --no-progress)
mkdir -p "$OUT"
train_row vanilla --model sketch-a-net --epochs "$EPOCHS"
continue_row vanilla vanilla-2x $((2 * EPOCHS))
train_row bwn-from-vanilla --model sketch-a-net-bwn --epochs "$EPOCHS" --init "$OUT/vanilla"
train_row xnor-from-vanilla --model sketch-a-net-xnor --epochs "$EPOCHS" --init "$OUT/vanilla"
for row in vanilla vanilla-2x bwn-from-vanilla xnor-from-vanilla; do evaluate_row "$row"; done
train_row bwn-scratch --model sketch-a-net-bwn --epochs $((2 * EPOCHS))
train_row xnor-scratch --model sketch-a-net-xnor --epochs $((2 * EPOCHS))
for row in bwn-scratch xnor-scratch; do evaluate_row "$row"; done
