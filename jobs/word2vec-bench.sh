#!/usr/bin/env bash
# word2vec training speed and vector quality: this project (in-process and Spark local[2]) against gensim, the
# original C tool and Spark MLlib's Word2Vec, all on the same text with the same settings (100 dimensions, window
# 5, 5 negatives, subsampling 1e-3, rate 0.025, words seen at least 5 times; MLlib: hierarchical softmax and no
# subsampling, all it has). The sides run interleaved, ROUNDS rounds of each in a fixed order, so that a slow
# spell of the shared machine falls on all of them. words/s = the text's whitespace tokens x epochs / training
# seconds, the same numerator for every side. Then the last round's vectors are scored (analogies, similarity).
#   jobs/word2vec-bench.sh [TEXT]        (default data/brown/train.txt; ROUNDS=3 EPOCHS=5 THREADS=2 OUT=runs/w2v-bench,
#                                         QUESTIONS and PAIRS: the evaluation files, data/word2vec-eval/*)
# PARTITIONS="1 2 4 8" adds, after the rounds, this project on Spark local[THREADS] with each number of partitions
# (the accuracy cost of synchronising only every word2vec.syncWords words, against one partition, at equal epochs).
# Writes OUT/results.jsonl (one line per side and round, then the scores) and prints jobs/word2vec_report.py's table.
set -euo pipefail
source "$(dirname "$0")/common.sh"
TEXT=${1:-data/brown/train.txt}
ROUNDS=${ROUNDS:-3} EPOCHS=${EPOCHS:-5} THREADS=${THREADS:-2} OUT=${OUT:-runs/w2v-bench}
QUESTIONS=${QUESTIONS:-data/word2vec-eval/questions-words.txt} PAIRS=${PAIRS:-data/word2vec-eval/wordsim-wup.tsv}
export JAVA_OPTS="${JAVA_OPTS:--Xmx6g} -Dspark.ui.enabled=false" # SparkConf reads spark.* system properties
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
rm -f "$OUT"/{inproc,spark,gensim,ctool}.txt "$OUT"/mllib-p*.txt "$OUT"/partitions-*.txt # only this bench's get scored
WORDS=$(python3 -c 'import sys; print(sum(len(l.split()) for l in open(sys.argv[1], encoding="utf-8")))' "$TEXT")
VERSION="spark-rnn $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +changes)"
json() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }
notice() { echo "NOTICE: $1" >&2; }
MLLIB_PARTITIONS=$(printf '%s\n' 1 "$THREADS" | sort -un) # MLlib's default, and one per thread

# This project: train (its summary.json's "seconds" is the training time alone), then write the vectors as text.
project() { # NAME key=value...
  local name=$1; shift
  (run_main train --conf conf/brown-word2vec.properties data.train="$TEXT" train.epochs="$EPOCHS" \
    out="$OUT/$name" overwrite=true "$@") > "$OUT/$name.log" 2>&1 || return 1
  (run_main vectors --run "$OUT/$name" --to "$OUT/$name.txt" --format text --overwrite) > /dev/null 2>&1 || return 1
  python3 - "$OUT/$name" "$WORDS" "$EPOCHS" "$VERSION" <<'EOF'
import json, sys
run, words, epochs, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = json.load(open(run + "/summary.json"))
conf = dict(l.strip().split("=", 1) for l in open(run + "/config.properties") if "=" in l and not l.startswith("#"))
print(json.dumps({"side": f"{version} ({s['mode']})", "version": version, "method": conf.get("word2vec.method"),
                  "words": words, "epochs": epochs, "seconds": s["seconds"], "words_per_s": words * epochs / s["seconds"],
                  "threads": s["partitions"], "train_tokens": s["train_tokens"],
                  "vocab": int(open(run + ".txt").readline().split()[0]), "vectors": run + ".txt"}))
EOF
}

# One side of one round: its JSON line, tagged with the side's short name, the round and the CPU.
side() { # NAME COMMAND...
  local name=$1; shift
  echo "== $name (round $round)" >&2
  "$@" | tag "{\"name\": \"$name\", \"round\": $round, \"cpu\": $(json "$CPU")}" >> "$RESULTS" \
    || notice "the side $name failed in round $round"
}

for round in $(seq "$ROUNDS"); do
  side inproc project inproc spark.master=none train.threads="$THREADS"
  side spark project spark spark.master="local[$THREADS]" spark.partitions="$THREADS"
  side gensim $PYTHON "$ROOT/jobs/word2vec_gensim.py" "$TEXT" --out "$OUT/gensim.txt" --workers "$THREADS" --epochs "$EPOCHS"
  side ctool env THREADS="$THREADS" EPOCHS="$EPOCHS" "$ROOT/jobs/word2vec_ctool.sh" "$TEXT" "$OUT/ctool.txt"
  for p in $MLLIB_PARTITIONS; do
    side "mllib-p$p" run_main mllib-word2vec --text "$TEXT" --to "$OUT/mllib-p$p.txt" --partitions "$p" \
      --epochs "$EPOCHS" --master "local[$THREADS]"
  done
done

round=0
for p in ${PARTITIONS:-}; do
  side "partitions-$p" project "partitions-$p" spark.master="local[$THREADS]" spark.partitions="$p"
done

# Quality of the last round's vectors, by this project's evaluator; skipped while the test files (or the
# commands) are missing. Each score is kept raw in OUT/eval/ and as a line {"name", "analogy" or "similarity"}.
# The number taken: a JSON line's field of that name if the command prints one, else the first number of its
# "total" line (analogy), or of its last line (similarity).
mkdir -p "$OUT/eval"
score() { # NAME KIND FILE
  python3 - "$1" "$2" "$3" <<'EOF'
import json, re, sys
name, kind, path = sys.argv[1:]
lines = [l.strip() for l in open(path) if l.strip()]
for l in lines:
    if l.startswith("{"):
        print(json.dumps({"name": name, **json.loads(l)})); sys.exit()
line = next((l for l in lines if l.startswith("total")), None) if kind == "analogy" else (lines[-1] if lines else None)
num = re.search(r"-?\d+(\.\d+)?", line.split(None, 1)[1] if line and kind == "analogy" else line or "")
if num:
    print(json.dumps({"name": name, kind: float(num.group())}))
EOF
}
[ -f "$QUESTIONS" ] || notice "$QUESTIONS is missing: no analogy scores"
[ -f "$PAIRS" ] || notice "$PAIRS is missing: no similarity scores"
for name in inproc spark gensim ctool $(printf 'mllib-p%s ' $MLLIB_PARTITIONS) $(printf 'partitions-%s ' ${PARTITIONS:-}); do
  vectors="$OUT/$name.txt"
  [ -f "$vectors" ] || continue
  if [ -f "$QUESTIONS" ]; then
    (run_main analogy --vectors "$vectors" --questions "$QUESTIONS") > "$OUT/eval/$name.analogy.txt" 2>/dev/null \
      && score "$name" analogy "$OUT/eval/$name.analogy.txt" >> "$RESULTS" || notice "analogy scoring of $name failed"
  fi
  if [ -f "$PAIRS" ]; then
    (run_main similarity --vectors "$vectors" --pairs "$PAIRS") > "$OUT/eval/$name.similarity.txt" 2>/dev/null \
      && score "$name" similarity "$OUT/eval/$name.similarity.txt" >> "$RESULTS" || notice "similarity scoring of $name failed"
  fi
done
python3 "$ROOT/jobs/word2vec_report.py" "$RESULTS" "$TEXT"
