#!/usr/bin/env bash
# Training speed, side by side in one run: in-process, Spark local[2] (2 partitions; 32 and 128 streams),
# and PyTorch on the same model, data layout and optimizer; for LSTM, GRU, simple RNN and a 2-layer LSTM.
# Writes docs/benchmarks.json and docs/BENCHMARKS.md.
#   jobs/bench.sh [--steps N] [--warmup N] [--warmup-seconds S] [--repeat N] [--quick] [--no-cluster]
#   --warmup N / --warmup-seconds S: untimed steps first, at least N of them and at least S seconds for the Java
#   sides (default 5 and 15: the JIT compiler works on Spark's code for a while, on the cores the steps need)
#   --repeat N: rounds of one run of every side (default 3); the report takes each side's median
#   --quick: the LSTM only; --no-cluster: skip the runs on a standalone cluster of 2 workers on 127.0.0.1 (plain,
#   then authenticated and encrypted)
#   --large-vocab GLOB: then full and adaptive softmax and PyTorch's adaptive softmax on a corpus of 100k+ words
#   (for example 'runs/synthetic-100m/part-000[01]?.txt.gz' from jobs/make-corpus.sh, every word seen twice kept),
#   interleaved, by jobs/softmax-bench.sh into docs/SOFTMAX-LARGE.md
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for every side alike, so OpenBLAS picks its own kernel. The sgemm
# probe runs on each BLAS backend (the system's libblas.so.3, the OpenBLAS bundled in the jar, pure Java).
# PyTorch runs on Debian's python3-torch with the OpenMP OpenBLAS build through LD_LIBRARY_PATH; the script
# installs both when it can (root), and skips PyTorch with a notice when it cannot.
set -euo pipefail
source "$(dirname "$0")/common.sh"
STEPS=30 WARMUP=5 WARMUP_S=15 REPEAT=3 MODELS="lstm:1 gru:1 rnn:1 lstm:2" CLUSTER=1 LARGE=
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) STEPS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --warmup-seconds) WARMUP_S=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --quick) MODELS="lstm:1"; shift ;;
    --no-cluster) CLUSTER=0; shift ;;
    --large-vocab) LARGE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
export JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"
OUT="$ROOT/docs/benchmarks.json"
mkdir -p "$ROOT/docs"
: > "$OUT.tmp"

find_torch

java_json() { JAVA_OPTS="$JAVA_OPTS" "$ROOT/jobs/run.sh" "$@" 2>/dev/null | grep '^{' ; }
# Runs one side once, its JSON line tagged with the round.
side() { "$@" | tag "{\"round\": $round}" >> "$OUT.tmp"; }
bench() { side java_json bench --conf conf/brown-lstm.properties --warmup "$WARMUP" --warmup-seconds "$WARMUP_S" \
  --steps "$STEPS" data.valid= data.test= "$@" || echo "NOTICE: side failed: $*" >&2; }

# Every side once per round, round after round (A B C ... A B C ...): a slow spell of the shared machine falls on
# one run of several sides rather than on every run of one; the report takes each side's median.
for round in $(seq "$REPEAT"); do
  echo "== round $round of $REPEAT: sgemm peak of each BLAS backend..." >&2
  for kind in system bundled java; do
    for threads in 1 2; do
      JAVA_OPTS="$JAVA_OPTS -Dsparkrnn.blas=$kind" java_json bench --sgemm $threads \
        | tag "{\"round\": $round, \"kind\": \"$kind\"}" >> "$OUT.tmp" \
        || echo "NOTICE: the sgemm probe of the $kind BLAS on $threads threads failed" >&2
    done
  done
  for m in $MODELS; do
    cell=${m%:*} layers=${m#*:}
    echo "$cell x$layers: in-process..." >&2
    bench model.cell=$cell model.layers=$layers spark.master=none
    echo "$cell x$layers: Spark local[2], 32 streams..." >&2
    bench model.cell=$cell model.layers=$layers 'spark.master=local[2]' spark.partitions=2
    if [ "$cell:$layers" = lstm:1 ]; then
      echo "$cell x$layers: Spark local[2], 32 streams, bf16 gradients..." >&2
      bench model.cell=$cell model.layers=$layers 'spark.master=local[2]' spark.partitions=2 spark.gradientPrecision=bf16
    fi
    echo "$cell x$layers: Spark local[2], 128 streams..." >&2
    bench model.cell=$cell model.layers=$layers 'spark.master=local[2]' spark.partitions=2 train.batch=128
    echo "$cell x$layers: in-process, 128 streams..." >&2
    bench model.cell=$cell model.layers=$layers spark.master=none train.batch=128
    if [ $HAVE_TORCH = 1 ]; then
      echo "$cell x$layers: PyTorch..." >&2
      side torch_python jobs/bench_pytorch.py --cell $cell --layers $layers --warmup "$WARMUP" --steps "$STEPS" \
        --threads 2 || echo "NOTICE: the PyTorch side failed" >&2
    fi
  done
  if [ $CLUSTER = 1 ]; then
    echo "lstm x1: standalone cluster, 2 workers on 127.0.0.1..." >&2
    side "$ROOT/jobs/cluster-bench.sh" --warmup "$WARMUP" --warmup-seconds "$WARMUP_S" --steps "$STEPS" \
      || echo "NOTICE: the cluster run failed" >&2
    echo "lstm x1: the same cluster, authenticated and encrypted..." >&2
    side "$ROOT/jobs/cluster-bench.sh" --secure --warmup "$WARMUP" --warmup-seconds "$WARMUP_S" --steps "$STEPS" \
      || echo "NOTICE: the encrypted cluster run failed" >&2
  fi
done
if [ -n "$LARGE" ]; then
  echo "== a vocabulary of 100k+ words: $LARGE" >&2
  JAVA_OPTS=-Xmx5g "$ROOT/jobs/softmax-bench.sh" --reps "$REPEAT" --steps 20 --name SOFTMAX-LARGE "data.train=$LARGE" \
    data.valid= data.test= vocab.minCount=1 > /dev/null || echo "NOTICE: the large-vocabulary run failed" >&2
fi
python3 -c 'import json, sys; json.dump([json.loads(l) for l in open(sys.argv[1]) if l.strip()],
    open(sys.argv[2], "w"), indent=1)' "$OUT.tmp" "$OUT"
python3 "$ROOT/jobs/bench_report.py" "$OUT" "$ROOT/docs/BENCHMARKS.md" "$(nproc)" "$CPU"
rm -f "$OUT.tmp"
