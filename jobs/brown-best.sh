#!/usr/bin/env bash
# The regularised Brown recipe (conf/brown-best.properties) and its PyTorch reference (jobs/pytorch_lm.py reading the
# same file: the same model, data layout, dropout, tying, AR/TAR, plateau and NT-ASGD rules), one after the other on this
# machine, each for the same training budget; prints both results and writes them to runs/brown-best/compare.jsonl.
#   jobs/brown-best.sh                 # 45 minutes each
#   MINUTES=5 jobs/brown-best.sh       # a shorter budget
#   SIDES=pytorch jobs/brown-best.sh   # one side only (java or pytorch)
set -euo pipefail
source "$(dirname "$0")/common.sh"
MINUTES="${MINUTES:-45}"
SIDES="${SIDES:-java pytorch}"
OUT=runs/brown-best
mkdir -p "$OUT"
RESULTS="$OUT/compare.jsonl"  # the last result of each side, so that sides run apart still compare
for side in $SIDES; do
  case $side in
    java)
      # the BLAS check of this side, before its budget: the sgemm rate of Brown's 256-unit output layer, 2 threads
      SGEMM=$(run_main bench --sgemm 2 | python3 -c 'import json, sys; print(json.loads(sys.stdin.readlines()[-1])["sgemm_gflops"])')
      (run_main train --conf conf/brown-best.properties train.minutes="$MINUTES" out="$OUT/java" overwrite=true) \
        2>&1 | tee "$OUT/java.log"
      python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(json.dumps({"side": "spark-rnn " + s["mode"], "steps": s["steps"], "train_tokens": s["train_tokens"],
                  "tokens_per_s": s["tokens_per_s"], "valid_ppl": s["valid_ppl"], "test_ppl": s["test_ppl"]}))' \
        "$OUT/java/summary.json" | tag "{\"minutes\": $MINUTES, \"cpu\": \"$CPU\", \"sgemm_gflops\": $SGEMM}" > "$OUT/java.jsonl" ;;
    pytorch)
      find_torch
      [ "$HAVE_TORCH" = 1 ] || continue
      torch_python jobs/pytorch_lm.py --conf conf/brown-best.properties --minutes "$MINUTES" 2>&1 \
        | tee "$OUT/pytorch.log"
      grep '^{' "$OUT/pytorch.log" | tail -1 | tag "{\"minutes\": $MINUTES, \"cpu\": \"$CPU\"}" > "$OUT/pytorch.jsonl" ;;
    *) echo "SIDES takes java and pytorch, not '$side'" >&2; exit 2 ;;
  esac
done
cat "$OUT"/java.jsonl "$OUT"/pytorch.jsonl 2>/dev/null > "$RESULTS" || true
echo "== $RESULTS"
cat "$RESULTS"
