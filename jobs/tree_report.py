"""The table of jobs/tree-bench.sh: nodes per second of each side (median and range over the rounds) and the
project's ratio to each PyTorch side, computed within each round (sides timed minutes apart are not compared)."""
import collections, json, statistics, sys

from benchstats import spread

lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
peaks = {r["round"]: r["sgemm_gflops"] for r in lines if "sgemm_gflops" in r}
rows = [r for r in lines if "side" in r]
by_side = collections.defaultdict(list)
for r in rows:
    by_side[r["side"]].append(r)
misconfigured = {side for side, rs in by_side.items() if any(
    r.get("torch_mm_gflops", float("inf")) < 0.8 * peaks.get(r["round"], 0) for r in rs)}
print(f"CPU: {rows[0]['cpu']}; {max(r['round'] for r in rows)} rounds; sgemm on 2 threads "
      f"{spread(peaks.values())} GFLOP/s")
print(f"{'side':64} {'nodes/s':>26} {'ms/step':>20}")
for side, rs in by_side.items():
    print(f"{side:64} {spread(r['nodes_per_s'] for r in rs):>26} {spread((r['ms_per_step'] for r in rs), '{:,.1f}'):>20}")
ours = {r["round"]: r["nodes_per_s"] for r in rows if r["side"].startswith("spark-rnn") and r.get("cell") == "treelstm"}
for side, rs in by_side.items():
    if side.startswith("spark-rnn"):
        continue
    if "torch_mm_gflops" in rs[0]:
        print(f"{side}: torch.mm {spread(r['torch_mm_gflops'] for r in rs)} GFLOP/s"
              + (" (below 80 % of sgemm: misconfigured, no ratio)" if side in misconfigured else ""))
    if side in misconfigured:
        continue
    ratios = [ours[r["round"]] / r["nodes_per_s"] for r in rs if r["round"] in ours]
    if ratios:
        print(f"spark-rnn Tree-LSTM / {side}: {spread(ratios, '{:.2f}x')}")
