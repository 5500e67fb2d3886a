#!/usr/bin/env bash
# What helps the binary nets train (docs/RESULTS.md): each row changes one thing of bwn-from-vanilla or
# xnor-from-vanilla of compare.sh (EPOCHS epochs from the EPOCHS-epoch vanilla run, which compare.sh trains first).
# Usage: bash scripts/results/ablations.sh tu40|qd20 [step ...]   (default: every named step, in this order;
# bwn-lr=<rate> and xnor-lr=<rate> try another learning rate)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/results/lib.sh
protocol "${1:?usage: ablations.sh tu40|qd20 [step ...]}"
shift
[ -f "$OUT/vanilla/model.json" ] || { echo "train $OUT/vanilla first (scripts/results/compare.sh)" >&2; exit 1; }
xnor=(--model sketch-a-net-xnor --epochs "$EPOCHS" --init "$OUT/vanilla")
bwn=(--model sketch-a-net-bwn --epochs "$EPOCHS" --init "$OUT/vanilla")
row() { local name=$1; shift; train_row "$name" "$@"; evaluate_row "$name"; }
for step in "${@:-approx-sign input-scale weight-decay low-lr two-stage bwn-low-lr batch-norm}"; do
  for s in $step; do
    case $s in
      approx-sign) row xnor-approx-sign "${xnor[@]}" --input-quantizer approx-sign ;;
      input-scale) row xnor-input-scale "${xnor[@]}" --input-scale xnor ;;
      weight-decay) row xnor-weight-decay "${xnor[@]}" --weight-decay 0.0001 ;;
      low-lr) row xnor-lr-0.0005 "${xnor[@]}" --lr 0.0005 ;;
      bwn-low-lr) row bwn-lr-0.0005 "${bwn[@]}" --lr 0.0005 ;;
      xnor-lr=*) row "xnor-lr-${s#*=}" "${xnor[@]}" --lr "${s#*=}" ;;
      bwn-lr=*) row "bwn-lr-${s#*=}" "${bwn[@]}" --lr "${s#*=}" ;;
      # the same comparison with BatchNorm in the float and BWN nets (conv -> BatchNorm -> ReLU, --batch-norm): what
      # XNOR-Net's BatchNorms do apart from binarization
      batch-norm)
        train_row vanilla-bn --model sketch-a-net --batch-norm --epochs "$EPOCHS"
        continue_row vanilla-bn vanilla-bn-2x $((2 * EPOCHS))
        evaluate_row vanilla-bn-2x
        row bwn-bn-from-vanilla-bn --model sketch-a-net-bwn --batch-norm --epochs "$EPOCHS" --init "$OUT/vanilla-bn" ;;
      # vanilla -> BWN (EPOCHS/2) -> XNOR (EPOCHS/2): binary weights first, then binary inputs, same total epochs
      two-stage)
        train_row bwn-stage1 --model sketch-a-net-bwn --epochs $((EPOCHS / 2)) --init "$OUT/vanilla"
        row xnor-two-stage --model sketch-a-net-xnor --epochs $((EPOCHS / 2)) --init "$OUT/bwn-stage1" ;;
      *) echo "unknown step $s" >&2; exit 2 ;;
    esac
  done
done
