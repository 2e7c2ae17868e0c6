#!/usr/bin/env bash
# Full against adaptive softmax on the bench LSTM: training speed, the sides interleaved (full, adaptive,
# full, adaptive, ...) so that a slow spell of the shared machine falls on both, then (with --train) a whole
# training run of each for tokens/s and valid/test perplexity. Writes docs/softmax.json and docs/SOFTMAX.md.
#   jobs/softmax-bench.sh [--reps N] [--steps N] [--train] [key=value ...]
#   key=value settings go to every side (for example spark.master=local[2] spark.partitions=2, or another
#   corpus with data.train=...); the sides differ only in model.softmax.
set -euo pipefail
source "$(dirname "$0")/common.sh"
REPS=3 STEPS=20 TRAIN=0 EXTRA=() COMMAND="jobs/softmax-bench.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --train) TRAIN=1; shift ;;
    --*) echo "unknown option $1" >&2; exit 2 ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
export JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"
OUT="$ROOT/docs/softmax.json"
: > "$OUT.tmp"
tag() { python3 -c 'import json, sys
for l in sys.stdin:
    if l.startswith("{"):
        r = json.loads(l); r.update(json.loads(sys.argv[1])); print(json.dumps(r))' "$1"; }
for rep in $(seq "$REPS"); do
  for softmax in full adaptive; do
    echo "== bench, $softmax softmax (run $rep)" >&2
    "$ROOT/jobs/run.sh" bench --conf conf/brown-lstm.properties --warmup 5 --warmup-seconds 15 --steps "$STEPS" \
      data.valid= data.test= model.softmax=$softmax "${EXTRA[@]}" 2>/dev/null \
      | tag "{\"softmax\": \"$softmax\", \"rep\": $rep}" >> "$OUT.tmp"
  done
done
if [ "$TRAIN" = 1 ]; then
  for softmax in full adaptive; do
    echo "== training, $softmax softmax" >&2
    run="$ROOT/runs/softmax-$softmax"
    "$ROOT/jobs/train.sh" model.softmax=$softmax out="$run" overwrite=true "${EXTRA[@]}" > /dev/null
    python3 -c 'import json, sys
print(json.dumps({"softmax": sys.argv[2], "training": json.load(open(sys.argv[1] + "/summary.json")),
                  "command": "jobs/train.sh model.softmax=" + sys.argv[2] + " " + sys.argv[3]}))' \
      "$run" "$softmax" "${EXTRA[*]:-}" >> "$OUT.tmp"
  done
fi
mv "$OUT.tmp" "$OUT"
python3 - "$OUT" "$ROOT/docs/SOFTMAX.md" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
  "$COMMAND" <<'PY'
import json, statistics, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
bench = [r for r in rows if "tokens_per_s" in r]
def spread(vals, fmt="{:,.0f}"):
    m = statistics.median(vals)
    return fmt.format(m) if len(vals) == 1 else f"{fmt.format(m)} ({fmt.format(min(vals))}–{fmt.format(max(vals))})"
md = ["# Full and adaptive softmax", "",
      f"Made by `{sys.argv[4].strip()}` on {datetime.date.today()}, CPU {sys.argv[3]}, BLAS"
      f" {', '.join(sorted({r['blas'] for r in bench}))}. The bench LSTM (`conf/brown-lstm.properties`: Brown,"
      " embedding and hidden 256, 32 streams, BPTT 35, Adam); the sides differ only in `model.softmax`"
      " (adaptive: the default cutoffs for the vocabulary, for Brown 3528 and 10000, tail clusters behind"
      " hidden/4 and hidden/16 features). The sides ran interleaved; medians with the range in brackets.", "",
      "| softmax | side | runs | tokens/s | ms/step | compute ms | MFLOP/token | GFLOP/s |", "|---|---|---|---|---|---|---|---|"]
for s in ("full", "adaptive"):
    rs = [r for r in bench if r["softmax"] == s]
    if rs:
        md.append(f"| {s} | {rs[0]['side']} | {len(rs)} | {spread([r['tokens_per_s'] for r in rs])} |"
                  f" {spread([r['ms_step'] for r in rs])} | {spread([r['ms_compute'] for r in rs])} |"
                  f" {rs[0]['mflop_per_token']:.1f} | {spread([r['gflops'] for r in rs])} |")
full = {r["rep"]: r["tokens_per_s"] for r in bench if r["softmax"] == "full"}
ratios = [r["tokens_per_s"] / full[r["rep"]] for r in bench if r["softmax"] == "adaptive" and r["rep"] in full]
if ratios:
    md += ["", f"Adaptive over full, run by run: {spread(ratios, '{:.2f}')}x the tokens/s."]
trained = [r for r in rows if "training" in r]
if trained:
    md += ["", "Whole training runs (the configuration's epochs), perplexity after the last epoch:", "",
           "| softmax | command | tokens/s | valid | test |", "|---|---|---|---|---|"]
    for r in trained:
        t = r["training"]
        md.append(f"| {r['softmax']} | `{r['command'].strip()}` | {t['tokens_per_s']:,.0f} | {t['valid_ppl']:.2f} |"
                  f" {t['test_ppl']:.2f} |")
open(sys.argv[2], "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
