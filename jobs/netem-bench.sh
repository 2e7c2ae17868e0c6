#!/usr/bin/env bash
# The synchronisation modes on an emulated multi-host network (jobs/netem-cluster.sh: every host in its own
# network namespace, links limited with tc): the bench command for each mode and cluster size, with the
# bytes that crossed the driver's link and the busiest executor's link per step (the interfaces' counters).
# Writes docs/scaling.json (one JSON line per run); jobs/scaling_report.py turns it into docs/SCALING.md
# with the cost model. Needs root; skips with a notice (exit 77) where namespaces cannot be made.
#   jobs/netem-bench.sh [--rate 1gbit] [--steps N] [--quick]
#   --quick: only the bench LSTM on 4 workers, driver and all-reduce
set -euo pipefail
source "$(dirname "$0")/common.sh"
RATE=1gbit STEPS=10 QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT="$ROOT/docs/scaling.json"
: > "$OUT.tmp"
APP_JAR=$(ls "$ROOT"/target/spark-rnn-*-app.jar | head -1)
SMALL="model.embed=64 model.hidden=64"   # a model whose step is mostly communication

# run WORKERS NAME KEY=VALUE...: one bench on a fresh emulated cluster, its JSON line tagged and appended
run() {
  local workers=$1 name=$2; shift 2
  echo "== $name on $workers workers at $RATE: $*" >&2
  local line rc=0
  line=$("$ROOT/jobs/netem-cluster.sh" --workers "$workers" --rate "$RATE" -- "java -Xmx1g \$JVM_FLAGS \
    -Dlog4j2.configurationFile=\$ROOT/conf/log4j2.properties -cp \"\$ROOT/target/lib/*\" \
    org.apache.spark.deploy.SparkSubmit --master \$MASTER_URL --conf spark.executor.memory=1g \
    --class io.sparkrnn.cli.Main $APP_JAR bench --conf conf/brown-lstm.properties --warmup 3 \
    --warmup-seconds 10 --steps $STEPS data.train=\$ROOT/data/brown/train.txt data.valid= data.test= \
    spark.partitions=$workers $* 2>/dev/null | grep '^{'") || rc=$?
  if [ "$rc" = 77 ]; then exit 77; fi
  python3 - "$name" "$workers" "$RATE" "$line" >> "$OUT.tmp" <<'PY'
import json, sys
name, workers, rate, text = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [json.loads(l) for l in text.splitlines() if l.startswith("{")]
bench = next((r for r in rows if "tokens_per_s" in r), None)
net = next((r["netem"] for r in rows if "netem" in r), {})
if bench is None:
    print(json.dumps({"name": name, "workers": workers, "rate": rate, "failed": True, "netem": net}))
else:
    bench.update({"name": name, "workers": workers, "rate": rate, "netem": net})
    print(json.dumps(bench))
PY
}

run 4 "lstm driver"
run 4 "lstm all-reduce" spark.aggregation=allreduce
if [ "$QUICK" = 0 ]; then
  run 4 "lstm local SGD k=4" spark.syncEvery=4
  run 4 "lstm local SGD k=16" spark.syncEvery=16
  run 4 "small driver" $SMALL
  run 4 "small all-reduce" $SMALL spark.aggregation=allreduce
  run 2 "lstm driver"
  run 2 "lstm all-reduce" spark.aggregation=allreduce
fi
mv "$OUT.tmp" "$OUT"
python3 "$ROOT/jobs/scaling_report.py" "$OUT" "$ROOT/docs/SCALING.md"
echo "wrote $OUT and docs/SCALING.md" >&2
