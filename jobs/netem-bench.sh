#!/usr/bin/env bash
# The synchronisation modes on an emulated multi-host network (jobs/netem-cluster.sh: every host in its own
# network namespace, links limited with tc): the bench command for each mode and cluster size, with the
# bytes that crossed the driver's link and the busiest executor's link per step (the interfaces' counters).
# Writes docs/scaling.json (one JSON line per run); jobs/scaling_report.py turns it into docs/SCALING.md
# with the cost model. Needs root; skips with a notice (exit 77) where namespaces cannot be made.
#   jobs/netem-bench.sh [--rate 1gbit] [--steps N] [--reps N] [--only REGEX] [--quick]
#   --reps N: every row N times, interleaved (row 1, row 2, ..., row 1, row 2, ...), so that a slow
#             spell of the shared machine falls on every mode; the report gives medians and ranges
#   --first-rep N: number the runs from N (to add runs to an earlier file without mixing up the rounds)
#   --only REGEX: only the rows whose "workers name" matches (for example '^4 lstm')
#   --out FILE: where the JSON lines go (default docs/scaling.json; the report is written beside it as .md
#             only for the default)
#   --quick: only the bench LSTM on 4 workers, driver and all-reduce, once
#   --local-reps N: then the bench of every mode in Spark local[2] (no network: compute and the rest of a step
#             for the report's predictions), N interleaved rounds; rows "local MODE" for --only
#   --accuracy: then train Brown in local[2] with every mode (2 epochs each, minutes per mode) and add the
#             perplexities; rows "accuracy MODE" for --only
set -euo pipefail
source "$(dirname "$0")/common.sh"
RATE=1gbit STEPS=10 REPS=3 FIRST_REP=1 ONLY=. QUICK=0 LOCAL_REPS=0 ACCURACY=0 OUT="$ROOT/docs/scaling.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --first-rep) FIRST_REP=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --out) OUT=$(realpath -m "$2"); shift 2 ;;
    --quick) QUICK=1 REPS=1; shift ;;
    --local-reps) LOCAL_REPS=$2; shift 2 ;;
    --accuracy) ACCURACY=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
: > "$OUT.tmp"
APP_JAR=$(ls "$ROOT"/target/spark-rnn-*-app.jar | head -1)
SMALL="model.embed=64 model.hidden=64"   # a model whose step is mostly communication

# run REP WORKERS NAME KEY=VALUE...: one bench on a fresh emulated cluster, its JSON line tagged and appended
run() {
  local rep=$1 workers=$2 name=$3; shift 3
  echo "== $name on $workers workers at $RATE (run $rep): $*" >&2
  local line rc=0 log="$OUT.logs/$rep-$workers-${name// /_}.log"
  mkdir -p "$OUT.logs"
  line=$("$ROOT/jobs/netem-cluster.sh" --workers "$workers" --rate "$RATE" -- "java -Xmx1g \$JVM_FLAGS \
    -Dlog4j2.configurationFile=\$ROOT/conf/log4j2.properties -cp \"\$ROOT/target/lib/*\" \
    org.apache.spark.deploy.SparkSubmit --master \$MASTER_URL --conf spark.executor.memory=1g \
    --conf spark.scheduler.maxRegisteredResourcesWaitingTime=120s \
    --class io.sparkrnn.cli.Main $APP_JAR bench --conf conf/brown-lstm.properties --warmup 3 \
    --warmup-seconds 10 --steps $STEPS data.train=\$ROOT/data/brown/train.txt data.valid= data.test= \
    spark.partitions=$workers $* 2>'$log' | grep '^{'") || rc=$?
  if [ "$rc" = 77 ]; then exit 77; fi
  if ! grep -q tokens_per_s <<< "$line"; then
    echo "== $name on $workers workers failed; the end of its log ($log):" >&2
    grep -v '^\s*at ' "$log" | tail -5 >&2
  fi
  python3 - "$name" "$workers" "$RATE" "$rep" "$line" >> "$OUT.tmp" <<'PY'
import json, sys, time
name, workers, rate, rep, text = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
rows = [json.loads(l) for l in text.splitlines() if l.startswith("{")]
bench = next((r for r in rows if "tokens_per_s" in r), None)
net = next((r["netem"] for r in rows if "netem" in r), {})
if bench is None:
    print(json.dumps({"name": name, "workers": workers, "rate": rate, "rep": rep, "failed": True, "netem": net}))
else:
    bench.update({"name": name, "workers": workers, "rate": rate, "rep": rep, "netem": net,
                  "date": time.strftime("%Y-%m-%d")})
    print(json.dumps(bench))
PY
}

# One row per line: workers, name, then the bench's key=value settings. Spark's tree aggregation has a level
# below the driver only above 5 partitions (the condition of RDD.treeAggregate), so the tree rows need 6 workers.
# On a cluster spark.aggregation=auto picks the all-reduce, so the driver's rows say driver.
D=spark.aggregation=driver
ROWS=(
  "4|lstm driver|$D"
  "4|lstm all-reduce|spark.aggregation=allreduce"
  "4|lstm local SGD k=4|$D spark.syncEvery=4"
  "4|lstm local SGD k=16|$D spark.syncEvery=16"
  "4|lstm all-reduce local SGD k=4|spark.aggregation=allreduce spark.syncEvery=4"
  "4|lstm all-reduce local SGD k=16|spark.aggregation=allreduce spark.syncEvery=16"
  "4|small driver|$SMALL $D"
  "4|small all-reduce|$SMALL spark.aggregation=allreduce"
  "2|lstm driver|$D"
  "2|lstm all-reduce|spark.aggregation=allreduce"
  "6|small driver|$SMALL $D"
  "6|small tree|$SMALL $D spark.treeDepth=2"
  "6|small all-reduce|$SMALL spark.aggregation=allreduce"
)
if [ "$QUICK" = 1 ]; then ROWS=("${ROWS[@]:0:2}"); fi
for rep in $(seq "$FIRST_REP" $((FIRST_REP + REPS - 1))); do
  for row in "${ROWS[@]}"; do
    IFS='|' read -r workers name settings <<< "$row"
    if [[ "$workers $name" =~ $ONLY ]]; then
      # shellcheck disable=SC2086  # the settings are separate words
      run "$rep" "$workers" "$name" $settings
    fi
  done
done
# The modes in Spark local[2] (two one-core partitions in one JVM, no wire), as the bench and as training runs.
MODES=("driver|spark.aggregation=driver" "all-reduce|spark.aggregation=allreduce"
  "local SGD k=4|spark.aggregation=driver spark.syncEvery=4" "local SGD k=16|spark.aggregation=driver spark.syncEvery=16" "all-reduce local SGD k=4|spark.aggregation=allreduce spark.syncEvery=4"
  "all-reduce local SGD k=16|spark.aggregation=allreduce spark.syncEvery=16")
for rep in $(seq "$FIRST_REP" $((FIRST_REP + LOCAL_REPS - 1))); do
  for row in "${MODES[@]}"; do
    IFS='|' read -r name settings <<< "$row"
    [[ "local $name" =~ $ONLY ]] || continue
    echo "== $name in local[2] (run $rep): $settings" >&2
    # shellcheck disable=SC2086  # the settings are separate words
    "$ROOT/jobs/run.sh" bench --conf conf/brown-lstm.properties --warmup 5 --warmup-seconds 15 --steps 20 \
      'spark.master=local[2]' spark.partitions=2 data.valid= data.test= $settings 2>>"$OUT.local.log" \
      | grep tokens_per_s | python3 -c 'import json, sys
r = json.loads(sys.stdin.readline()); r.update(mode=sys.argv[1], rep=int(sys.argv[2])); print(json.dumps(r))' \
      "$settings" "$rep" >> "$OUT.tmp" || echo "== $name in local[2] failed: see $OUT.local.log" >&2
  done
done
if [ "$ACCURACY" = 1 ]; then
  for row in "${MODES[@]}"; do
    IFS='|' read -r name settings <<< "$row"
    [[ "accuracy $name" =~ $ONLY ]] || continue
    command="jobs/train.sh spark.master=local[2] spark.partitions=2 $settings"
    echo "== training with $name: $command" >&2
    run_dir="$OUT.runs/${name// /_}"; rm -rf "$run_dir"
    # shellcheck disable=SC2086  # the settings are separate words
    "$ROOT/jobs/train.sh" 'spark.master=local[2]' spark.partitions=2 $settings "out=$run_dir" \
      2>>"$OUT.local.log" >/dev/null && python3 "$ROOT/jobs/scaling_report.py" --accuracy "$run_dir" "$command" \
      >> "$OUT.tmp" || echo "== training with $name failed: see $OUT.local.log" >&2
  done
fi
mv "$OUT.tmp" "$OUT"
if [ "$OUT" = "$ROOT/docs/scaling.json" ]; then
  python3 "$ROOT/jobs/scaling_report.py" "$OUT" "$ROOT/docs/SCALING.md"
  echo "wrote $OUT and docs/SCALING.md" >&2
else
  echo "wrote $OUT" >&2
fi
