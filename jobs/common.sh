# Shared by the scripts in jobs/: project root, a build on first use, and the JVM flags that Spark
# needs on Java 17+ (read from pom.xml's jvm.flags, the one place they are written).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ ! -f target/classes/io/sparkrnn/cli/Main.class ] || [ ! -d target/lib ]; then
  echo "Building spark-rnn (first use; about a minute)..." >&2
  mvn -q -B -DskipTests package >&2
fi

JVM_FLAGS=$(sed -n 's:.*<jvm.flags>\(.*\)</jvm.flags>.*:\1:p' pom.xml)
CLASSPATH="$ROOT/target/classes:$ROOT/target/lib/*"
# One BLAS thread per worker thread: the trainer already runs one thread per core.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

run_main() {
  # shellcheck disable=SC2086
  exec java ${JAVA_OPTS:--Xmx6g} $JVM_FLAGS -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$CLASSPATH" io.sparkrnn.cli.Main "$@"
}
