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

# The CPU's model name, which every benchmark report names (the machines here differ).
CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), CPU family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs)"

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

# PyTorch for the comparison sides: Debian's python3-torch, run with the OpenMP OpenBLAS build through
# LD_LIBRARY_PATH (torch_python ARGS...). find_torch installs both when it can (root) and sets HAVE_TORCH to 1,
# or to 0 with a notice that the PyTorch side is skipped.
OMP_BLAS=/usr/lib/x86_64-linux-gnu/openblas-openmp
PYTHON=/usr/bin/python3
find_torch() {
  if ! $PYTHON -c 'import torch' 2>/dev/null || [ ! -e $OMP_BLAS/libblas.so.3 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing Debian's python3-torch and libopenblas0-openmp for the PyTorch side..." >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-openmp) >&2 || true
    fi
  fi
  HAVE_TORCH=1
  $PYTHON -c 'import torch' 2>/dev/null && [ -e $OMP_BLAS/libblas.so.3 ] \
    || { HAVE_TORCH=0; echo "NOTICE: PyTorch not available; its side is skipped." >&2; }
}
# glibc's allocator keeps its blocks: PyTorch allocates fresh large tensors every step, and blocks above the mmap
# threshold go back to the kernel and are refaulted, which on these VMs can cost more than the BLAS itself: only
# a PyTorch that keeps its memory is a fair comparison.
torch_python() {
  LD_LIBRARY_PATH=$OMP_BLAS MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 \
    MALLOC_TOP_PAD_=1073741824 $PYTHON "$@"
}

# Copies the JSON lines of standard input, each with the fields of the JSON object $1 added.
tag() { python3 -c 'import json, sys
for l in sys.stdin:
    if l.startswith("{"):
        r = json.loads(l); r.update(json.loads(sys.argv[1])); print(json.dumps(r))' "$1"; }
