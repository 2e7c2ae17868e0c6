"""Writes the report of jobs/softmax-bench.sh from its JSON lines.

softmax_report.py ROWS.json OUT.md CPU COMMAND TRAIN_TEXT [VALID_TEXT]
A generated corpus (jobs/make-corpus.sh) has a corpus.json beside its files; its floor perplexity (the
generator's own) is printed next to the perplexity that training reached on it.
"""
import datetime, glob, json, os, statistics, sys

from benchstats import spread

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cpu, command, train_text = sys.argv[3], sys.argv[4].strip(), sys.argv[5]
valid_text = sys.argv[6] if len(sys.argv) > 6 else ""
bench = [r for r in rows if "tokens_per_s" in r]
java = [r for r in bench if not r["side"].startswith("pytorch")]
torch = [r for r in bench if r["side"].startswith("pytorch")]
sgemm = [r for r in rows if "sgemm_gflops" in r]


def generated(path):
    """The corpus.json beside a generated corpus's files (tokens, seed, floor perplexity), or None."""
    files = glob.glob(path)
    meta = os.path.join(os.path.dirname(files[0]), "corpus.json") if files else ""
    return json.load(open(meta)) if meta and os.path.exists(meta) else None


def mm(rows):
    """Median GFLOP/s of the sides' 1120x256 by 256x14115 product (torch.mm, or the bench's sgemm probe)."""
    vals = [r.get("torch_mm_gflops") or r.get("sgemm_gflops") for r in rows]
    vals = [v for v in vals if v]
    return f"{statistics.median(vals):.0f}" if vals else "n/a"


adaptive = next((r for r in java if r["softmax"] == "adaptive"), None)
vocab = java[0]["vocab"] if java and "vocab" in java[0] else None
md = ["# Full and adaptive softmax", "",
      f"Made by `{command}` on {datetime.date.today()}, CPU {cpu}, BLAS"
      f" {', '.join(sorted({r['blas'] for r in java}))}. The bench LSTM (`conf/brown-lstm.properties`: embedding"
      f" and hidden 256, 32 streams, BPTT 35, Adam) on `{train_text}`"
      + (f", vocabulary {vocab:,} words" if vocab else "")
      + "; the Java sides differ only in `model.softmax` (adaptive: the default cutoffs for the vocabulary"
      + (f", {adaptive['cutoffs']}" if adaptive and "cutoffs" in adaptive else "")
      + ", tail clusters behind hidden/4, hidden/16, ... features)."
      + (f" PyTorch ({torch[0]['side']}, 2 threads, OpenMP OpenBLAS, glibc's allocator told to keep its memory)"
         " trains the same model with nn.AdaptiveLogSoftmaxWithLoss, the same vocabulary and cutoffs; on the"
         f" BLAS check (1120x256 by 256x14115, Brown's output layer, 2 threads) its torch.mm ran at {mm(torch)} GFLOP/s,"
         f" this project's sgemm at {mm(sgemm)}." if torch else "")
      + " The sides ran interleaved; medians with the range in brackets.", "",
      "| softmax | side | runs | tokens/s | ms/step | compute ms | MFLOP/token | GFLOP/s |", "|---|---|---|---|---|---|---|---|"]
for s in ("full", "adaptive"):
    rs = [r for r in java if r["softmax"] == s]
    if rs:
        md.append(f"| {s} | {rs[0]['side']} | {len(rs)} | {spread([r['tokens_per_s'] for r in rs])} |"
                  f" {spread([r['ms_step'] for r in rs])} | {spread([r['ms_compute'] for r in rs])} |"
                  f" {rs[0]['mflop_per_token']:.1f} | {spread([r['gflops'] for r in rs])} |")
if torch:
    md.append(f"| adaptive | {torch[0]['side']} | {len(torch)} | {spread([r['tokens_per_s'] for r in torch])} |"
              " | | | |")


def ratios(side, over):
    """tokens/s of side over tokens/s of over, run by run (the same rep)."""
    base = {r["rep"]: r["tokens_per_s"] for r in over}
    return [r["tokens_per_s"] / base[r["rep"]] for r in side if r["rep"] in base]


ours = [r for r in java if r["softmax"] == "adaptive"]
full = ratios(ours, [r for r in java if r["softmax"] == "full"])
md.append("")
if full:
    md.append(f"Adaptive over full, run by run: {spread(full, '{:.2f}')}x the tokens/s.")
if ratios(ours, torch):
    md.append(f"Adaptive over PyTorch's adaptive, run by run: {spread(ratios(ours, torch), '{:.2f}')}x the tokens/s.")
trained = [r for r in rows if "training" in r]
if trained:
    low = generated(valid_text) if valid_text else None
    md += ["", "Training runs with the same settings and number of tokens, perplexity at the end"
           + (f" (the valid text: {low['tokens']:,} tokens drawn from the same generator with seed {low['seed']};"
              f" the generator's floor on it: {low['floor_perplexity']:.1f})" if low else "") + ":", "",
           "| softmax | command | tokens | tokens/s | valid | test |", "|---|---|---|---|---|---|"]
    for r in trained:
        t = r["training"]
        ppl = [f"{v:.2f}" if isinstance(v, (int, float)) else "" for v in (t["valid_ppl"], t["test_ppl"])]
        md.append(f"| {r['softmax']} | `{r['command'].strip()}` | {t['train_tokens']:,} | {t['tokens_per_s']:,.0f} |"
                  f" {ppl[0]} | {ppl[1]} |")
open(sys.argv[2], "w").write("\n".join(md) + "\n")
print("\n".join(md))
