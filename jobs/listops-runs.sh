#!/usr/bin/env bash
# ListOps accuracy of the tree models and of the sequential LSTM on the same tokens, each trained with
# conf/listops.properties for at most MINUTES minutes, then one table (jobs/listops_report.py) of their test
# accuracy, training time and size. Makes data/listops first if it is missing (jobs/listops.sh).
#   jobs/listops-runs.sh            (MINUTES=45, MODELS="treelstm childsum rnn lstm", OUT=runs)
#   treelstm: the binary Tree-LSTM; childsum: the Child-Sum Tree-LSTM; rnn: the recursive network (tanh);
#   lstm: the Child-Sum cell on chains of the tokens, an LSTM (tree.shape=chain)
set -euo pipefail
source "$(dirname "$0")/common.sh"
MINUTES=${MINUTES:-45} MODELS=${MODELS:-"treelstm childsum rnn lstm"} OUT=${OUT:-runs}
mkdir -p "$OUT"
[ -f data/listops/train.txt ] || (run_main listops --out data/listops) >&2
runs=()
for m in $MODELS; do
  case $m in
    treelstm|childsum|rnn) settings=(model.cell=$m) ;;
    lstm) settings=(model.cell=childsum tree.shape=chain) ;;
    *) echo "error: MODELS may hold treelstm, childsum, rnn and lstm, not '$m'" >&2; exit 2 ;;
  esac
  echo "training $m for at most $MINUTES minutes into $OUT/listops-$m" >&2
  (run_main train --conf conf/listops.properties "${settings[@]}" train.minutes="$MINUTES" \
    out="$OUT/listops-$m" overwrite=true) > "$OUT/listops-$m.log" 2>&1 \
    || { echo "error: training $m failed; see $OUT/listops-$m.log" >&2; exit 1; }
  runs+=("$OUT/listops-$m")
done
python3 jobs/listops_report.py "${runs[@]}"
