"""The table of jobs/listops-runs.sh from run folders: model, parameters, epochs and minutes trained, best
validation accuracy and final valid / test accuracy (summary.json), as Markdown."""
import json, sys

DESCRIBE = {"treelstm": "binary Tree-LSTM", "childsum": "Child-Sum Tree-LSTM", "rnn": "recursive network"}
print("| model | cell | parameters | epochs | training minutes | best valid accuracy | valid accuracy | test accuracy |")
print("|---|---|---|---|---|---|---|---|")
for run in sys.argv[1:]:
    s = json.load(open(f"{run}/summary.json"))
    conf = dict(l.strip().split("=", 1) for l in open(f"{run}/config.properties") if "=" in l and not l.startswith("#"))
    cell, chain = conf["model.cell"], conf.get("tree.shape") == "chain"
    name = "LSTM over the tokens (Child-Sum cell on chains)" if chain else DESCRIBE[cell]
    rows = [json.loads(l) for l in open(f"{run}/metrics.jsonl")]
    best = max((r["valid_accuracy"] for r in rows if "valid_accuracy" in r), default=float("nan"))
    epochs = max(r["epoch"] for r in rows if "epoch" in r)
    print(f"| {name} | {cell}{', tree.shape=chain' if chain else ''} | {s['params']:,} | {epochs:.1f} | "
          f"{s['seconds'] / 60:.1f} | {100 * best:.2f} % | {100 * s['valid_accuracy']:.2f} % | "
          f"{100 * s['test_accuracy']:.2f} % |")
