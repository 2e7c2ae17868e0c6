"""The PyTorch reference of a regularised word-level LSTM language model recipe, with the definitions of this
project's keys, trained for a wall-time budget: the other side of jobs/brown-best.sh.

    python3 jobs/pytorch_lm.py --conf conf/brown-best.properties      # the recipe of a config file
    python3 jobs/pytorch_lm.py --minutes 45 --embed 512 --tie --dropout 0.4 ...   # or given as flags

--conf reads the project's keys (a flag given as well overrides its key); a key whose setting this script does
not implement is refused.

The same data layout as the Java trainer: vocabulary = words seen more than --min-count times in the training
text + </s> + <unk> (most frequent first, ties in string order); </s> after every line; B streams of
L = ceil((N-1)/B) predictions that overlap by one token so that every transition is predicted once (padding is
ignored); BPTT windows with the state carried and detached, zero at each epoch's start. Evaluation: the same
layout with --eval-batch streams, no dropout, exp(mean NLL) over every predicted token.

Regularisation as AWD-LSTM (Merity et al. 2018) defines it and as the project's keys do: dropout on the embedding
output (dropout.input), between layers (dropout.hidden) and before the output layer (dropout.output), standard or
locked (one mask per stream for the window); embedding dropout (whole words dropped in a step, the rest scaled
by 1/(1-p)); DropConnect on weight_hh (a new mask every step); AR on the dropped last-layer output and TAR on
the raw one, per predicted token (mean over features); weight tying, behind a bias-free projection when embed
differs from hidden. Adam (or SGD), global-norm clipping, reduce-on-plateau (ReduceLROnPlateau's rule on the
validation perplexity), NT-ASGD (once a validation perplexity is worse than the best of those before the last
--average-patience, the model is the mean of the parameters after every step; that mean is evaluated).
Prints a progress line per --log-every steps and one JSON line at the end.
"""
import argparse, collections, json, math, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_mm import mm_gflops

try:
    from torch.func import functional_call
except ImportError:  # PyTorch 1.x
    from torch.nn.utils.stateless import functional_call

p = argparse.ArgumentParser()
p.add_argument("--conf", help="a conf/*.properties file of this project: its keys set the defaults below")
p.add_argument("--train", default="data/brown/train.txt")
p.add_argument("--valid", default="data/brown/valid.txt")
p.add_argument("--test", default="data/brown/test.txt")
p.add_argument("--min-count", type=int, default=3)
p.add_argument("--embed", type=int, default=512)
p.add_argument("--hidden", type=int, default=512)
p.add_argument("--layers", type=int, default=1)
p.add_argument("--tie", action="store_true")
p.add_argument("--bptt", type=int, default=35)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--eval-batch", type=int, default=10)
p.add_argument("--optim", choices=["adam", "sgd"], default="adam")
p.add_argument("--lr", type=float, default=2e-3)
p.add_argument("--clip", type=float, default=5.0)
p.add_argument("--init-scale", type=float, default=0.1)
p.add_argument("--dropout", type=float, default=0.0, help="input, hidden and output dropout where not set apart")
p.add_argument("--dropout-input", type=float)
p.add_argument("--dropout-hidden", type=float)
p.add_argument("--dropout-output", type=float)
p.add_argument("--dropout-embedding", type=float, default=0.0)
p.add_argument("--dropout-weight", type=float, default=0.0)
p.add_argument("--locked", action="store_true")
p.add_argument("--ar", type=float, default=0.0)
p.add_argument("--tar", type=float, default=0.0)
p.add_argument("--plateau", action="store_true", help="lr times --lr-decay when validation does not improve")
p.add_argument("--lr-decay", type=float, default=0.5)
p.add_argument("--lr-patience", type=int, default=0)
p.add_argument("--average", choices=["none", "nt"], default="none")
p.add_argument("--average-patience", type=int, default=5)
p.add_argument("--eval-every", type=int, default=0, help="steps between validations (0: every epoch)")
p.add_argument("--epochs", type=int, default=1000)
p.add_argument("--minutes", type=float, default=0.0, help="training budget, validations included (0: none)")
p.add_argument("--log-every", type=int, default=100)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=1)


def flag(v):
    return v.strip().lower() == "true"


def one_of(*choices):
    def convert(v):
        if v not in choices:
            raise ValueError("only " + " or ".join(choices) + " is implemented here")
        return v
    return convert


def schedule(v):
    return one_of("constant", "plateau")(v) == "plateau"


# The project's keys and the flags they set; keys about the run folder, logging or Spark do not change the recipe.
KEYS = {"data.train": ("train", str), "data.valid": ("valid", str), "data.test": ("test", str),
        "vocab.minCount": ("min_count", int), "model.embed": ("embed", int), "model.hidden": ("hidden", int),
        "model.layers": ("layers", int), "model.tie": ("tie", flag), "init.scale": ("init_scale", float),
        "train.bptt": ("bptt", int), "train.batch": ("batch", int), "train.epochs": ("epochs", int),
        "train.minutes": ("minutes", float), "eval.batch": ("eval_batch", int), "eval.every": ("eval_every", int),
        "optim": ("optim", one_of("adam", "sgd")), "optim.lr": ("lr", float), "clip": ("clip", float), "dropout": ("dropout", float),
        "dropout.input": ("dropout_input", float), "dropout.hidden": ("dropout_hidden", float),
        "dropout.output": ("dropout_output", float), "dropout.embedding": ("dropout_embedding", float),
        "dropout.weight": ("dropout_weight", float), "dropout.locked": ("locked", flag), "reg.ar": ("ar", float),
        "reg.tar": ("tar", float), "lr.schedule": ("plateau", schedule),
        "lr.decay": ("lr_decay", float), "lr.patience": ("lr_patience", int), "optim.average": ("average", one_of("none", "nt")),
        "optim.averagePatience": ("average_patience", int), "log.every": ("log_every", int), "seed": ("seed", int)}
IGNORED = ("out", "checkpoint.every", "resume", "overwrite", "spark.", "train.threads", "train.maxSteps")
REQUIRED = {"model.cell": "lstm", "model.softmax": "full", "init": "uniform", "model.peephole": "false"}


def conf_defaults(path):
    values = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = (part.strip() for part in line.partition("="))
        if key in REQUIRED:
            if value != REQUIRED[key]:
                sys.exit(f"{path}: {key}={value} is not implemented here (only {REQUIRED[key]})")
        elif key in KEYS:
            dest, convert = KEYS[key]
            if value:
                try:
                    values[dest] = convert(value)
                except ValueError as e:
                    sys.exit(f"{path}: {key}={value}: {e}")
        elif not key.startswith(IGNORED):
            sys.exit(f"{path}: the key {key} is not implemented here")
    return values


known, _ = p.parse_known_args()
if known.conf:
    p.set_defaults(**conf_defaults(known.conf))
a = p.parse_args()
for site in ("input", "hidden", "output"):
    if getattr(a, "dropout_" + site) is None:
        setattr(a, "dropout_" + site, a.dropout)
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


def lines(path):
    return [l.split() + ["</s>"] for l in open(path, encoding="utf-8") if l.split()]


train_lines = lines(a.train)
counts = collections.Counter(w for l in train_lines for w in l)
words = ["</s>", "<unk>"] + sorted((w for w, c in counts.items() if c > a.min_count and w not in ("</s>", "<unk>")),
                                   key=lambda w: (-counts[w], w))
ids = {w: i for i, w in enumerate(words)}


def streams(text_lines, b):
    """(L+1, B) token ids in the overlapping layout, -1 past the end."""
    tokens = torch.tensor([ids.get(w, 1) for l in text_lines for w in l], dtype=torch.long)
    b = max(1, min(b, tokens.numel() - 1))
    length = max(1, (tokens.numel() - 1 + b - 1) // b)
    out = torch.full((length + 1, b), -1, dtype=torch.long)
    for s in range(b):
        part = tokens[s * length: s * length + length + 1]
        out[: part.numel(), s] = part
    return out


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(words), a.embed)
        sizes = [a.embed] + [a.hidden] * a.layers
        self.rnns = nn.ModuleList(nn.LSTM(sizes[i], sizes[i + 1]) for i in range(a.layers))
        self.proj = nn.Linear(a.hidden, a.embed, bias=False) if a.tie and a.embed != a.hidden else None
        self.out = nn.Linear(a.embed if a.tie else a.hidden, len(words))
        for prm in self.parameters():
            nn.init.uniform_(prm, -a.init_scale, a.init_scale)
        if a.tie:
            self.out.weight = self.emb.weight

    def drop(self, x, rate):
        """Standard dropout, or locked: one (B, F) mask for every step of the window."""
        if not self.training or rate == 0:
            return x
        if not a.locked:
            return F.dropout(x, rate, True)
        mask = x.new_empty(1, x.size(1), x.size(2)).bernoulli_(1 - rate) / (1 - rate)
        return x * mask

    def forward(self, x, state):
        """Logits (T*B, V), the last layer's output after and before dropout, and the next state."""
        w = self.emb.weight
        if self.training and a.dropout_embedding > 0:
            keep = w.new_empty(w.size(0), 1).bernoulli_(1 - a.dropout_embedding) / (1 - a.dropout_embedding)
            w = w * keep
        y = self.drop(F.embedding(x.clamp(min=0), w), a.dropout_input)
        new_state = []
        for i, rnn in enumerate(self.rnns):
            if self.training and a.dropout_weight > 0:
                params = dict(rnn.named_parameters())
                params["weight_hh_l0"] = F.dropout(params["weight_hh_l0"], a.dropout_weight, True)
                y, s = functional_call(rnn, params, (y, state[i] if state else None))
            else:
                y, s = rnn(y, state[i] if state else None)
            new_state.append(s)
            if i < len(self.rnns) - 1:
                y = self.drop(y, a.dropout_hidden)
        raw = y
        y = self.drop(y, a.dropout_output)
        h = y.reshape(-1, y.size(-1))
        return self.out(self.proj(h) if self.proj is not None else h), (y, raw), new_state


def penalties(outputs, targets):
    """AR α·Σ mean_j h² over rows with a target, TAR β·Σ mean_j (h_t - h_t-1)² where both steps have one."""
    dropped, raw = outputs
    has = targets >= 0
    total = 0.0
    if a.ar:
        total = total + a.ar * (dropped.pow(2).mean(-1) * has).sum()
    if a.tar:
        both = has[1:] & has[:-1]
        total = total + a.tar * ((raw[1:] - raw[:-1]).pow(2).mean(-1) * both).sum()
    return total


def detach(state):
    return [tuple(t.detach() for t in s) for s in state]


def evaluate(model, data):
    model.eval()
    nll, count, state = 0.0, 0, None
    with torch.no_grad():
        for i in range(0, data.size(0) - 1, a.bptt):
            x, y = data[i:i + a.bptt], data[i + 1:i + 1 + a.bptt]
            x = x[: y.size(0)]
            logits, _, state = model(x, state)
            nll += F.cross_entropy(logits, y.reshape(-1), ignore_index=-1, reduction="sum").item()
            count += int((y >= 0).sum())
    model.train()
    return math.exp(nll / count)


train, valid, test = streams(train_lines, a.batch), streams(lines(a.valid), a.eval_batch), streams(lines(a.test), a.eval_batch)
model = LM()
opt = (torch.optim.Adam(model.parameters(), lr=a.lr) if a.optim == "adam"
       else torch.optim.SGD(model.parameters(), lr=a.lr))
windows = (train.size(0) - 1 + a.bptt - 1) // a.bptt
print(f"PyTorch {torch.__version__}: {sum(p.numel() for p in model.parameters())} parameters, {len(words)} words,"
      f" {windows} windows per epoch", flush=True)

mean, average_from, history, best, bad, factor = None, -1, [], math.inf, 0, 1.0


def load(tensors):
    with torch.no_grad():
        for q, t in zip(model.parameters(), tensors):
            q.copy_(t)


def validate():
    """Validation perplexity of the model: the iterate mean while averaging, else the parameters."""
    if mean is None:
        return evaluate(model, valid)
    saved = [q.detach().clone() for q in model.parameters()]
    load(mean)
    ppl = evaluate(model, valid)
    load(saved)
    return ppl


# What this machine's BLAS does for PyTorch, before the budget starts: Brown's 256-unit output layer (the shape of
# spark-rnn bench --sgemm) and this recipe's own output product.
blas_check = {"torch_mm_gflops": mm_gflops(),
              "torch_mm_gflops_output_layer": mm_gflops(a.batch * a.bptt, a.embed if a.tie else a.hidden, len(words))}
print(json.dumps(blas_check), flush=True)
began = time.perf_counter()
step, tokens, train_seconds, out_of_time = 0, 0, 0.0, False
for epoch in range(a.epochs):
    state = None
    for w in range(windows):
        t0 = time.perf_counter()
        i = w * a.bptt
        x, y = train[i:i + a.bptt], train[i + 1:i + 1 + a.bptt]
        x = x[: y.size(0)]
        for g in opt.param_groups:
            g["lr"] = a.lr * factor
        opt.zero_grad()
        logits, outputs, state = model(x, state)
        state = detach(state)
        n = int((y >= 0).sum())
        loss = (F.cross_entropy(logits, y.reshape(-1), ignore_index=-1, reduction="sum") + penalties(outputs, y)) / n
        loss.backward()
        if a.clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        step += 1
        tokens += n
        if mean is not None:
            with torch.no_grad():
                for m, q in zip(mean, model.parameters()):
                    m.add_((q - m) / (step - average_from + 1))
        train_seconds += time.perf_counter() - t0
        out_of_time = a.minutes > 0 and time.perf_counter() - began >= a.minutes * 60
        end_of_epoch = w == windows - 1
        if step % a.log_every == 0:
            print(f"step {step} epoch {epoch + 1} loss {loss.item():.4f} lr {a.lr * factor:.3g}"
                  f" {tokens / train_seconds:.0f} tokens/s {time.perf_counter() - began:.0f} s", flush=True)
        if out_of_time:
            break
        if a.eval_every > 0 and step % a.eval_every == 0 or a.eval_every == 0 and end_of_epoch:
            ppl = validate()
            worse = len(history) > a.average_patience and ppl > min(history[: len(history) - a.average_patience])
            history.append(ppl)
            if ppl < best:
                best, bad = ppl, 0
            elif a.plateau:
                bad += 1
                if bad > a.lr_patience:
                    factor, bad = factor * a.lr_decay, 0
            print(f"epoch {epoch + 1} step {step} valid perplexity {ppl:.2f}", flush=True)
            if worse and a.average == "nt" and mean is None:
                mean, average_from = [q.detach().clone() for q in model.parameters()], step
                print(f"averaging from step {step} on (NT-ASGD)", flush=True)
    if out_of_time:
        break

seconds = time.perf_counter() - began
if mean is not None:
    load(mean)
result = {"side": "pytorch " + torch.__version__, "steps": step, "epochs": step / windows, "train_tokens": tokens,
          "seconds": seconds, "tokens_per_s": tokens / train_seconds, "average_from": average_from,
          "valid_ppl": evaluate(model, valid), "test_ppl": evaluate(model, test), **blas_check}
print(json.dumps(result), flush=True)
