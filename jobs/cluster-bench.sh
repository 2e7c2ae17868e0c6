#!/usr/bin/env bash
# The LSTM benchmark on a real Spark standalone cluster on 127.0.0.1 (a master and 2 one-core workers
# started from target/lib), submitted as the application jar; prints the bench JSON line, stops what it started.
#   jobs/cluster-bench.sh [--warmup N] [--warmup-seconds S] [--steps N] [--secure] [key=value ...]
#   --secure: the cluster and the job authenticate with a fresh shared secret and encrypt RPC, block transfers and
#   local spill files (the README's security settings; the master's REST server off, as it cannot authenticate)
set -euo pipefail
source "$(dirname "$0")/common.sh"
WARMUP=5 WARMUP_S=15 STEPS=30 SECURE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift 2 ;;
    --warmup-seconds) WARMUP_S=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --secure) SECURE=1; shift ;;
    *=*) break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HOME_DIR=$(mktemp -d)
ln -s "$ROOT/target/lib" "$HOME_DIR/jars"
export SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
PORT=$(free_port) WEB=$(free_port)
pids=()
stop() {
  for p in "${pids[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${pids[@]}"; do pkill -KILL -P "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$HOME_DIR"
}
trap stop EXIT
DAEMON_FLAGS=() SUBMIT_FLAGS=()
if [ $SECURE = 1 ]; then
  SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  for c in spark.authenticate=true "spark.authenticate.secret=$SECRET" spark.network.crypto.enabled=true \
      spark.io.encryption.enabled=true; do
    DAEMON_FLAGS+=("-D$c") SUBMIT_FLAGS+=(--conf "$c")
  done
  DAEMON_FLAGS+=(-Dspark.master.rest.enabled=false)
fi
# shellcheck disable=SC2086
java -Xmx512m $JVM_FLAGS "${DAEMON_FLAGS[@]}" -cp "$HOME_DIR/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "$PORT" --webui-port "$WEB" > "$HOME_DIR/master.log" 2>&1 &
pids+=($!)
for i in 0 1; do
  # shellcheck disable=SC2086
  java -Xmx512m $JVM_FLAGS "${DAEMON_FLAGS[@]}" -cp "$HOME_DIR/jars/*" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$PORT" \
    --host 127.0.0.1 --cores 1 --memory 1g --webui-port "$(free_port)" --work-dir "$HOME_DIR/work$i" \
    > "$HOME_DIR/worker$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 120); do
  curl -s "http://127.0.0.1:$WEB/json/" | grep -q '"aliveworkers" *: *2' && break
  sleep 0.5
done
APP_JAR=$(ls "$ROOT"/target/spark-rnn-*-app.jar | head -1)
# shellcheck disable=SC2086
java -Xmx1g $JVM_FLAGS -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$ROOT/target/lib/*" \
  org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$PORT" --conf spark.executor.memory=1g \
  --conf spark.executor.metrics.pollingInterval=100 "${SUBMIT_FLAGS[@]}" \
  --class io.sparkrnn.cli.Main "$APP_JAR" bench --conf conf/brown-lstm.properties --warmup "$WARMUP" \
  --warmup-seconds "$WARMUP_S" \
  --steps "$STEPS" data.train="$ROOT/data/brown/train.txt" data.valid= data.test= spark.partitions=2 \
  "$@" 2>/dev/null | grep '^{'
