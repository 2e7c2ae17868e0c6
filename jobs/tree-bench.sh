#!/usr/bin/env bash
# Tree-LSTM training speed in nodes per second: this project (batched by level, the training core in process)
# against two PyTorch references of the same sizes (jobs/tree_pytorch.py): one written per node, as most public
# Tree-LSTMs are, and one batched by level. The binary Tree-LSTM, embed and hidden 128, batches of 128 ListOps
# trees sorted by height (the same batches on every side), Adam, clip 5, 2 threads each. The sides run
# interleaved, ROUNDS rounds in a fixed order; the per-node side times every STRIDE-th batch of its pass (its
# rate does not depend on the batch's shape). Each round measures the sgemm peak on 2 threads; a PyTorch side
# whose own torch.mm (the 1120x256 by 256x14115 product) runs below 80 % of it is marked misconfigured and gets
# no ratio. Beside them, this project's LSTM over the same tokens (the Child-Sum
# cell on chains; a node is a token), the cost per node of a sequential model. Writes OUT/results.jsonl and prints
# jobs/tree_report.py's table.
#   jobs/tree-bench.sh [TREES]        (default: the first 10,000 lines of data/listops/train.txt, made by
#                                      jobs/listops.sh if missing; ROUNDS=3 STRIDE=8 OUT=runs/tree-bench)
set -euo pipefail
GIVEN=$([ $# -gt 0 ] && realpath "$1" || true) # before common.sh changes to the project folder
source "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-3} STRIDE=${STRIDE:-8} OUT=${OUT:-runs/tree-bench}
mkdir -p "$OUT"
TREES=${GIVEN:-$OUT/listops-10k.txt}
if [ $# -eq 0 ]; then
  [ -f data/listops/train.txt ] || (run_main listops --out data/listops) >&2
  head -n 10000 data/listops/train.txt > "$TREES"
fi
find_torch
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
cpu=$(printf '%s' "$CPU" | python3 -c 'import json, sys; print(json.dumps(sys.stdin.read()))')
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  # The machine's sgemm peak on 2 threads, against which each PyTorch side's own torch.mm rate is checked.
  (run_main bench --sgemm 2) 2> /dev/null | tag "{\"round\": $round, \"cpu\": $cpu}" >> "$RESULTS"
  for cell in treelstm chain; do
    settings=(model.cell=$cell)
    [ $cell = chain ] && settings=(model.cell=childsum tree.shape=chain)
    (run_main bench model.family=tree "${settings[@]}" model.embed=128 model.hidden=128 train.batch=128 \
      optim=adam optim.lr=0.002 clip=5 vocab.minCount=0 data.train="$TREES" spark.master=none out="$OUT/run" \
      --warmup 10) 2> "$OUT/java-$cell-$round.log" | tag "{\"round\": $round, \"cpu\": $cpu}" >> "$RESULTS"
  done
  if [ "$HAVE_TORCH" = 1 ]; then
    for mode in level pernode; do
      stride=1; warmup=3
      [ "$mode" = pernode ] && { stride=$STRIDE; warmup=1; }
      torch_python jobs/tree_pytorch.py --data "$TREES" --mode $mode --stride $stride --warmup $warmup \
        --embed 128 --hidden 128 --batch 128 --lr 0.002 --threads 2 2> "$OUT/torch-$mode-$round.log" | tag "{\"round\": $round, \"cpu\": $cpu}" >> "$RESULTS"
    done
  fi
done
python3 jobs/tree_report.py "$RESULTS"
