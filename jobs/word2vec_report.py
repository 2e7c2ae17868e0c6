"""The table of jobs/word2vec-bench.sh: one row per side, words/s as the median over the rounds with the range
in brackets, and the quality scores of the side's vectors when the bench could compute them.

word2vec_report.py RESULTS.jsonl [TEXT]
"""
import json, sys

from benchstats import spread

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
timed = [r for r in rows if "words_per_s" in r]
scores = {}
for r in rows:
    for kind in ("analogy", "similarity"):
        if kind in r and "words_per_s" not in r:
            scores.setdefault(r["name"], {})[kind] = r[kind]
names = list(dict.fromkeys(r["name"] for r in timed))  # the bench's order
kinds = [k for k in ("analogy", "similarity") if any(k in s for s in scores.values())]

md = [f"# word2vec: {timed[0]['words']:,} words" + (f" of `{sys.argv[2]}`" if len(sys.argv) > 2 else "")
      + f", {timed[0]['epochs']} epoch{'s' * (timed[0]['epochs'] != 1)}" if timed else "# word2vec: no timed runs", ""]
if timed:
    md += [f"CPU {timed[0]['cpu']}. words/s: the text's whitespace tokens x epochs / training seconds; medians over"
           " the rounds, range in brackets." + (" analogy: the evaluator's total accuracy in %; similarity: Spearman's"
           " rank correlation; both of the last round's vectors." if kinds else ""), "",
           "| side | threads | rounds | words/s | seconds | vocab |" + "".join(f" {k} |" for k in kinds),
           "|---|---|---|---|---|---|" + "---|" * len(kinds)]
for name in names:
    rs = [r for r in timed if r["name"] == name]
    side = rs[0]["side"] + (f", {rs[0]['partitions']} partitions" if "partitions" in rs[0] else "")
    vocab = rs[0].get("vocab")
    fmt = {"analogy": "{:.2f}", "similarity": "{:.3f}"}
    cells = [fmt[k].format(scores[name][k]) if k in scores.get(name, {}) else "" for k in kinds]
    md.append(f"| {side} | {rs[0]['threads']} | {len(rs)} | {spread(r['words_per_s'] for r in rs)} |"
              f" {spread((r['seconds'] for r in rs), '{:.1f}')} | {f'{vocab:,}' if vocab else ''} |"
              + "".join(f" {c} |" for c in cells))
print("\n".join(md))
