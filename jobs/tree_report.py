"""The table of jobs/tree-bench.sh: nodes per second of each side (median and range over the rounds) and the
project's ratio to each PyTorch side, computed within each round (sides timed minutes apart are not compared)."""
import collections, json, statistics, sys

from benchstats import spread

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by_side = collections.defaultdict(list)
for r in rows:
    by_side[r["side"]].append(r)
print(f"CPU: {rows[0]['cpu']}; {max(r['round'] for r in rows)} rounds")
print(f"{'side':64} {'nodes/s':>26} {'ms/step':>20}")
for side, rs in by_side.items():
    print(f"{side:64} {spread(r['nodes_per_s'] for r in rs):>26} {spread((r['ms_per_step'] for r in rs), '{:,.1f}'):>20}")
ours = {r["round"]: r["nodes_per_s"] for r in rows if r["side"].startswith("spark-rnn") and r.get("cell") == "treelstm"}
for side, rs in by_side.items():
    if side.startswith("spark-rnn"):
        continue
    ratios = [ours[r["round"]] / r["nodes_per_s"] for r in rs if r["round"] in ours]
    if ratios:
        print(f"spark-rnn Tree-LSTM / {side}: {spread(ratios, '{:.2f}x')}")
