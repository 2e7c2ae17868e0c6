"""docs/BLAS.md from the runs of jobs/blas-bench.sh (docs/blas.json).

blas_report.py RUNS.json OUT.md CPU
"""
import datetime, json, sys

from benchstats import spread

runs = json.load(open(sys.argv[1]))
KINDS = {"system": "system libblas.so.3", "bundled": "bundled OpenBLAS (in the jar)", "java": "pure Java"}


def values(kind, field, **match):
    return [r[field] for r in runs if r["kind"] == kind and field in r and all(r.get(k) == v for k, v in match.items())]


def ratios(kind, base, field="tokens_per_s"):
    """A field (tokens/s) of kind over base's, round by round (the two ran in the same round)."""
    out = []
    for rnd in sorted({r["round"] for r in runs}):
        a = [r[field] for r in runs if r["kind"] == kind and r["round"] == rnd and field in r]
        b = [r[field] for r in runs if r["kind"] == base and r["round"] == rnd and field in r]
        if a and b:
            out.append(a[0] / b[0])
    return out


rounds = len({r["round"] for r in runs})
steps = ", ".join(sorted({f"{r['command1_steps']} steps" for r in runs if "command1_steps" in r})) or "not run"
md = ["# BLAS backends", "",
      f"Made by `jobs/blas-bench.sh` on {datetime.date.today()} ({sys.argv[3]}), {rounds} rounds, each running every "
      "side once in turn; medians with the range in brackets. sgemm: 1120x256 by 256x14115 (the output layer's "
      "product), GFLOP/s; training: `conf/brown-lstm.properties` (README command 1's model, Spark local[*]), "
      "tokens/s over the timed steps; command 1: `jobs/train.sh train.maxSteps=N data.valid= data.test=` as a user runs "
      "it (its own JVM, heap and logging), tokens/s of the steps after the first 100 (" + steps + "). "
      "`sparkrnn.blas` forces each backend.", "",
      "| BLAS | backend as logged | sgemm, 1 thread | sgemm, 2 threads | training tokens/s | training vs pure Java "
      "| command 1 tokens/s | command 1 vs pure Java |",
      "|---|---|---|---|---|---|---|---|"]
for kind, name in KINDS.items():
    logged = sorted({r["blas"] for r in runs if r["kind"] == kind and "blas" in r})
    one, two = values(kind, "sgemm_gflops", sgemm_threads=1), values(kind, "sgemm_gflops", sgemm_threads=2)
    tps = values(kind, "tokens_per_s")
    if not (one or tps):
        md.append(f"| {name} | not loadable on this machine | | | | | | |")
        continue
    vs = ratios(kind, "java") if kind != "java" else []
    c1 = values(kind, "command1_tokens_per_s")
    c1vs = ratios(kind, "java", "command1_tokens_per_s") if kind != "java" else []
    md.append(f"| {name} | {', '.join(logged)} | {spread(one, '{:.1f}') if one else ''} | "
              f"{spread(two, '{:.1f}') if two else ''} | {spread(tps) if tps else ''} | "
              f"{spread(vs, '{:.2f}x') if vs else ''} | {spread(c1) if c1 else ''} | "
              f"{spread(c1vs, '{:.2f}x') if c1vs else ''} |")
open(sys.argv[2], "w").write("\n".join(md) + "\n")
