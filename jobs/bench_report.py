"""docs/BENCHMARKS.md from the runs of jobs/bench.sh (docs/benchmarks.json, one JSON object per run).

bench_report.py RUNS.json OUT.md CORES CPU
"""
import datetime, json, re, statistics, sys

from benchstats import spread

runs = json.load(open(sys.argv[1]))
# One row per side: its median run by speed (the lower middle one for an even count), with the range of its speed.
groups = {}
for r in runs:
    side = re.sub(r"spark://[^,]+", "spark://cluster", r.get("side", ""))  # a new master port every round
    key = json.dumps({"side": side, **{k: r.get(k) for k in ("cell", "layers", "streams", "sgemm_threads",
                                                              "kind")}},
                     sort_keys=True)
    groups.setdefault(key, []).append(r)
rows = []
for rs in groups.values():
    speed = "tokens_per_s" if "tokens_per_s" in rs[0] else "sgemm_gflops"
    rs = sorted(rs, key=lambda r: r[speed])
    rows.append(dict(rs[(len(rs) - 1) // 2], runs=len(rs), low=rs[0][speed], high=rs[-1][speed]))
def speed(r, fmt="{:,.0f}"):
    value = fmt.format(r["tokens_per_s"] if "tokens_per_s" in r else r["sgemm_gflops"])
    return value if r["runs"] == 1 else f"{value} ({fmt.format(r['low'])}–{fmt.format(r['high'])})"
# The sgemm probes ran on every BLAS backend (sparkrnn.blas=KIND); the training sides on the one chosen by default,
# whose 2-thread rate the GFLOP/s column divides by.
used = next((r["blas"] for r in rows if "tokens_per_s" in r and "blas" in r), None)
probes = [r for r in rows if "sgemm_threads" in r]
sg = {r["sgemm_threads"]: r["sgemm_gflops"] for r in probes if r.get("blas") == used}
sgr = {(r.get("kind", "system"), r["sgemm_threads"]): r for r in probes}  # older runs probed the system BLAS only
kinds = {"system": "system libblas.so.3", "bundled": "OpenBLAS bundled in the jar", "java": "pure Java"}
mm = [r["torch_mm_gflops"] for r in runs if "torch_mm_gflops" in r]  # the PyTorch side's BLAS check, every run
md = ["# Benchmarks", "",
      f"Made by `jobs/bench.sh` on {datetime.date.today()}, {sys.argv[3]} cores ({sys.argv[4]}), "
      "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for every side. Brown train split, embedding and hidden 256, "
      "BPTT 35, full softmax over 14,115 words, Adam, clip 5; steps timed after a warm-up (Java sides: at "
      "least 15 s, so that the JIT compiler is done). Java at -Xmx1g. "
      f"Every side ran {max(r['runs'] for r in rows)} times, in rounds of one run of each side (the machine is "
      "shared and noisy); the table gives each side's median run, its tokens/s with the range in brackets, and "
      "ratios of medians.", "",
      "sgemm 1120x256 by 256x14115 (the output layer), GFLOP/s on one thread / two: "
      + "; ".join(f"{name} {speed(sgr[(k, 1)], '{:.1f}') if (k, 1) in sgr else 'n/a'} / "
                  f"{speed(sgr[(k, 2)], '{:.1f}') if (k, 2) in sgr else 'n/a'}" for k, name in kinds.items())
      + f" (the training sides ran on {used})"
      + (f"; PyTorch's torch.mm of the same product on its 2 threads: {statistics.median(mm):.0f}"
         f" ({min(mm):.0f}–{max(mm):.0f})" if mm else "") + ".", ""]
md += ["| model | side | streams | tokens/s | vs PyTorch | GFLOP/s (% of 2-thread sgemm) | ms/step: compute / bcast / aggr / update | overhead ms | MB bcast / aggr per step | peak heap MB |",
       "|---|---|---|---|---|---|---|---|---|---|"]
models = []
for r in rows:
    if "cell" in r and (r["cell"], r["layers"]) not in models:
        models.append((r["cell"], r["layers"]))
def heap(r):  # the driver's peak heap, and the executors' on a cluster
    return f"{r['peak_heap_mb']} (executors {r['executor_peak_heap_mb']})" if "executor_peak_heap_mb" in r else r["peak_heap_mb"]
for cell, layers in models:
    group = [r for r in rows if r.get("cell") == cell and r.get("layers") == layers]
    torch = next((r["tokens_per_s"] for r in group if r["side"].startswith("pytorch")), None)
    for r in group:
        name = f"{cell}" + (f" x{layers}" if layers > 1 else "")
        ratio = f"{r['tokens_per_s'] / torch:.2f}x" if torch else "n/a"
        if r["side"].startswith("pytorch"):
            md.append(f"| {name} | {r['side']} (2 threads, OpenMP OpenBLAS) | 32 | {speed(r)} | 1.00x | | | | | |")
            continue
        pct = 100 * r["gflops"] / sg[2] if 2 in sg else float("nan")
        md.append(f"| {name} | {r['side']} | {r['streams']} | {speed(r)} | {ratio} | {r['gflops']:.0f} ({pct:.0f}%) | "
                  f"{r['ms_compute']:.0f} / {r['ms_broadcast']:.0f} / {r['ms_aggregate']:.0f} / {r['ms_update']:.0f} | "
                  f"{r['ms_overhead']:.0f} | {r['bytes_broadcast_per_step'] / 1e6:.1f} / {r['bytes_aggregated_per_step'] / 1e6:.1f} | {heap(r)} |")
md += ["", "Overhead = step time minus the forward/backward of the slowest worker: broadcast, scheduling, "
       "gradient transfer, summing and the optimizer update. On a cluster gradients reach the driver as "
       "block-manager blocks (MB aggr counts their bytes); in local mode the executors live in the driver JVM, "
       "parameters and gradients are handed over there (0 MB), and the peak heap is both.", ""]
for r in rows:
    if "ms_task_run" in r and r.get("cell") == "lstm" and r.get("layers") == 1:
        md.append(f"Spark's task metrics, {r['side']}, {r['streams']} streams, mean per task and step: run "
                  f"{r['ms_task_run']:.0f} ms, task deserialization {r['ms_task_deserialize']:.1f}, result "
                  f"serialization {r['ms_result_serialize']:.1f}, JVM GC {r['ms_task_gc']:.1f}.")
md.append("")
# A cost model from the measured LSTM rows, for P executors of 16 streams each on a 10 Gbit/s network.
lstm = [r for r in rows if r.get("cell") == "lstm" and r.get("layers") == 1]
local = next((r for r in lstm if r["side"].startswith("in-process") and r["streams"] == 32), None)
spark = next((r for r in lstm if r["side"].startswith("spark local") and r["streams"] == 32
              and "bf16" not in r["side"]), None)
cluster = next((r for r in lstm if "spark://" in r["side"] and "encrypted" not in r["side"]), None)
if local and spark:
    tokens_step = 32 * 35
    c = local["ms_compute"] / (tokens_step / 2)          # ms per token on one core (2 workers in parallel)
    S = spark["param_bytes"]                              # parameters broadcast per step
    # One partition's gradient on the wire: measured on the cluster (local mode hands it over in the JVM).
    R = cluster["bytes_aggregated_per_step"] / 2 if cluster else S
    codec = spark["codec_ms_per_mb"]                      # encode or decode, per MB
    fixed = max(0.0, spark["ms_overhead"] - spark["ms_update"])  # scheduling, hand-over, sum: local mode
    def gathered(P):  # results that reach the driver (or one tree level) one after the other
        return P if P <= 5 else 2 * P ** 0.5
    def overhead(P, bw):
        codec_ms = codec * (2 * S + (1 + gathered(P)) * R) / 1e6
        net_ms = (S + gathered(P) * R) / bw * 1e3
        return fixed + codec_ms + net_ms + spark["ms_update"], net_ms
    md += ["## Cost model", "",
           "This is the driver mode's model; docs/SCALING.md has one per synchronisation mode (driver, tree,"
           " all-reduce, local SGD), checked against runs on an emulated multi-host network.", "",
           f"Measured above (LSTM, 32 streams): compute {c:.3f} ms per token per core; {S / 1e6:.1f} MB of "
           f"parameters and {R / 1e6:.1f} MB of gradient per partition and step on the wire"
           + (" (the cluster run)" if cluster else " (dense upper bound: no cluster run)")
           + f"; encoding or decoding {codec:.2f} ms per MB; update {spark['ms_update']:.0f} ms; Spark's "
           f"per-step cost besides compute and update in local mode (scheduling, in-JVM hand-over, sum) {fixed:.0f} ms.",
           "",
           "Model for P executors of one core and 16 streams each (weak scaling), 10 Gbit/s (1.25 GB/s): "
           "step = 16·35·compute + fixed + codec + network + update, with codec = (2·S + (1 + g)·R)·(ms per MB) "
           "(the driver encodes the parameters and every executor decodes them in parallel; executors encode "
           "their gradients in parallel, the driver decodes g of them) and network = (S + g·R)/bw (torrent "
           "broadcast: the driver sends each piece about once), where g = P while gradients go straight to the "
           "driver as blocks (P ≤ 5) and 2·√P with tree aggregation of depth 2.",
           "", "| executors P | streams | step ms (predicted) | tokens/s (predicted) | network share |",
           "|---|---|---|---|---|"]
    for P in (2, 8, 32, 128):
        over, net = overhead(P, 1.25e9)
        step = 16 * 35 * c + over
        md.append(f"| {P} | {16 * P} | {step:.0f} | {P * 16 * 35 / step * 1e3:,.0f} | {100 * net / step:.0f}% |")
    if cluster:
        over, _ = overhead(2, 1.25e9)
        md += ["", f"Check: the standalone cluster on 127.0.0.1 (2 one-core workers, executors in their own JVMs, "
               f"the same 2 cores shared with the driver and the workers) measured {cluster['ms_step']:.0f} ms per "
               f"step: compute {cluster['ms_compute']:.0f} (against {16 * 35 * c:.0f} here, where 2 cores serve 3 "
               f"JVMs) and overhead {cluster['ms_overhead']:.0f} against {over:.0f} predicted for P = 2 "
               "(network at 10 Gbit/s; loopback is faster). Multi-machine runs are still to be measured."]
    else:
        md += ["", "The model is not checked here: the cluster run was skipped."]
    md += [""]
# Encryption: the plain and the secure cluster side ran in the same rounds, one after the other.
def cluster_runs(encrypted):
    return {r["round"]: r for r in runs if "spark://" in r.get("side", "") and r.get("cell") == "lstm"
            and r.get("layers") == 1 and ("encrypted" in r["side"]) == encrypted}
plain, secure = cluster_runs(False), cluster_runs(True)
paired = sorted(set(plain) & set(secure))
if paired:
    cost = [secure[k]["ms_step"] - plain[k]["ms_step"] for k in paired]
    share = [100 * (secure[k]["ms_step"] / plain[k]["ms_step"] - 1) for k in paired]
    md += ["## Encryption", "",
           "The LSTM on the standalone cluster of 2 workers on 127.0.0.1, once as above and once with "
           "`spark.authenticate`, a shared secret, `spark.network.crypto.enabled` (AES for RPC and block "
           "transfers) and `spark.io.encryption.enabled` on the master, the workers and the job "
           f"(`jobs/cluster-bench.sh --secure`), one after the other in each of {len(paired)} rounds:", "",
           "| cluster | ms/step | overhead ms | tokens/s |", "|---|---|---|---|",
           f"| plain | {spread(plain[k]['ms_step'] for k in paired)} | "
           f"{spread(plain[k]['ms_overhead'] for k in paired)} | {spread(plain[k]['tokens_per_s'] for k in paired)} |",
           f"| authenticated and encrypted | {spread(secure[k]['ms_step'] for k in paired)} | "
           f"{spread(secure[k]['ms_overhead'] for k in paired)} | {spread(secure[k]['tokens_per_s'] for k in paired)} |",
           "", f"Cost of encryption per step, round by round: {spread(cost, '{:+,.0f}')} ms "
           f"({spread(share, '{:+.1f}')} %), for {plain[paired[0]]['bytes_broadcast_per_step'] / 1e6:.1f} MB of "
           f"parameters out and {plain[paired[0]]['bytes_aggregated_per_step'] / 1e6:.1f} MB of gradients in per step.",
           ""]
md += ["## Other reports", "",
       "- [SOFTMAX.md](SOFTMAX.md): full against adaptive softmax on Brown (`jobs/softmax-bench.sh`);",
       "- [SOFTMAX-LARGE.md](SOFTMAX-LARGE.md): the same at a vocabulary over 100,000 words, with PyTorch's"
       " adaptive softmax beside them (`jobs/softmax-bench.sh --name SOFTMAX-LARGE ...`);",
       "- [LARGE-CORPUS.md](LARGE-CORPUS.md): 100 million tokens on Spark local[2] in a 2 GB heap, killed and"
       " resumed (`jobs/large-corpus-run.sh`);",
       "- [SCALING.md](SCALING.md): the synchronisation modes on an emulated multi-host network"
       " (`jobs/netem-bench.sh`);",
       "- [TREES.md](TREES.md): ListOps accuracy of the tree models and the sequential LSTM, and Tree-LSTM training"
       " speed against PyTorch per node and by level (`jobs/tree-bench.sh`).", ""]
open(sys.argv[2], "w").write("\n".join(md))
print("\n".join(md))
