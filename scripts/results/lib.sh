# Shared steps of the results scripts (docs/RESULTS.md): every command is echoed into $OUT/commands.txt before it
# runs, its output goes to $OUT/logs/<row>.log, and a finished row is skipped when the script runs again.
# Callers source this file and call `protocol <name>` (or set OUT and COMMON themselves).
CLI=(node apps/cli/dist/main.js)
SHARED_DATA=${SKETCH_XNOR_SHARED:-../shared}/data

# protocol tu40|qd20: the flags every run of a protocol shares (COMMON), its default first-stage EPOCHS and its
# results folder OUT (both may be set from outside).
#  tu40: TU-Berlin-40, per category files sorted by numeric id, the first 54 train and the last 26 test.
#  qd20: Quick, Draw!-20, the 20 alphabetically first categories not starting with "The ", per category the first
#        300 drawings of the file train and the next 100 test.
# Both: rendered at 128, random 112 crops (flips, +-5 degree rotation, stroke augmentation) for training, center
# crop and 10 views for test; width 0.25, batch 32, seed 1, Adam lr 0.002 x0.96 every 100 steps (the defaults).
protocol() {
  local shape=(--size 112 --render-size 128 --width 0.25 --batch 32 --seed 1 --no-progress)
  case $1 in
    tu40)
      COMMON=(--dataset tu-berlin-png --data "$SHARED_DATA/tu-berlin-png-40" --split train:54,test:26 "${shape[@]}")
      EPOCHS=${EPOCHS:-20}
      OUT=${OUT:-runs/tu40} ;;
    qd20)
      local categories
      categories=$(ls "$SHARED_DATA/quickdraw-345" | sed 's/\.ndjson$//' | grep -v '^The ' | LC_ALL=C sort | head -20 | paste -sd, -)
      COMMON=(--dataset quickdraw --data "$SHARED_DATA/quickdraw-345" --categories "$categories" --split train:300,test:100 "${shape[@]}")
      EPOCHS=${EPOCHS:-10}
      OUT=${OUT:-runs/qd20} ;;
    *) echo "unknown protocol $1 (tu40 or qd20)" >&2; return 2 ;;
  esac
  mkdir -p "$OUT"
}

log_of() { mkdir -p "$OUT/logs"; echo "$OUT/logs/$1.log"; }

# run <row> <sketch-xnor args...>: echo the command, run it with its output in the row's log.
run() {
  local row=$1; shift
  echo "+ sketch-xnor$(printf ' %q' "$@")" | tee -a "$OUT/commands.txt"
  "${CLI[@]}" "$@" >>"$(log_of "$row")" 2>&1
}

# train_row <row> <train args...>: trains $OUT/<row> unless it already finished (it has a saved model).
train_row() {
  local row=$1; shift
  if [ -f "$OUT/$row/model.json" ]; then echo "= $row already trained"; return; fi
  run "$row" train "${COMMON[@]}" "$@" --out "$OUT/$row"
}

# continue_row <from> <row> <epochs>: $OUT/<row> is a copy of $OUT/<from> resumed to <epochs> epochs in all. With
# exact resume and a per-step schedule this is the run a single <epochs>-epoch command would have made.
continue_row() {
  local from=$1 row=$2 epochs=$3
  if [ -f "$OUT/$row/model.json" ] && grep -q "\"epochs\": $epochs" "$OUT/$row/config.json"; then echo "= $row already trained"; return; fi
  [ -d "$OUT/$row" ] || cp -r "$OUT/$from" "$OUT/$row"
  run "$row" train --out "$OUT/$row" --resume --epochs "$epochs"
}

# evaluate_row <row>: 10-view accuracy and one-image latency of the run and, for binary models, of its packed bundle
# (8-bit conv1/fc8), in one process; the JSON lands in $OUT/<row>.eval.json.
evaluate_row() {
  local row=$1
  if [ -f "$OUT/$row.eval.json" ]; then echo "= $row already evaluated"; return; fi
  local bundle=()
  if ! grep -q '"name": "sketch-a-net"' "$OUT/$row/config.json"; then
    run "$row" export --run "$OUT/$row" --out "$OUT/$row.bundle" --uint8
    bundle=(--bundle "$OUT/$row.bundle")
  fi
  echo "+ sketch-xnor$(printf ' %q' eval --run "$OUT/$row" "${bundle[@]}" --latency --json)" | tee -a "$OUT/commands.txt"
  "${CLI[@]}" eval --run "$OUT/$row" "${bundle[@]}" --latency --json >"$OUT/$row.eval.json.tmp" 2>>"$(log_of "$row")"
  mv "$OUT/$row.eval.json.tmp" "$OUT/$row.eval.json"
}
