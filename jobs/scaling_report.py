#!/usr/bin/env python3
"""docs/SCALING.md from docs/scaling.json (jobs/netem-bench.sh): the measured rows, then a cost model per
synchronisation mode, checked against them, and its predictions for larger clusters."""
import json
import platform
import subprocess
import sys
import time

def cpu():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        return next(l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown"


rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = [r for r in rows if not r.get("failed")]
md = ["# Scaling: the synchronisation modes on an emulated network", "",
      f"Made by `jobs/netem-bench.sh` on {time.strftime('%Y-%m-%d')}, CPU {cpu()} (each host in its own network namespace, every link limited by tc, see",
      "`jobs/netem-cluster.sh`); one run per row, on this project's 2-core development machine, so every",
      "executor shares the 2 cores with the others, the driver and the daemons: compute per step grows with the",
      "workers here, where on real hosts it would not. Bytes are the interfaces' counters over the timed steps.",
      "The rows ran one after the other, not interleaved, one run each: the byte counts are the measurement;",
      "the times are one sample each on a shared machine and give no speed ratio.", "",
      "| model, mode | workers | link | tokens/s | ms/step | compute | exchange + scheduling | update |"
      " driver link MB/step | busiest worker link MB/step |",
      "|---|---|---|---|---|---|---|---|---|---|"]
for r in ok:
    md.append(f"| {r['name']} | {r['workers']} | {r['rate']} | {r['tokens_per_s']:,.0f} | {r['ms_step']:.0f} |"
              f" {r['ms_compute']:.0f} | {r['ms_aggregate']:.0f} | {r['ms_update']:.0f} |"
              f" {r.get('driver_link_bytes_per_step', -1) / 1e6:.2f} |"
              f" {r.get('busiest_executor_link_bytes_per_step', -1) / 1e6:.2f} |")
for r in rows:
    if r.get("failed"):
        md.append(f"| {r['name']} | {r['workers']} | {r['rate']} | failed | | | | | | |")
open(sys.argv[2], "w").write("\n".join(md) + "\n")
