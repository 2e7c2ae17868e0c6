#!/usr/bin/env bash
# The BLAS backends side by side, interleaved in rounds: the system's libblas.so.3 (Debian's OpenBLAS where it is
# installed), the OpenBLAS bundled in the application jar, and the pure-Java fallback (Vector API). For each: the
# sgemm of the output layer's product (1120x256 by 256x14115) on 1 and 2 threads, and the model of README command 1
# (conf/brown-lstm.properties, Spark local[*]) in timed training steps, and README command 1 itself (jobs/train.sh
# train.maxSteps=N, no validation or test; tokens/s of the steps after the first 100, from its metrics.jsonl).
# Writes docs/blas.json and docs/BLAS.md.
#   jobs/blas-bench.sh [--repeat N] [--steps N] [--train-steps N]
set -euo pipefail
source "$(dirname "$0")/common.sh"
REPEAT=3 STEPS=20 TRAIN_STEPS=250
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPEAT=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --train-steps) TRAIN_STEPS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
OUT="$ROOT/docs/blas.json"
: > "$OUT.tmp"
# One side's JSON line with sparkrnn.blas=$1 (the rest: a command of the command line), tagged with round and kind.
side() {
  local kind=$1; shift
  JAVA_OPTS="-Xmx2g -Dsparkrnn.blas=$kind" "$ROOT/jobs/run.sh" "$@" 2>/dev/null | grep '^{' \
    | tag "{\"round\": $round, \"kind\": \"$kind\"}" >> "$OUT.tmp" || echo "NOTICE: $kind failed: $*" >&2
}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# README command 1 on BLAS $1 (its own heap and logging), as one JSON line: tokens/s after step 100.
command1() {
  JAVA_OPTS="-Xmx6g -Dsparkrnn.blas=$1" "$ROOT/jobs/train.sh" "train.maxSteps=$TRAIN_STEPS" log.every=50 data.valid= \
    data.test= "out=$TMP/run" overwrite=true >/dev/null 2>&1 || { echo "NOTICE: command 1 failed on $1" >&2; return; }
  python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
pairs = [(p, r) for p, r in zip(rows, rows[1:]) if p["step"] >= 100]
seconds = [(r["step"] - p["step"]) * r["ms_step"] / 1000 for p, r in pairs]
tokens = sum(r["tokens_per_s"] * s for (p, r), s in zip(pairs, seconds))
print(json.dumps({"command1_tokens_per_s": tokens / sum(seconds), "command1_steps": rows[-1]["step"] - 100}))
' "$TMP/run/metrics.jsonl" | tag "{\"round\": $round, \"kind\": \"$1\"}" >> "$OUT.tmp"
}
for round in $(seq "$REPEAT"); do
  for kind in system bundled java; do
    echo "== round $round of $REPEAT: $kind BLAS..." >&2
    for threads in 1 2; do
      side "$kind" bench --sgemm "$threads"
    done
    side "$kind" bench --conf conf/brown-lstm.properties --warmup 3 --warmup-seconds 10 --steps "$STEPS" \
      data.valid= data.test=
    command1 "$kind"
  done
done
python3 -c 'import json, sys; json.dump([json.loads(l) for l in open(sys.argv[1]) if l.strip()],
    open(sys.argv[2], "w"), indent=1)' "$OUT.tmp" "$OUT"
rm -f "$OUT.tmp"
python3 "$ROOT/jobs/blas_report.py" "$OUT" "$ROOT/docs/BLAS.md" "$CPU"
cat "$ROOT/docs/BLAS.md"
