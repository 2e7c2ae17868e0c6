#!/usr/bin/env bash
# Full against adaptive softmax on the bench LSTM, and PyTorch's nn.AdaptiveLogSoftmaxWithLoss with the same
# vocabulary and cutoffs: training speed, the sides interleaved (full, adaptive, PyTorch, full, ...) so that a
# slow spell of the shared machine falls on all of them, then (with --train) a training run of each Java side for
# tokens/s and valid/test perplexity. Writes docs/name.json (lower case) and docs/NAME.md
# (default NAME: SOFTMAX).
#   jobs/softmax-bench.sh [--reps N] [--steps N] [--train] [--no-torch] [--name NAME] [key=value ...]
#   key=value settings go to every side (for example spark.master=local[2] spark.partitions=2, or another
#   corpus with data.train=...; the PyTorch side reads data.train and vocab.minCount); the Java sides differ
#   only in model.softmax. --train runs the configuration's epochs, or train.maxSteps=N of them: the same
#   number of tokens for both.
set -euo pipefail
source "$(dirname "$0")/common.sh"
REPS=3 STEPS=20 TRAIN=0 TORCH=1 NAME=SOFTMAX EXTRA=() COMMAND="jobs/softmax-bench.sh $*"
TRAIN_TEXT=data/brown/train.txt VALID_TEXT=data/brown/valid.txt MIN_COUNT=3 # conf/brown-lstm.properties's, unless the settings change them
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --train) TRAIN=1; shift ;;
    --no-torch) TORCH=0; shift ;;
    --name) NAME=$2; shift 2 ;;
    --*) echo "unknown option $1" >&2; exit 2 ;;
    *)
      case "$1" in data.train=*) TRAIN_TEXT=${1#data.train=} ;; data.valid=*) VALID_TEXT=${1#data.valid=} ;; vocab.minCount=*) MIN_COUNT=${1#vocab.minCount=} ;; esac
      EXTRA+=("$1"); shift ;;
  esac
done
export JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"
OUT="$ROOT/docs/${NAME,,}.json"
: > "$OUT.tmp"
[ $TORCH = 1 ] && find_torch || HAVE_TORCH=0
for rep in $(seq "$REPS"); do
  for softmax in full adaptive; do
    echo "== bench, $softmax softmax (run $rep)" >&2
    "$ROOT/jobs/run.sh" bench --conf conf/brown-lstm.properties --warmup 5 --warmup-seconds 15 --steps "$STEPS" \
      data.valid= data.test= model.softmax=$softmax "${EXTRA[@]}" 2>/dev/null \
      | tag "{\"softmax\": \"$softmax\", \"rep\": $rep}" >> "$OUT.tmp"
  done
  if [ $HAVE_TORCH = 1 ]; then
    "$ROOT/jobs/run.sh" bench --sgemm 2 2>/dev/null | tag "{\"rep\": $rep}" >> "$OUT.tmp" \
      || echo "NOTICE: the sgemm probe failed" >&2
    cutoffs=$(python3 -c 'import json, sys
print([json.loads(l) for l in open(sys.argv[1]) if "\"adaptive\"" in l][-1]["cutoffs"])' "$OUT.tmp")
    echo "== bench, PyTorch adaptive softmax, cutoffs $cutoffs (run $rep)" >&2
    torch_python "$ROOT/jobs/bench_pytorch.py" --train "$TRAIN_TEXT" --min-count "$MIN_COUNT" --cutoffs "$cutoffs" \
      --warmup 5 --steps "$STEPS" --threads 2 | tag "{\"softmax\": \"adaptive\", \"rep\": $rep}" >> "$OUT.tmp" \
      || echo "NOTICE: the PyTorch side failed" >&2
  fi
done
if [ "$TRAIN" = 1 ]; then
  for softmax in full adaptive; do
    echo "== training, $softmax softmax" >&2
    run="$ROOT/runs/softmax-$softmax"
    "$ROOT/jobs/train.sh" model.softmax=$softmax out="$run" overwrite=true "${EXTRA[@]}" > /dev/null
    python3 -c 'import json, sys
print(json.dumps({"softmax": sys.argv[2], "training": json.load(open(sys.argv[1] + "/summary.json")),
                  "command": "jobs/train.sh model.softmax=" + sys.argv[2] + " " + sys.argv[3]}))' \
      "$run" "$softmax" "${EXTRA[*]:-}" >> "$OUT.tmp"
  done
fi
mv "$OUT.tmp" "$OUT"
python3 "$ROOT/jobs/softmax_report.py" "$OUT" "$ROOT/docs/$NAME.md" \
  "$CPU" "$COMMAND" "$TRAIN_TEXT" "$VALID_TEXT"
