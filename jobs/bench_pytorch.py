"""The PyTorch side of jobs/bench.sh: the same model, data layout and optimizer as the Java benchmark.

Word-level LM on the Brown training text: vocab = words seen more than 3 times + <unk> + </s>,
32 streams (batchify), BPTT 35 with detached carried state, full softmax cross-entropy, Adam 2e-3,
clip 5. Prints one JSON line with tokens/s over the measured steps.
"""
import argparse, collections, json, time

import torch
import torch.nn as nn

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
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

lines = [l.split() + ["</s>"] for l in open(a.train, encoding="utf-8") if l.split()]
counts = collections.Counter(w for l in lines for w in l)
words = ["</s>", "<unk>"] + sorted((w for w, c in counts.items() if c > 3 and w not in ("</s>", "<unk>")),
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
        self.out = nn.Linear(a.hidden, len(words))

    def forward(self, x, h):
        y, h = self.rnn(self.emb(x), h)
        return self.out(y), h


model = LM()
for prm in model.parameters():
    nn.init.uniform_(prm, -0.1, 0.1)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
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
    logits, h = model(x, h)
    loss = loss_fn(logits.view(-1, len(words)), y.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    tokens += y.numel()
seconds = time.perf_counter() - start
blas = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() and "/" in l})
print(json.dumps({"side": "pytorch " + torch.__version__, "cell": a.cell, "layers": a.layers,
                  "tokens_per_s": tokens / seconds, "steps": a.steps, "threads": a.threads,
                  "vocab": len(words), "blas": "; ".join(blas)}))
