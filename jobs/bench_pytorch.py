"""The PyTorch side of jobs/bench.sh: the same model, data layout and optimizer as the Java benchmark.

Word-level LM on the Brown training text: vocab = words seen more than 3 times + <unk> + </s>,
32 streams (batchify), BPTT 35 with detached carried state, full softmax cross-entropy (or, with
--cutoffs, nn.AdaptiveLogSoftmaxWithLoss with head_bias=True, as the Java side's model.softmax=adaptive),
Adam 2e-3, clip 5. --train takes a text or a glob of gzip files. Prints one JSON line with tokens/s over the
measured steps.
"""
import argparse, collections, glob, gzip, json, time

import torch
import torch.nn as nn

from torch_mm import mm_gflops

p = argparse.ArgumentParser()
p.add_argument("--train", default="data/brown/train.txt")
p.add_argument("--cell", default="lstm")
p.add_argument("--layers", type=int, default=1)
p.add_argument("--embed", type=int, default=256)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--bptt", type=int, default=35)
p.add_argument("--warmup", type=int, default=5)
p.add_argument("--steps", type=int, default=30)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--cutoffs", default="", help="adaptive softmax cutoffs such as 2000,10000 (empty: full softmax)")
p.add_argument("--div-value", type=float, default=4.0)
p.add_argument("--min-count", type=int, default=3)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

files = sorted(glob.glob(a.train))
lines = [l.split() + ["</s>"] for f in files
         for l in (gzip.open(f, "rt", encoding="utf-8") if f.endswith(".gz") else open(f, encoding="utf-8"))
         if l.split()]
counts = collections.Counter(w for l in lines for w in l)
words = ["</s>", "<unk>"] + sorted((w for w, c in counts.items() if c > a.min_count and w not in ("</s>", "<unk>")),
                                   key=lambda w: (-counts[w], w))
ids = {w: i for i, w in enumerate(words)}
data = torch.tensor([ids.get(w, 1) for l in lines for w in l], dtype=torch.long)
n = data.size(0) // a.batch
data = data[: n * a.batch].view(a.batch, n).t().contiguous()  # (L, B)


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(words), a.embed)
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[a.cell]
        self.rnn = rnn(a.embed, a.hidden, a.layers)
        cutoffs = [int(c) for c in a.cutoffs.split(",") if c]
        self.out = (nn.AdaptiveLogSoftmaxWithLoss(a.hidden, len(words), cutoffs, div_value=a.div_value,
                                                  head_bias=True) if cutoffs else nn.Linear(a.hidden, len(words)))

    def forward(self, x, h):
        y, h = self.rnn(self.emb(x), h)
        return y, h

    def loss(self, y, targets):
        y = y.reshape(-1, y.shape[-1])
        if isinstance(self.out, nn.AdaptiveLogSoftmaxWithLoss):
            return self.out(y, targets).loss
        return nn.functional.cross_entropy(self.out(y), targets)


model = LM()
for prm in model.parameters():
    nn.init.uniform_(prm, -0.1, 0.1)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
h = None


def detach(h):
    return None if h is None else (tuple(x.detach() for x in h) if isinstance(h, tuple) else h.detach())


tokens = 0
start = None
for step in range(a.warmup + a.steps):
    if step == a.warmup:
        start = time.perf_counter()
        tokens = 0
    i = (step * a.bptt) % (data.size(0) - a.bptt - 1)
    x, y = data[i:i + a.bptt], data[i + 1:i + 1 + a.bptt]
    h = detach(h)
    opt.zero_grad()
    out, h = model(x, h)
    loss = model.loss(out, y.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    tokens += y.numel()
seconds = time.perf_counter() - start


blas = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() and "/" in l})
print(json.dumps({"side": "pytorch " + torch.__version__, "cell": a.cell, "layers": a.layers,
                  "tokens_per_s": tokens / seconds, "steps": a.steps, "threads": a.threads,
                  "vocab": len(words), "softmax": "adaptive " + a.cutoffs if a.cutoffs else "full",
                  "blas": "; ".join(blas), "torch_mm_gflops": mm_gflops()}))
