# Shared steps of the results scripts (docs/RESULTS.md): every command is echoed into $OUT/commands.txt before it
# runs, its output goes to $OUT/logs/<row>.log, and a finished row is skipped when the script runs again.
# Callers set OUT and COMMON (the protocol's flags) and source this file.
CLI=(node apps/cli/dist/main.js)

log_of() { mkdir -p "$OUT/logs"; echo "$OUT/logs/$1.log"; }

# run <row> <sketch-xnor args...>: echo the command, run it with its output in the row's log.
run() {
  local row=$1; shift
  echo "+ sketch-xnor $*" | tee -a "$OUT/commands.txt"
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
  echo "+ sketch-xnor eval --run $OUT/$row ${bundle[*]} --latency --json" | tee -a "$OUT/commands.txt"
  "${CLI[@]}" eval --run "$OUT/$row" "${bundle[@]}" --latency --json >"$OUT/$row.eval.json.tmp" 2>>"$(log_of "$row")"
  mv "$OUT/$row.eval.json.tmp" "$OUT/$row.eval.json"
}
