#!/usr/bin/env bash
# Submit a command of the application jar with spark-submit.
#   jobs/submit.sh [spark-submit options] -- COMMAND [args]
#   jobs/submit.sh --master spark://host:7077 --executor-memory 2g -- train --conf conf/cluster-example.properties
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, else Spark's launcher from the project's own jars.
set -euo pipefail
source "$(dirname "$0")/common.sh"
submit_opts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do submit_opts+=("$1"); shift; done
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || { echo "usage: jobs/submit.sh [spark-submit options] -- COMMAND [args]" >&2; exit 2; }
APP_JAR=$(ls "$ROOT"/target/spark-rnn-*-app.jar | head -1)
LOG_CONF="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"
if [ -n "${SPARK_HOME:-}" ]; then
  exec "$SPARK_HOME/bin/spark-submit" --class io.sparkrnn.cli.Main \
    --driver-java-options "$LOG_CONF" "${submit_opts[@]}" "$APP_JAR" "$@"
fi
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx6g} $JVM_FLAGS "$LOG_CONF" -cp "$ROOT/target/lib/*" org.apache.spark.deploy.SparkSubmit \
  --class io.sparkrnn.cli.Main "${submit_opts[@]}" "$APP_JAR" "$@"
