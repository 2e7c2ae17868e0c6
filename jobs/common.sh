# Shared by the scripts in jobs/: project root, a build on first use, and the JVM flags that Spark
# needs on Java 17+ (read from pom.xml's jvm.flags, the one place they are written).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build on first use, and again whenever a source file or pom.xml is newer than the last build.
if [ ! -f target/.built ] || [ -n "$(find src pom.xml -newer target/.built -print -quit)" ]; then
  echo "Building spark-rnn (about a minute the first time)..." >&2
  mvn -q -B -DskipTests package >&2
  touch target/.built
fi

JVM_FLAGS=$(sed -n 's:.*<jvm.flags>\(.*\)</jvm.flags>.*:\1:p' pom.xml)
CLASSPATH="$ROOT/target/classes:$ROOT/target/lib/*"
# One BLAS thread per worker thread: the trainer already runs one thread per core.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

run_main() {
  # Local runs bind every Spark address to loopback (set SPARK_LOCAL_IP to use another interface).
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  # shellcheck disable=SC2086
  exec java ${JAVA_OPTS:--Xmx6g} $JVM_FLAGS -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$CLASSPATH" io.sparkrnn.cli.Main "$@"
}
