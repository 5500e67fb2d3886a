#!/usr/bin/env bash
# What helps an XNOR Sketch-A-Net train (docs/RESULTS.md), on TU-Berlin-40 with the settings of tu-berlin-40.sh:
# each row changes one thing of xnor-from-vanilla (EPOCHS epochs from the EPOCHS-epoch vanilla run, which
# tu-berlin-40.sh trains first). Only STEPS lists the rows to run (default: all, in this order).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
DATA=${SKETCH_XNOR_SHARED:-../shared}/data/tu-berlin-png-40
EPOCHS=${EPOCHS:-10}
OUT=${OUT:-runs/tu40}
COMMON=(--dataset tu-berlin-png --data "$DATA" --split train:54,test:26 --size 112 --render-size 128 --width 0.25 --batch 32 --seed 1 --no-progress)
HALF=$((EPOCHS / 2))
[ -f "$OUT/vanilla/model.json" ] || { echo "train $OUT/vanilla first (scripts/results/tu-berlin-40.sh)" >&2; exit 1; }
xnor=(--model sketch-a-net-xnor --epochs "$EPOCHS" --init "$OUT/vanilla")
for step in ${STEPS:-approx-sign input-scale weight-decay low-lr two-stage}; do
  case $step in
    approx-sign) train_row xnor-approx-sign "${xnor[@]}" --input-quantizer approx-sign ;;
    input-scale) train_row xnor-input-scale "${xnor[@]}" --input-scale xnor ;;
    weight-decay) train_row xnor-weight-decay "${xnor[@]}" --weight-decay 0.0001 ;;
    low-lr) train_row xnor-lr-0.0005 "${xnor[@]}" --lr 0.0005 ;;
    # vanilla -> BWN (EPOCHS/2) -> XNOR (EPOCHS/2): binary weights first, then binary inputs, same total epochs
    two-stage)
      train_row bwn-stage1 --model sketch-a-net-bwn --epochs "$HALF" --init "$OUT/vanilla"
      train_row xnor-two-stage --model sketch-a-net-xnor --epochs "$HALF" --init "$OUT/bwn-stage1" ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
for row in xnor-approx-sign xnor-input-scale xnor-weight-decay xnor-lr-0.0005 xnor-two-stage; do
  [ -f "$OUT/$row/model.json" ] && evaluate_row "$row"
done
