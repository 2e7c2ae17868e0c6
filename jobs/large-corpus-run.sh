#!/usr/bin/env bash
# The 100-million-token corpus on Spark local[2] in a small heap (2 GB by default), adaptive softmax: a run of N
# steps without a break, and the same run killed (SIGKILL) once it has logged step K and resumed from its last
# checkpoint; `spark-rnn compare` then checks that both ended with the same parameters, optimizer state and
# carried state, bit for bit. Records the vocabulary and partitioning times, the largest heap left after a
# garbage collection (GC log), tokens/s and the hours an epoch would take. Writes docs/large-corpus.json and
# docs/LARGE-CORPUS.md (report: jobs/large_corpus_report.py); exits non-zero when the two runs differ.
#   jobs/large-corpus-run.sh [--corpus DIR] [--steps N] [--kill-after K] [--heap SIZE] [key=value ...]
#   --corpus: a folder of gzip files (default runs/synthetic-100m, made by jobs/make-corpus.sh when missing)
set -euo pipefail
source "$(dirname "$0")/common.sh"
CORPUS="$ROOT/runs/synthetic-100m" STEPS=300 KILL=150 HEAP=2g EXTRA=() COMMAND="jobs/large-corpus-run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) CORPUS=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --kill-after) KILL=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --*) echo "unknown option $1" >&2; exit 2 ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
[ "$KILL" -ge 1 ] && [ "$KILL" -lt "$STEPS" ] || { echo "--kill-after must lie between 1 and --steps - 1" >&2; exit 2; }
[ -d "$CORPUS" ] || "$ROOT/jobs/make-corpus.sh" --out "$CORPUS" >&2
WORK="$ROOT/runs/large-corpus"
rm -rf "$WORK" && mkdir -p "$WORK"
SETTINGS=("data.train=$CORPUS/*.gz" data.valid= data.test= model.softmax=adaptive 'spark.master=local[2]'
  "train.maxSteps=$STEPS" log.every=10 "checkpoint.every=$(((KILL * 2 + 2) / 3))" "${EXTRA[@]}")
train() { # name, extra settings...: a training JVM with its own GC log, in the background ($! is its pid)
  local name=$1; shift
  JAVA_OPTS="-Xmx$HEAP -Xlog:gc:file=$WORK/$name.gc.log" "$ROOT/jobs/train.sh" "${SETTINGS[@]}" out="$WORK/$name" \
    "$@" > "$WORK/$name.log" 2>&1 &
}

echo "== uninterrupted run, $STEPS steps" >&2
train whole
wait $! || { tail -5 "$WORK/whole.log" >&2; exit 1; }
echo "== the same run, killed after step $KILL" >&2
train killed
pid=$!
logged() { grep -o '"step":[0-9]*' "$WORK/killed/metrics.jsonl" 2>/dev/null | tail -1 | cut -d: -f2; }
until [ "$(logged)" -ge "$KILL" ] 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "the run ended before step $KILL" >&2; exit 1; }
  sleep 0.2
done
kill -9 "$pid" || true
wait "$pid" 2>/dev/null || true
[ ! -e "$WORK/killed/summary.json" ] || { echo "the run finished before it could be killed" >&2; exit 1; }
KILL=$(logged) # the first logged step at or past K (log.every=10)
echo "== resumed" >&2
train resumed resume=true out="$WORK/killed"
wait $! || { tail -5 "$WORK/resumed.log" >&2; exit 1; }
JAVA_OPTS=-Xmx4g "$ROOT/jobs/run.sh" compare "$WORK/whole" "$WORK/killed" 2> "$WORK/compare.err" \
  | sed -n '/^{/,$p' > "$WORK/compare.json" || { cat "$WORK/compare.err" >&2; exit 1; } # the JSON, past any log line

status=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["identical"])' "$WORK/compare.json")
python3 "$ROOT/jobs/large_corpus_report.py" "$WORK" "$ROOT/docs" "$COMMAND" "$HEAP" "$CPU" "$CORPUS" "$KILL"
[ "$status" = True ] || { echo "the resumed run differs from the uninterrupted one: $WORK/compare.json" >&2; exit 1; }
