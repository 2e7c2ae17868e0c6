#!/usr/bin/env python3
"""docs/SCALING.md from the JSON lines of jobs/netem-bench.sh (rate-limited and unlimited runs), of the
bench in Spark local[2] (one line per mode, tagged "mode") and of training runs ({"accuracy": summary.json of
the run, "command": ..., "date": ...}): the measured rows with medians and ranges, the interleaved ratios
between modes, a cost model per synchronisation mode checked against the rate-limited rows, its predictions
for larger clusters, and the perplexity each mode reaches.
    scaling_report.py IN.json [IN.json ...] OUT.md
    scaling_report.py --accuracy RUN_DIR COMMAND   (prints the JSON line of a finished run)"""
import json
import math
import platform
import statistics
import subprocess
import sys
import time

import benchstats

BPTT = 35            # conf/brown-lstm.properties
STREAMS_EACH = 16    # weak scaling: every executor trains 16 streams, as in docs/BENCHMARKS.md
GATHERED_COPIES = 3  # local SGD with Adam averages the parameters and both moments
SYNCS_PER_JOB = 10   # spark.syncsPerJob's default: all-reduce steps per Spark job


def cpu():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        return next(l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown"


def bytes_per_s(rate):
    """tc's rate units (1gbit, 500mbit) in bytes per second; None for an unlimited link."""
    for unit, scale in (("gbit", 1e9), ("mbit", 1e6), ("kbit", 1e3)):
        if rate.endswith(unit):
            return float(rate[:-len(unit)]) * scale / 8
    return None


def mode_of(name):
    return name.split(" ", 1)[1]


def sync_every(mode):
    return int(mode.split("k=")[1]) if "k=" in mode else 1


def tree_fan_in(p, depth=2):
    """Partial sums the driver receives from Spark's treeReduce, and the sums each of them sums first
    (RDD.treeAggregate's loop); (p, 1) when the tree has no level below the driver."""
    scale = max(math.ceil(p ** (1.0 / depth)), 2)
    parts = p
    while parts > scale + math.ceil(parts / scale):
        parts //= scale
    return parts, p / parts


def network_bytes(mode, p, s, g, r=None):
    """Bytes on the busiest link per step, phases one after the other: s parameter bytes, g gradient bytes
    per partition (the embedding's untouched rows do not travel), r the parameter bytes a partition reads for
    its window (the embedding's rows it does not look up stay; s when not measured). The driver sends the
    broadcast (each piece about once) and receives what is gathered; with all-reduce every executor sends and
    receives (p-1)/p of its gradient, then of the parameters it reads (a local-SGD round: of all the parameters
    and moments, twice)."""
    k = sync_every(mode)
    if mode.startswith("all-reduce"):
        if k > 1:
            return 2 * (p - 1) / p * s * GATHERED_COPIES / k
        return (p - 1) / p * (g + (s if r is None else r))
    per_partition = GATHERED_COPIES * s if k > 1 else g
    roots, fan_in = tree_fan_in(p) if (mode == "tree" or p > 5) else (p, 1)
    gathered = roots * per_partition + (fan_in * per_partition if fan_in > 1 else 0)
    sent = GATHERED_COPIES * s if k > 1 else s  # a round starts from the driver's parameters and moments
    return (sent + gathered) / k


def early_bytes(p, s, out_bytes):
    """Gradient bytes a task sends before its backward pass ends, averaged over the tasks: the other owners'
    slices that lie inside the output layer, the last out_bytes of the s parameter bytes (SliceOwner.publishReady)."""
    n, out0 = s // 4, (s - out_bytes) // 4
    size = {j: (j + 1) * n // p - j * n // p for j in range(p) if j * n // p >= out0}
    return sum(sum(size.values()) - size.get(q, 0) for q in range(p)) / p * 4


def network_ms(mode, p, s, g, rate, out_bytes=0, overlap_ms=0, r=None):
    """The wire's share of a step at `rate` bytes/s: network_bytes over the rate, less what the all-reduce's
    early gradient slices carry while the backward pass still runs (overlap_ms of it, measured)."""
    t = network_bytes(mode, p, s, g, r) / rate * 1e3
    if mode == "all-reduce" and out_bytes:
        t -= min(early_bytes(p, s, out_bytes) / rate * 1e3, overlap_ms)
    return t


def update_scale(rs, p):
    """How the all-reduce's update time at p partitions compares with local[2]'s: the step waits for the owner of
    the longest slice (the bench reports its length at p, SliceBounds's cut); 2/p for equal slices."""
    longest = rs[0].get("longest_slice_floats")
    if longest and str(p) in longest and "2" in longest:
        return longest[str(p)] / longest["2"]
    return 2 / p


def all_reduce_rest(rs, p, s, g, codec, r=None):
    """The all-reduce's step less compute and wire at p partitions, from its local[2] rows: the owners' update (or
    average) runs on slices, so its time scales by update_scale; a task decodes (p-1)/p of the parameters it reads
    (r, or all s) and encodes and adds (p-1)/p of its gradient, half of each at p = 2, at the codec's ms per MB."""
    rest = med(rs, "ms_step") - med(rs, "ms_compute")
    more_codec = ((p - 1) / p - 0.5) * ((s if r is None else r) + 2 * g) / 1e6 * codec
    return rest - med(rs, "ms_update") * (1 - update_scale(rs, p)) + more_codec


def round_trips(mode):
    """Round trips an all-reduce step waits for. Every read is asked before its block exists and answered as the
    block is stored, so a phase costs the way back only (half a round trip): gradients and counts, norms and the
    next parameters; a local-SGD round also reads the moments, asked when needed (a whole round trip). The first
    step of a job reads parameters that exist: a whole round trip, once per spark.syncsPerJob steps."""
    if not mode.startswith("all-reduce"):
        return 0
    k = sync_every(mode)
    return (1.5 + (1 if k > 1 else 0) + 0.5 / SYNCS_PER_JOB) / k


if sys.argv[1] == "--accuracy":
    summary = json.load(open(sys.argv[2] + "/summary.json"))
    print(json.dumps({"accuracy": summary, "command": sys.argv[3], "date": time.strftime("%Y-%m-%d"),
                      "cpu": cpu()}))
    sys.exit(0)

rows = [json.loads(l) for path in sys.argv[1:-1] for l in open(path) if l.strip()]
netem = [r for r in rows if "netem" in r and not r.get("failed")]
failed = [r for r in rows if r.get("failed")]
local = [r for r in rows if "mode" in r and "tokens_per_s" in r]


def med(rs, key):
    return statistics.median(r[key] for r in rs)


def params_read(rs, w):
    """The parameter bytes an all-reduce task reads per step, as a whole model's worth (it reads w-1 of w slices);
    None in rows from before tasks read only the embedding rows they look up."""
    key = "param_bytes_read_per_task_per_step"
    measured = [r for r in rs if key in r]
    return med(measured, key) * w / (w - 1) if measured and w > 1 else None


def spread(rs, key, fmt="{:.0f}"):
    return benchstats.spread((r[key] for r in rs), fmt)


MODES = ["driver", "tree", "all-reduce", "local SGD k=4", "local SGD k=16", "all-reduce local SGD k=4",
         "all-reduce local SGD k=16"]


def row_order(key):
    name, w, rate = key
    mode = mode_of(name)
    return (bytes_per_s(rate) is None, name.split(" ")[0] != "lstm", w,
            MODES.index(mode) if mode in MODES else len(MODES))


groups = {}
for r in sorted(netem, key=lambda r: row_order((r["name"], r["workers"], r["rate"]))):
    groups.setdefault((r["name"], r["workers"], r["rate"]), []).append(r)

# The day of the network runs (rows before dates were recorded: 2026-12-04, the one day they ran).
measured = max((r.get("date", "2026-12-04") for r in netem), default=time.strftime("%Y-%m-%d"))
md = ["# Scaling: the synchronisation modes on an emulated network", "",
      f"Made by `jobs/netem-bench.sh` (report: `jobs/scaling_report.py`) on {measured}, CPU {cpu()}:"
      " a Spark standalone master, W one-core workers and the driver, each host in its own network namespace,"
      " every link limited by tc both ways (see `jobs/netem-cluster.sh`; this kernel has no netem qdisc, so no"
      " delay is added). All of it runs on this project's 2-core machine: the executors share the 2 cores with"
      " each other, the driver and the daemons, so compute per step grows with W here, where on real hosts it"
      " would not. "
      + ("Every row ran several times, the rows interleaved (row 1, row 2, ..., row 1, row 2, ...);"
         " the tables give the median and, in brackets, the range."
         if max((len(g) for g in groups.values()), default=1) > 1 else
         "Every row ran once, the rows one after the other (one round: the ratios below are of single runs)."
         + (" Rows of a later round (" + ", ".join(sorted({f"{r['name']} at {r['rate']}" for r in netem
                                                          if r.get("rep", 1) > 1}))
            + ") ran apart from the driver mode's, so they have no ratio to it."
            if any(r.get("rep", 1) > 1 for r in netem) else ""))
      + " Bytes are the interfaces' counters over the"
      " timed steps. The LSTM is the bench LSTM (`conf/brown-lstm.properties`, 32 streams split over the"
      " workers); the small model has embedding and hidden size 64 (communication dominates). BLAS:"
      f" {', '.join(sorted({r['blas'] for r in netem}))}.", "",
      "| model, mode | W | link | runs | ms/step | compute | exchange + scheduling | update |"
      " driver link MB/step | busiest worker link MB/step |",
      "|---|---|---|---|---|---|---|---|---|---|"]
failures = {}
for r in failed:
    failures[(r["name"], r["workers"], r["rate"])] = failures.get((r["name"], r["workers"], r["rate"]), 0) + 1
for (name, w, rate), rs in groups.items():
    nf = failures.pop((name, w, rate), 0)
    runs = f"{len(rs)}" + (f" (+{nf} failed)" if nf else "")
    md.append(f"| {name} | {w} | {rate} | {runs} | {spread(rs, 'ms_step')} | {spread(rs, 'ms_compute')} |"
              f" {spread(rs, 'ms_aggregate')} | {spread(rs, 'ms_update')} |"
              f" {med(rs, 'driver_link_bytes_per_step') / 1e6:.2f} |"
              f" {med(rs, 'busiest_executor_link_bytes_per_step') / 1e6:.2f} |")
for (name, w, rate), nf in failures.items():
    md.append(f"| {name} | {w} | {rate} | {nf} failed | | | | | | |")

# Interleaved ratios: a mode's step time over the driver mode's in the same round of the same setting.
md += ["", "## Step time against the driver mode, run by run", "",
       "Each ratio divides a mode's step time by the driver mode's from the same round (the two ran one right"
       " after the other); median and range over the rounds.", "",
       "| model, mode | W | link | ratio to driver |", "|---|---|---|---|"]
for (name, w, rate), rs in groups.items():
    base = groups.get((name.split(" ")[0] + " driver", w, rate))
    if mode_of(name) == "driver" or not base:
        continue
    by_rep = {b.get("rep", 1): b["ms_step"] for b in base}
    ratios = [r["ms_step"] / by_rep[r.get("rep", 1)] for r in rs if r.get("rep", 1) in by_rep]
    if ratios:
        md.append(f"| {name} | {w} | {rate} | {statistics.median(ratios):.2f}"
                  f" ({min(ratios):.2f}–{max(ratios):.2f}) |")

# The model, checked: a rate-limited row is predicted from the same setting without a rate limit
# (everything that is not the wire: compute, scheduling, codecs, the 2 shared cores) plus its bytes on
# the busiest link divided by the rate.
md += ["", "## Cost model", "",
       "Step time = T(unlimited) + N / rate, where T(unlimited) is the median step time of the same setting with"
       " no rate limit and N the bytes per step on the busiest link, phases one after the other (S parameter"
       " bytes, G gradient bytes per partition, P partitions, k steps per synchronisation):", "",
       "- driver: N = S + P·G (the driver sends the broadcast, each piece about once, and receives every gradient);",
       "- tree (Spark's treeReduce, only above 5 partitions): N = S + (r + P/r)·G, r the partial sums the driver"
       " receives, P/r those each of them sums first;",
       "- all-reduce: N = (P−1)/P·(G + R) (each executor sends and receives its share of the gradient slices, then"
       " of the parameter slices; G counts only the embedding rows the window touched, R, the parameters a task"
       " reads, only the embedding rows its next window looks up: measured, S in rows from before tasks read"
       " them only; the slices are cut to equal expected traffic, so the busiest owner sends about the average),"
       " less the output layer's"
       " slices that travel while the recurrent backward pass still runs: min(E/rate, A), E their bytes (the"
       " other owners' slices inside the output layer), A the ms of the pass after they went (measured);",
       f"- local SGD every k steps: N = (1 + P)·{GATHERED_COPIES}·S/k (parameters and both Adam moments broadcast by"
       f" the driver at a round's start and gathered by it at its end); over the all-reduce,"
       f" N = 2·(P−1)/P·{GATHERED_COPIES}·S/k.", "",
       "| model, mode | W | link | measured ms | predicted ms | error |", "|---|---|---|---|---|---|"]
errors = []
for (name, w, rate), rs in groups.items():
    bw = bytes_per_s(rate)
    free = [r for (n2, w2, rate2), g2 in groups.items() if n2 == name and w2 == w and bytes_per_s(rate2) is None
            for r in g2]
    if bw is None or not free:
        continue
    driver = groups.get((name.split(" ")[0] + " driver", w, rate), rs)
    g = (med(rs, "gradient_bytes_per_task_per_step") * w / (w - 1) if "gradient_bytes_per_task_per_step" in rs[0]
         and w > 1
         else med(driver, "bytes_aggregated_per_step") / w)
    overlap = med(free, "ms_backward_after_early_send") if "ms_backward_after_early_send" in free[0] else 0
    pred = med(free, "ms_step") + network_ms(mode_of(name), w, rs[0]["param_bytes"], g, bw,
                                             rs[0].get("output_layer_bytes", 0), overlap, params_read(rs, w))
    meas = med(rs, "ms_step")
    errors.append(abs(pred / meas - 1))
    md.append(f"| {name} | {w} | {rate} | {meas:.0f} | {pred:.0f} | {100 * (pred / meas - 1):+.0f}% |")
if errors:
    md += ["", f"Largest error: {100 * max(errors):.0f}% over {len(errors)} settings."]

# Predictions for real clusters: one executor per host, STREAMS_EACH streams each; compute and the
# non-network cost per step from the local[2] bench of the same mode (two one-core tasks, no wire), plus for
# the all-reduce the round trips its reads wait for.
by_mode = {}
for r in local:
    by_mode.setdefault(r["mode"], []).append(r)
names = {"spark.aggregation=driver": "driver", "spark.aggregation=allreduce": "all-reduce",
         "spark.syncEvery=4": "local SGD k=4", "spark.syncEvery=16": "local SGD k=16",
         "spark.aggregation=driver spark.syncEvery=4": "local SGD k=4",
         "spark.aggregation=driver spark.syncEvery=16": "local SGD k=16",
         "spark.aggregation=allreduce spark.syncEvery=4": "all-reduce local SGD k=4",
         "spark.aggregation=allreduce spark.syncEvery=16": "all-reduce local SGD k=16"}
# A round trip between executors: the median of a control request (a read of a block that does not exist,
# answered at once) on the emulated network without a rate limit; JVMs on 2 shared cores, so an upper bound for
# idle hosts. Rows before that probe existed timed the reads that found nothing instead.
probed = [r for r in netem if bytes_per_s(r["rate"]) is None and r.get("ms_round_trip")]
timed = probed or [r for r in netem if bytes_per_s(r["rate"]) is None and r.get("ms_control_call")]
round_trip_ms = statistics.median(r.get("ms_round_trip") or r["ms_control_call"] for r in timed) if timed else 0
driver_rows = by_mode.get("spark.aggregation=driver", [])
if driver_rows:
    d = driver_rows
    c_tok = med(d, "ms_compute") / (d[0]["streams"] / 2 * BPTT)
    s = d[0]["param_bytes"]
    g = next((med(rs, "bytes_aggregated_per_step") / w for (n, w, _), rs in groups.items()
              if n == "lstm driver"), s / 2)
    codec = med(d, "codec_ms_per_mb")
    compute = STREAMS_EACH * BPTT * c_tok
    ar = by_mode.get("spark.aggregation=allreduce", [])
    out_bytes = ar[0].get("output_layer_bytes", 0) if ar else 0
    overlap = med(ar, "ms_backward_after_early_send") if ar and "ms_backward_after_early_send" in ar[0] else 0
    r_ar = params_read(ar, 2) if ar else None
    md += ["", "## Predictions for larger clusters", "",
           f"One executor of one core per host, {STREAMS_EACH} streams each (weak scaling), the bench LSTM, S ="
           f" {s / 1e6:.1f} MB, G = {g / 1e6:.1f} MB. Compute and the rest of a step (scheduling, hand-over, sums,"
           " the update, waiting for the slower task) come from the local[2] bench of each mode on this machine"
           " (two partitions of one core each; `jobs/netem-bench.sh --local-reps N` runs `jobs/run.sh bench"
           " --conf conf/brown-lstm.properties --warmup 5 --warmup-seconds 15 --steps 20 'spark.master=local[2]'"
           f" spark.partitions=2 data.valid= data.test= MODE`, BLAS {', '.join(sorted({r['blas'] for r in local}))},"
           f" {min(len(v) for v in by_mode.values())}–{max(len(v) for v in by_mode.values())} runs per mode):"
           f" compute {compute:.0f} ms per step ({c_tok:.3f} ms per token)."
           + (f" An all-reduce task reads R = {r_ar / 1e6:.1f} MB of parameters per step (a whole model's worth;"
              " of the embedding only the rows its window looks up)." if r_ar else "")
           + " The driver also decodes what it"
           f" receives ({codec:.2f} ms per MB). With the all-reduce each owner updates only its slice, so"
           " the update's time in the rest shrinks with the slices; a task also decodes (P−1)/P of what it reads and encodes"
           " and adds (P−1)/P of its gradient, half of each in local[2], so the codec's time for the difference is"
           " added. The all-reduce's slices are cut to equal expected traffic (SliceBounds), so they differ in length: the"
           " update's time scales by the longest slice at P over the longest at 2 (the bench reports both) instead"
           " of 2/P. Efficiency is the compute over the step time.", "",
           "| mode (local[2]) | runs | ms/step | compute | rest | of which update |", "|---|---|---|---|---|---|"]
    for key, rs in by_mode.items():
        md.append(f"| {names.get(key, key)} | {len(rs)} | {spread(rs, 'ms_step')} | {spread(rs, 'ms_compute')} |"
                  f" {med(rs, 'ms_step') - med(rs, 'ms_compute'):.0f} | {med(rs, 'ms_update'):.0f} |")
    md += ["", "The all-reduce sends nothing through the driver but scalars; its tasks read slices from each other."
           " A task asks for every block of a phase at once and before the block exists (its gradient slices and"
           " the counts before its compute, the norms then too, the next step's parameters before its update);"
           " the home holds each request and answers it as the block is stored, so a phase waits for the way back"
           " only: 1.5 round trips per step, plus one half per job of spark.syncsPerJob"
           f" = {SYNCS_PER_JOB} steps (its first step reads parameters that exist), plus one per local-SGD round"
           " (the moments, asked when needed). The model charges a round trip"
           f" {round_trip_ms:.2f} ms: the median control request between executors on the emulated network without"
           f" a rate limit ({len(timed)} runs; the executors' JVMs share 2 cores, so an upper bound for idle"
           " hosts). The output layer's gradient slices leave while the recurrent backward pass runs"
           f" ({overlap:.1f} ms per step after they went, measured in local[2]; output layer"
           f" {out_bytes / 1e6:.1f} MB), which hides min(E/rate, that time) of the wire.", "",
           "| mode | P | link | ms/step | tokens/s | efficiency | round trips per step |",
           "|---|---|---|---|---|---|---|"]
    best = (0, "")
    for key, rs in by_mode.items():
        mode = names.get(key, key)
        rest = med(rs, "ms_step") - med(rs, "ms_compute")
        for rate in ("10gbit", "25gbit"):
            for p in (8, 32, 128):
                k = sync_every(mode)
                r_mode = r_ar if k == 1 else None  # a local-SGD round reads everything
                if mode.startswith("all-reduce"):
                    rest_p = all_reduce_rest(rs, p, s, g, codec, r_mode)
                else:
                    rest_p = rest
                n = network_bytes(mode, p, s, g)
                received = n - s / k if not mode.startswith("all-reduce") else 0
                trips = round_trips(mode)
                step = (compute + rest_p + network_ms(mode, p, s, g, bytes_per_s(rate), out_bytes, overlap, r_mode)
                        + received / 1e6 * codec + trips * round_trip_ms)
                md.append(f"| {mode} | {p} | {rate} | {step:.0f} | {p * STREAMS_EACH * BPTT / step * 1e3:,.0f} |"
                          f" {100 * compute / step:.0f}% | {f'{trips:.2f}' if trips else ''} |")
                if p == 32 and rate == "10gbit":
                    best = max(best, (compute / step, mode))
    md += ["", f"Best predicted efficiency at 32 executors and 10 Gbit/s: {100 * best[0]:.0f}% ({best[1]})."]
    if ar:  # how much the answer depends on which rows give the compute
        own = med(ar, "ms_compute")
        rest_32 = all_reduce_rest(ar, 32, s, g, codec, r_ar)
        step = (own + rest_32 + network_ms("all-reduce", 32, s, g, bytes_per_s("10gbit"), out_bytes, overlap, r_ar)
                + round_trips("all-reduce") * round_trip_ms)
        md += ["", f"Every mode is charged the driver rows' compute ({compute:.0f} ms). The all-reduce's own local[2]"
               f" rows computed their windows in {own:.0f} ms; with that as the compute, the all-reduce at 32"
               f" executors and 10 Gbit/s takes {step:.0f} ms per step: {100 * own / step:.0f}% efficiency."]
accuracy = [r for r in rows if "accuracy" in r]
if accuracy:
    md += ["", "## Accuracy at equal training tokens", "",
           "Brown, the default configuration (2 epochs, 32 streams, Adam), Spark local[2] on 2 partitions; every mode"
           " sees the same tokens. Perplexity after the last epoch.", "",
           "| mode | command | valid | test | tokens/s | date, CPU |", "|---|---|---|---|---|---|"]
    for r in accuracy:
        a = r["accuracy"]
        speed = f"{a['tokens_per_s']:,.0f}" if a.get("tokens_per_s") else r.get("note", "")
        md.append(f"| {a['mode'].split(', ', 2)[-1] if a['mode'].count(',') > 1 else 'driver'} | `{r['command']}` |"
                  f" {a['valid_ppl']:.2f} | {a['test_ppl']:.2f} | {speed} | {r['date']}, {r['cpu']} |")
open(sys.argv[-1], "w").write("\n".join(md) + "\n")
