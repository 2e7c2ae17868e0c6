"""Writes the report of jobs/large-corpus-run.sh: docs/large-corpus.json and docs/LARGE-CORPUS.md.

large_corpus_report.py WORK DOCS COMMAND HEAP CPU CORPUS KILLED_AT
WORK holds the runs whole/ and killed/ (killed, then resumed), their logs and GC logs, and compare.json.
"""
import datetime, json, os, re, sys

work, docs, command, heap, cpu, corpus, killed_at = sys.argv[1:]


def text(name):
    return open(os.path.join(work, name)).read()


def found(pattern, name, cast=float):
    m = re.search(pattern, text(name))
    return cast(m.group(1).replace(",", "")) if m else None


def live_mb(name):
    """The largest heap left after a collection: what the run kept alive, plus garbage not yet collected."""
    sizes = [int(m) for m in re.findall(r"\d+M->(\d+)M\(\d+M\)", text(name + ".gc.log"))]
    return max(sizes) if sizes else None


def fmt(value, spec=",", none="n/a"):
    return none if value is None else format(value, spec)


summary = json.load(open(os.path.join(work, "whole", "summary.json")))
metrics = [json.loads(l) for l in open(os.path.join(work, "whole", "metrics.jsonl"))]
steady = sorted(m["tokens_per_s"] for m in metrics[len(metrics) // 3:])  # past the JIT compiler's first minutes
tps = steady[len(steady) // 2]
tokens_per_step = summary["train_tokens"] / summary["steps"]
windows = found(r"(\d+) batches per epoch", "whole.log", int)
meta = os.path.join(corpus, "corpus.json")
compare = json.load(open(os.path.join(work, "compare.json")))
r = {"command": command, "date": str(datetime.date.today()), "cpu": cpu, "heap": heap, "corpus": corpus,
     "corpus_tokens": json.load(open(meta))["tokens"] if os.path.exists(meta) else None,
     "vocab": summary["vocab"], "params": summary["params"],
     "vocab_seconds": found(r"counted on the executors in ([\d.]+) s", "whole.log"),
     "train_tokens_cached": found(r"Training text: ([\d,]+) tokens", "whole.log", int),
     "partitions": found(r"in (\d+) cached partitions", "whole.log", int),
     "partition_seconds": found(r"cut in ([\d.]+) s", "whole.log"),
     "steps": summary["steps"], "tokens_per_s_median": tps, "tokens_per_s_run": summary["tokens_per_s"],
     "hours_per_epoch": windows * tokens_per_step / tps / 3600 if windows else None,
     "live_heap_mb": {n: live_mb(n) for n in ("whole", "killed", "resumed")},
     "killed_after_step": int(killed_at),
     "resumed_from_step": found(r"Resuming \S+ at step (\d+)", "resumed.log", int), "compare": compare}
json.dump(r, open(os.path.join(docs, "large-corpus.json"), "w"), indent=1)
heaps = r["live_heap_mb"]
diff = {k: f"{compare[k]['differing']:,} of {compare[k]['values']:,}"
        for k in ("params", "optimizer_state", "carried_state")}
md = ["# 100 million tokens in a small heap", "",
      f"Made by `{command.strip()}` on {r['date']}, CPU {cpu}: Spark local[2] at -Xmx{heap}, the bench LSTM"
      " (`conf/brown-lstm.properties`: embedding and hidden 256, 32 streams, BPTT 35, Adam) with the adaptive softmax"
      f" on `{corpus}` ({fmt(r['corpus_tokens'])} tokens in gzip files read through a glob).", "",
      "| | |", "|---|---|",
      f"| vocabulary | {r['vocab']:,} words ({r['params']:,} parameters), counted on the executors in"
      f" {fmt(r['vocab_seconds'], '.1f')} s |",
      f"| partitions | {fmt(r['train_tokens_cached'])} tokens cut into {fmt(r['partitions'])} cached partitions in"
      f" {fmt(r['partition_seconds'], '.1f')} s |",
      f"| largest heap after a GC | {fmt(heaps['whole'])} MB of {heap} (killed run: {fmt(heaps['killed'])},"
      f" resumed: {fmt(heaps['resumed'])}) |",
      f"| tokens/s | {tps:,.0f} (median of the logged intervals after the first third of {r['steps']} steps; whole"
      f" run with its checkpoints {summary['tokens_per_s']:,.0f}) |",
      f"| one epoch | {fmt(windows)} steps of {tokens_per_step:,.0f} tokens: {fmt(r['hours_per_epoch'], '.1f')} hours"
      " at that speed |",
      f"| kill and resume | killed (SIGKILL) once it had logged step {killed_at}, resumed from the checkpoint of step"
      f" {fmt(r['resumed_from_step'])}; against the uninterrupted run, values that differ: parameters"
      f" {diff['params']}, optimizer state {diff['optimizer_state']}, carried state {diff['carried_state']};"
      f" identical: {compare['identical']} |", ""]
open(os.path.join(docs, "LARGE-CORPUS.md"), "w").write("\n".join(md))
print("\n".join(md))
