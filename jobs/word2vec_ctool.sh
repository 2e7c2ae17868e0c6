#!/usr/bin/env bash
# The original word2vec.c (Mikolov's, as bundled by the npm package word2vec@1.1.5), the reference side of
# jobs/word2vec-bench.sh: trains on TEXT, writes the vectors in the word2vec text format to VECTORS and prints
# one JSON line.
#   jobs/word2vec_ctool.sh TEXT VECTORS [cbow]        (THREADS=2 EPOCHS=5 ALPHA=0.025 in the environment)
# The tool reads its text itself: each newline becomes a </s> token, as in the project's own corpus reader.
#
# Timing: the tool prints no times, and -iter 0 cannot isolate the vocabulary pass (its threads count local_iter
# down from 0 and never stop). So the build links a small shim through the linker's --wrap: the clock starts at
# the first pthread_create and stops at the last pthread_join, which in word2vec.c enclose exactly the training
# threads. The vocabulary pass, the 1e8-entry noise table and writing the vectors fall outside, as in gensim's
# timed train(); "seconds_total" is the whole process.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 5p "$0" >&2; exit 2; }
TEXT=$1 VECTORS=$2 CBOW=0
[ "${3:-}" = cbow ] && CBOW=1
THREADS=${THREADS:-2} EPOCHS=${EPOCHS:-5} ALPHA=${ALPHA:-0.025}
SRC=${WORD2VEC_SRC:-$HOME/.cache/spark-rnn/npm/node_modules/word2vec/src}
BUILD=$HOME/.cache/spark-rnn/word2vec-c
if [ ! -f "$SRC/word2vec.c" ]; then
  echo "Installing the npm package word2vec@1.1.5 for its word2vec.c..." >&2
  npm install --prefix "$HOME/.cache/spark-rnn/npm" word2vec@1.1.5 --ignore-scripts >&2
fi

mkdir -p "$BUILD"
if [ ! -x "$BUILD/word2vec" ] || [ "$SRC/word2vec.c" -nt "$BUILD/word2vec" ] || [ "$0" -nt "$BUILD/word2vec" ]; then
  cat > "$BUILD/timing.c" <<'EOF'
// Wall time from the first thread started to the last one joined, on stderr (see jobs/word2vec_ctool.sh).
#include <pthread.h>
#include <stdio.h>
#include <time.h>
int __real_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int __real_pthread_join(pthread_t, void **);
static struct timespec t0;
static int running;
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg) {
  if (running++ == 0) clock_gettime(CLOCK_MONOTONIC, &t0);
  return __real_pthread_create(t, a, f, arg);
}
int __wrap_pthread_join(pthread_t t, void **r) {
  int rc = __real_pthread_join(t, r);
  if (--running == 0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "\ntrain_seconds %.6f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  }
  return rc;
}
EOF
  # The makefile's flags, plus the shim.
  gcc "$SRC/word2vec.c" "$BUILD/timing.c" -o "$BUILD/word2vec" -lm -pthread -O3 -march=native -Wall -funroll-loops \
    -Wno-unused-result -fno-stack-protector -Wl,--wrap=pthread_create,--wrap=pthread_join
fi

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
start=$(date +%s.%N)
"$BUILD/word2vec" -train "$TEXT" -output "$VECTORS" -cbow $CBOW -size 100 -window 5 -negative 5 -hs 0 \
  -sample 1e-3 -threads "$THREADS" -iter "$EPOCHS" -min-count 5 -alpha "$ALPHA" -binary 0 2> "$LOG" >&2
end=$(date +%s.%N)
python3 - "$TEXT" "$VECTORS" "$LOG" "$THREADS" "$EPOCHS" "$CBOW" "$start" "$end" <<'EOF'
import json, sys
text, vectors, log, threads, epochs, cbow, start, end = sys.argv[1:]
seconds = float(next(l for l in open(log) if l.startswith("train_seconds")).split()[1])
words = sum(len(l.split()) for l in open(text, encoding="utf-8", errors="replace"))
epochs = int(epochs)
vocab = int(open(vectors, encoding="utf-8", errors="replace").readline().split()[0])  # </s> included
print(json.dumps({"side": "word2vec.c (npm word2vec 1.1.5)", "version": "word2vec.c of npm word2vec 1.1.5",
                  "method": "cbow" if cbow == "1" else "skipgram", "words": words, "epochs": epochs,
                  "seconds": seconds, "words_per_s": words * epochs / seconds, "threads": int(threads),
                  "vocab": vocab, "seconds_total": float(end) - float(start), "vectors": vectors}))
EOF
