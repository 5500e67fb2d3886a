#!/usr/bin/env bash
# TU-Berlin-40: vanilla, BWN and XNOR Sketch-A-Net (docs/RESULTS.md). Per category of ../shared/data/tu-berlin-png-40,
# files sorted by numeric id: the first 54 train, the last 26 test. Input 128, random 112 crops (flips, +-5 degree
# rotation) for training, center crop and 10 views for test; width 0.25 so it finishes on 2 cores.
# EPOCHS (default 10) is the first stage: binary runs start from the EPOCHS-epoch vanilla run and train EPOCHS more,
# beside the 2*EPOCHS vanilla run; from-scratch binary runs train 2*EPOCHS. Runs land in runs/tu40/ (OUT).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
DATA=${SKETCH_XNOR_SHARED:-../shared}/data/tu-berlin-png-40
EPOCHS=${EPOCHS:-10}
OUT=${OUT:-runs/tu40}
COMMON=(--dataset tu-berlin-png --data "$DATA" --split train:54,test:26 --size 112 --render-size 128 --width 0.25 --batch 32 --seed 1 --no-progress)
mkdir -p "$OUT"
train_row vanilla --model sketch-a-net --epochs "$EPOCHS"
continue_row vanilla vanilla-2x $((2 * EPOCHS))
train_row bwn-from-vanilla --model sketch-a-net-bwn --epochs "$EPOCHS" --init "$OUT/vanilla"
train_row xnor-from-vanilla --model sketch-a-net-xnor --epochs "$EPOCHS" --init "$OUT/vanilla"
for row in vanilla vanilla-2x bwn-from-vanilla xnor-from-vanilla; do evaluate_row "$row"; done
train_row bwn-scratch --model sketch-a-net-bwn --epochs $((2 * EPOCHS))
train_row xnor-scratch --model sketch-a-net-xnor --epochs $((2 * EPOCHS))
for row in bwn-scratch xnor-scratch; do evaluate_row "$row"; done
