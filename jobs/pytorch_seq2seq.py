"""PyTorch reference of spark-rnn's encoder-decoder with attention (model.family=seq2seq).

    python3 jobs/pytorch_seq2seq.py loss --model EXPORT_DIR --data PREFIX --source en --target de [--batch 64]
    python3 jobs/pytorch_seq2seq.py train --data-dir DIR --source en --target de --minutes M --out OUTDIR
            [--embed 256 --hidden 256 --cell lstm --attention general --batch 64 --lr 2e-3 --clip 5
             --min-count 1 --beam 5 --alpha 1.0 --threads 2 --seed 1]

`loss` loads a folder written by `spark-rnn export` (model.npz, vocab.source.txt, vocab.target.txt,
spec.json) with load_state_dict and prints, as its last line, {"loss", "tokens", "ppl"} over the pairs
PREFIX.SOURCE / PREFIX.TARGET (pairs with an empty side left out): the same numbers as the Java side's
perplexity with the same weights.

`train` trains the same model from scratch on DIR/train.* for M minutes of training time, reports valid and
test perplexity, decodes DIR/test.SOURCE greedily and by beam search, scores both with sacrebleu, and writes
OUTDIR/test.greedy.TARGET, OUTDIR/test.beam.TARGET, OUTDIR/result.json and OUTDIR/model (the export format,
so `loss` reads it back).

The model (Luong et al. 2015, with input feeding), as io.sparkrnn.nn.Seq2Seq formulates it:
  tokens    a line split on whitespace, unknown words -> <unk> (id 1), </s> (id 0) appended to both sides;
            the decoder reads the previous target token, starting from </s>, and predicts every target token
            including the final </s>.
  encoder   enc.emb, enc.rnn (LSTM/GRU, optionally bidirectional) over the packed source; its outputs per
            position are [forward | backward]; its final state is not used.
  decoder   dec.emb, dec.rnn from zero state; input at step t = [emb(y_{t-1}); htilde_{t-1}], htilde_{-1} = 0.
  attention masked softmax over the real source positions of dot (h.e), general ((W h).e, attn.weight) or
            additive (v.tanh(Wq h + Wk e), attn.query / attn.key / attn.v) scores; context c = sum_s a_s e_s.
  output    htilde = tanh(combine([c; h])), logits = out(htilde).
"""
import argparse
import json
import math
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

EOS, UNK = "</s>", "<unk>"
EOS_ID, UNK_ID = 0, 1
MAX_LENGTH = 50  # training pairs with a longer side (</s> included) are left out, as seq2seq.maxLength

# Java's Character.isWhitespace, which the Java tokenizer splits on: unlike Python's str.split it keeps
# the no-break spaces (U+00A0, U+2007, U+202F) and U+0085 inside words.
JAVA_WHITESPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+")


# ---------------------------------------------------------------------------------------------------- data

def words(line):
    return [w for w in JAVA_WHITESPACE.split(line) if w]


def read_lines(path):
    # Universal newlines split on \n, \r and \r\n, the line ends Java's readers know.
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def build_vocab(lines, min_count):
    """</s>, <unk>, then words seen more than min_count times, most frequent first, ties in string order."""
    counts = {}
    for line in lines:
        for w in words(line):
            counts[w] = counts.get(w, 0) + 1
    kept = [w for w, c in counts.items() if c > min_count and w not in (EOS, UNK)]
    # UTF-16 code units order strings as Java's String.compareTo does.
    kept.sort(key=lambda w: (-counts[w], w.encode("utf-16-be")))
    return [EOS, UNK] + kept


def ids(line, index):
    """Token ids of a line with </s> appended; [] for a blank line."""
    toks = [index.get(w, UNK_ID) for w in words(line)]
    return toks + [EOS_ID] if toks else []


def read_pairs(src_path, tgt_path, src_index, tgt_index, max_length=0):
    """(source ids, target ids) of the lines of two parallel files, pairs with an empty side left out."""
    src, tgt = read_lines(src_path), read_lines(tgt_path)
    if len(src) != len(tgt):
        sys.exit(f"{src_path} has {len(src)} lines but {tgt_path} {len(tgt)}")
    pairs = []
    for s, t in zip(src, tgt):
        s, t = ids(s, src_index), ids(t, tgt_index)
        if s and t and (max_length == 0 or max(len(s), len(t)) <= max_length):
            pairs.append((s, t))
    return pairs


def length_batches(pairs, size):
    """Pairs sorted by (source length, target length, index), cut into runs of `size`."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), len(pairs[i][1]), i))
    return [[pairs[i] for i in order[k:k + size]] for k in range(0, len(order), size)]


def pad_sources(sources):
    """(S, B) padded with 0 (never read: packing and the mask skip it) and the lengths (B)."""
    lengths = torch.tensor([len(s) for s in sources])
    x = torch.zeros(int(lengths.max()), len(sources), dtype=torch.long)
    for j, s in enumerate(sources):
        x[:len(s), j] = torch.tensor(s)
    return x, lengths


def tensors(batch):
    """Source (S, B), lengths, decoder inputs (T, B) and targets (T, B), -1 marking target padding."""
    src, lengths = pad_sources([s for s, _ in batch])
    steps = max(len(t) for _, t in batch)
    tgt_in = torch.zeros(steps, len(batch), dtype=torch.long)
    tgt_out = torch.full((steps, len(batch)), -1, dtype=torch.long)
    for j, (_, t) in enumerate(batch):
        tgt_out[:len(t), j] = torch.tensor(t)
        tgt_in[1:len(t), j] = torch.tensor(t[:-1])  # row 0 stays </s>, the start symbol
    return src, lengths, tgt_in, tgt_out


# --------------------------------------------------------------------------------------------------- model

class Attention(nn.Module):
    """Scores of the decoder's h over the encoder outputs; parameters named as the export names them."""

    def __init__(self, score, hidden, enc_size, attn_size):
        super().__init__()
        self.score = score
        if score == "general":
            self.weight = nn.Parameter(torch.empty(enc_size, hidden))
        elif score == "additive":
            self.query = nn.Parameter(torch.empty(attn_size, hidden))
            self.key = nn.Parameter(torch.empty(attn_size, enc_size))
            self.v = nn.Parameter(torch.empty(1, attn_size))
        elif score == "dot":
            if hidden != enc_size:
                raise ValueError("dot attention needs the encoder's output size to equal the decoder's")
        else:
            raise ValueError(f"unknown attention {score}")

    def keys(self, enc):
        """What the scores compare h with, computed once per batch: (W h).e = h.(W^T e) for general."""
        if self.score == "general":
            return enc @ self.weight
        if self.score == "additive":
            return enc @ self.key.t()
        return enc

    def scores(self, h, keys):
        if self.score == "additive":
            return (torch.tanh(keys + (h @ self.query.t()).unsqueeze(1)) @ self.v.t()).squeeze(2)
        return torch.bmm(keys, h.unsqueeze(2)).squeeze(2)


class Encoded:
    """A batch's encoder outputs (B, S, Hs), attention keys and mask (B, S) of real positions."""

    def __init__(self, outputs, keys, mask):
        self.outputs, self.keys, self.mask = outputs, keys, mask

    def repeat(self, k):
        """Each sentence k times in a row: the rows of its beam."""
        return Encoded(*(x.repeat_interleave(k, 0) for x in (self.outputs, self.keys, self.mask)))


class Seq2Seq(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[spec["cell"]]
        e, h = spec["embed"], spec["hidden"]
        self.enc_size = 2 * h if spec["bidirectional"] else h
        self.enc = nn.Module()
        self.enc.emb = nn.Embedding(spec["sourceVocab"], e)
        self.enc.rnn = rnn(e, h, spec["encoderLayers"], bidirectional=spec["bidirectional"])
        self.dec = nn.Module()
        self.dec.emb = nn.Embedding(spec["targetVocab"], e)
        self.dec.rnn = rnn(e + h, h, spec["decoderLayers"])
        self.attn = Attention(spec["attention"], h, self.enc_size, spec["attnSize"])
        self.combine = nn.Linear(self.enc_size + h, h)
        self.out = nn.Linear(h, spec["targetVocab"])

    def encode(self, src, lengths):
        # Packing keeps padding out of both directions, so it never changes a real position's output.
        packed = pack_padded_sequence(self.enc.emb(src), lengths, enforce_sorted=False)
        out, _ = self.enc.rnn(packed)
        out, _ = pad_packed_sequence(out, total_length=src.shape[0])
        enc = out.transpose(0, 1).contiguous()
        mask = torch.arange(src.shape[0]).unsqueeze(0) < lengths.unsqueeze(1)
        return Encoded(enc, self.attn.keys(enc), mask)

    def step(self, enc, emb, state, feed):
        """One decoder step: embeddings of the previous tokens (B, E) and htilde (B, H) -> htilde_t, state."""
        x = torch.cat([emb, feed], 1).unsqueeze(0)
        out, state = self.dec.rnn(x, state)
        h = out[0]
        # Padding gets -inf, so its weight after the softmax is exactly 0.
        a = torch.softmax(self.attn.scores(h, enc.keys).masked_fill(~enc.mask, float("-inf")), 1)
        context = torch.bmm(a.unsqueeze(1), enc.outputs).squeeze(1)
        return torch.tanh(self.combine(torch.cat([context, h], 1))), state

    def start(self, rows):
        """Zero state (None makes the RNN start from zeros) and zero htilde."""
        return None, torch.zeros(rows, self.spec["hidden"])

    def forward(self, src, lengths, tgt_in, tgt_out):
        """Summed NLL of the real target tokens, with teacher forcing."""
        enc = self.encode(src, lengths)
        state, feed = self.start(src.shape[1])
        # One lookup for all steps: per-step lookups would each add a dense (Vt, E) gradient in backward.
        emb = self.dec.emb(tgt_in)
        outs = []
        for t in range(tgt_in.shape[0]):
            feed, state = self.step(enc, emb[t], state, feed)
            outs.append(feed)
        # The output layer once over the real target positions of all T*B rows: input feeding only
        # serialises the recurrence, and padding rows would cost a softmax each.
        real = (tgt_out.view(-1) >= 0).nonzero().squeeze(1)
        rows = torch.stack(outs).view(-1, feed.shape[1]).index_select(0, real)
        return F.cross_entropy(self.out(rows), tgt_out.view(-1).index_select(0, real), reduction="sum")


def select_state(state, rows):
    """The decoder state of the given rows (a beam's back-pointers); LSTM state is (h, c)."""
    if isinstance(state, tuple):
        return tuple(s.index_select(1, rows) for s in state)
    return state.index_select(1, rows)


# -------------------------------------------------------------------------------------------- export I/O

def load_export(folder):
    with open(os.path.join(folder, "spec.json")) as f:
        spec = json.load(f)
    if spec.get("family") != "seq2seq":
        sys.exit(f"{folder} holds a model.family={spec.get('family')} model, not seq2seq")
    model = Seq2Seq(spec)
    weights = np.load(os.path.join(folder, "model.npz"))
    model.load_state_dict({k: torch.from_numpy(weights[k]) for k in weights.files})
    src_vocab = read_lines(os.path.join(folder, "vocab.source.txt"))
    tgt_vocab = read_lines(os.path.join(folder, "vocab.target.txt"))
    return model, src_vocab, tgt_vocab


def save_export(folder, model, src_vocab, tgt_vocab):
    os.makedirs(folder, exist_ok=True)
    np.savez(os.path.join(folder, "model.npz"),
             **{k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()})
    for name, vocab in (("vocab.source.txt", src_vocab), ("vocab.target.txt", tgt_vocab)):
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(w + "\n" for w in vocab))
    with open(os.path.join(folder, "spec.json"), "w") as f:
        json.dump(model.spec, f, indent=2)


# ------------------------------------------------------------------------------------------------ evaluate

@torch.no_grad()
def total_loss(model, pairs, batch):
    """Summed NLL and predicted tokens over the pairs; batches of similar length waste little on padding."""
    model.eval()
    loss, tokens = 0.0, 0
    for b in length_batches(pairs, batch):
        loss += model(*tensors(b)).item()
        tokens += sum(len(t) for _, t in b)
    return loss, tokens


def perplexity(model, pairs, batch):
    loss, tokens = total_loss(model, pairs, batch)
    return math.exp(loss / tokens)


# -------------------------------------------------------------------------------------------------- decode

def limit(source):
    """At most 2 * (source length incl. </s>) + 10 output tokens."""
    return 2 * len(source) + 10


@torch.no_grad()
def greedy_batch(model, sources):
    """The argmax token at every step until </s> or the length limit; ids without the </s>."""
    enc = model.encode(*pad_sources(sources))
    state, feed = model.start(len(sources))
    prev = torch.zeros(len(sources), dtype=torch.long)
    out = [[] for _ in sources]
    done = [False] * len(sources)
    t = 0
    while not all(done):
        feed, state = model.step(enc, model.dec.emb(prev), state, feed)
        prev = model.out(feed).argmax(1)  # the first maximum on ties, the lowest id as on the Java side
        for j, tok in enumerate(prev.tolist()):
            if done[j]:
                continue
            if tok != EOS_ID:
                out[j].append(tok)
            done[j] = tok == EOS_ID or t + 1 >= limit(sources[j])
        t += 1
    return out


def rank(hyp, alpha):
    """log p / length^alpha, the length counting the final </s> if the hypothesis ended with one."""
    toks, logp = hyp
    return logp if alpha == 0 else logp / max(1, len(toks)) ** alpha


@torch.no_grad()
def beam_batch(model, sources, k, alpha):
    """Beam search of width k over a batch of sentences, k decoder rows per sentence.

    Every step keeps, per sentence, the best extensions of its live hypotheses while live + finished < k
    (the beam narrows as hypotheses finish, as in dl4mt and Nematus); one ending in </s> is set aside, and a
    sentence is done when k have finished or at the length limit, where the live ones count as finished as they are.
    """
    b = len(sources)
    enc = model.encode(*pad_sources(sources)).repeat(k)
    state, feed = model.start(b * k)
    prev = [EOS_ID] * (b * k)
    live = [[([], 0.0)] for _ in range(b)]
    ended = [[] for _ in range(b)]
    width = min(k, model.spec["targetVocab"])
    t = 0
    while True:
        feed, state = model.step(enc, model.dec.emb(torch.tensor(prev)), state, feed)
        top_lp, top_id = torch.log_softmax(model.out(feed), 1).topk(width, 1)
        top_lp, top_id = top_lp.tolist(), top_id.tolist()
        rows = [0] * (b * k)
        for j in range(b):
            nxt, src_rows = extend(live[j], ended[j], j * k, k, top_lp, top_id, t + 1 >= limit(sources[j]))
            live[j] = nxt
            for h in range(k):
                # Rows without a live hypothesis decode a copy of the sentence's first row, never read.
                rows[j * k + h] = src_rows[h] if h < len(src_rows) else j * k
                prev[j * k + h] = nxt[h][0][-1] if h < len(nxt) else EOS_ID
        if not any(live):
            break
        idx = torch.tensor(rows)
        state, feed = select_state(state, idx), feed.index_select(0, idx)
        t += 1
    out = []
    for hyps in ended:
        best = max(hyps, key=lambda hyp: rank(hyp, alpha))  # max keeps the first of equal scores
        out.append(best[0][:-1] if best[0] and best[0][-1] == EOS_ID else best[0])
    return out


def extend(hyps, ended, row0, k, top_lp, top_id, last):
    """The next live hypotheses of one sentence and their source rows; finished ones go into `ended`."""
    if not hyps:
        return [], []
    # The k best tokens of every live row suffice for the k best extensions overall.
    cand = [(logp + top_lp[row0 + h][n], h, top_id[row0 + h][n])
            for h, (_, logp) in enumerate(hyps) for n in range(len(top_lp[row0 + h]))]
    cand.sort(key=lambda c: -c[0])  # stable: ties keep row order, as on the Java side
    nxt, rows = [], []
    for logp, h, tok in cand:
        if len(nxt) + len(ended) >= k:
            break
        hyp = (hyps[h][0] + [tok], logp)
        if tok == EOS_ID or last:
            ended.append(hyp)
        else:
            nxt.append(hyp)
            rows.append(row0 + h)
    return nxt, rows


def translate(model, lines, src_index, decode, batch):
    """Translations (id lists) of the lines in order; sentences of similar length decode together."""
    model.eval()
    sources = [ids(line, src_index) or [EOS_ID] for line in lines]
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    out = [None] * len(sources)
    for k in range(0, len(order), batch):
        chunk = order[k:k + batch]
        for i, hyp in zip(chunk, decode([sources[i] for i in chunk])):
            out[i] = hyp
    return out


# ---------------------------------------------------------------------------------------------- commands

def cmd_loss(a):
    torch.set_num_threads(a.threads)
    model, src_vocab, tgt_vocab = load_export(a.model)
    pairs = read_pairs(f"{a.data}.{a.source}", f"{a.data}.{a.target}",
                       {w: i for i, w in enumerate(src_vocab)}, {w: i for i, w in enumerate(tgt_vocab)})
    loss, tokens = total_loss(model, pairs, a.batch)
    print(json.dumps({"pairs": len(pairs), "loss": loss, "tokens": tokens, "ppl": math.exp(loss / tokens)}))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def train_loop(model, batches, budget, lr, clip, valid, eval_batch):
    """Adam over the batches in their fixed order, epoch after epoch, for `budget` seconds of training."""
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    steps, tokens, seconds, epoch_ppl = 0, 0, 0.0, []
    while seconds < budget:
        for src, lengths, tgt_in, tgt_out in batches:
            if seconds >= budget:
                break
            t0 = time.perf_counter()
            model.train()
            n = int((tgt_out >= 0).sum())
            opt.zero_grad()
            loss = model(src, lengths, tgt_in, tgt_out) / n
            loss.backward()
            gnorm = nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            seconds += time.perf_counter() - t0
            steps, tokens = steps + 1, tokens + n
            if steps % 50 == 0:
                log(f"step {steps} epoch {steps / len(batches):.2f} | loss {loss.item():.3f} | "
                    f"{tokens / seconds:,.0f} tok/s | gnorm {gnorm:.2f} | {seconds:.0f}s")
        else:
            # A whole epoch ran: its valid perplexity, when time remains (not counted as training time).
            if seconds < budget:
                epoch_ppl.append(perplexity(model, valid, eval_batch))
                log(f"epoch {len(epoch_ppl)} valid ppl {epoch_ppl[-1]:.3f}")
    return steps, tokens, seconds, epoch_ppl


def decode_test(model, lines, src_index, tgt_vocab, decode, batch, path):
    """Translations of the lines into `path`, and the seconds they took."""
    t0 = time.perf_counter()
    hyps = [" ".join(tgt_vocab[i] for i in h) for h in translate(model, lines, src_index, decode, batch)]
    seconds = time.perf_counter() - t0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(h + "\n" for h in hyps))
    return hyps, seconds


def cmd_train(a):
    import sacrebleu

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    d = a.data_dir
    src_vocab = build_vocab(read_lines(f"{d}/train.{a.source}"), a.min_count)
    tgt_vocab = build_vocab(read_lines(f"{d}/train.{a.target}"), a.min_count)
    si, ti = {w: i for i, w in enumerate(src_vocab)}, {w: i for i, w in enumerate(tgt_vocab)}
    train = read_pairs(f"{d}/train.{a.source}", f"{d}/train.{a.target}", si, ti, MAX_LENGTH)
    valid = read_pairs(f"{d}/valid.{a.source}", f"{d}/valid.{a.target}", si, ti)
    test = read_pairs(f"{d}/test.{a.source}", f"{d}/test.{a.target}", si, ti)
    batches = [tensors(b) for b in length_batches(train, a.batch)]
    random.Random(a.seed).shuffle(batches)  # once: every epoch visits the batches in this order
    log(f"training pairs {len(train):,} in {len(batches)} batches; vocabularies {len(src_vocab):,} "
        f"{a.source} and {len(tgt_vocab):,} {a.target} words")

    spec = {"family": "seq2seq", "cell": a.cell, "sourceVocab": len(src_vocab), "targetVocab": len(tgt_vocab),
            "embed": a.embed, "hidden": a.hidden, "encoderLayers": a.encoder_layers,
            "decoderLayers": a.decoder_layers, "bidirectional": not a.unidirectional, "attention": a.attention,
            "attnSize": a.attn_size or a.hidden}
    model = Seq2Seq(spec)
    for p in model.parameters():
        nn.init.uniform_(p, -0.1, 0.1)

    steps, tokens, seconds, epoch_ppl = train_loop(model, batches, a.minutes * 60, a.lr, a.clip, valid, a.batch)
    save_export(os.path.join(a.out, "model"), model, src_vocab, tgt_vocab)
    valid_ppl, test_ppl = perplexity(model, valid, a.batch), perplexity(model, test, a.batch)
    log(f"valid ppl {valid_ppl:.3f} test ppl {test_ppl:.3f}")

    lines = read_lines(f"{d}/test.{a.source}")
    refs = read_lines(f"{d}/test.{a.target}")
    greedy, greedy_s = decode_test(model, lines, si, tgt_vocab, lambda s: greedy_batch(model, s), a.decode_batch,
                                   os.path.join(a.out, f"test.greedy.{a.target}"))
    beam, beam_s = decode_test(model, lines, si, tgt_vocab, lambda s: beam_batch(model, s, a.beam, a.alpha),
                               a.decode_batch, os.path.join(a.out, f"test.beam.{a.target}"))
    result = {
        "minutes": a.minutes, "steps": steps, "epochs": steps / len(batches), "train_seconds": seconds,
        "train_tokens": tokens, "tokens_per_s": tokens / seconds if seconds else float("nan"),
        "valid_ppl": valid_ppl, "valid_ppl_per_epoch": epoch_ppl, "test_ppl": test_ppl,
        "bleu_greedy": sacrebleu.corpus_bleu(greedy, [refs]).score,
        "bleu_beam": sacrebleu.corpus_bleu(beam, [refs]).score,
        "beam": a.beam, "alpha": a.alpha, "decode_seconds_greedy": greedy_s, "decode_seconds_beam": beam_s,
        "train_pairs": len(train), "batches": len(batches), "spec": spec, "batch": a.batch, "lr": a.lr,
        "clip": a.clip, "min_count": a.min_count, "seed": a.seed,
        "torch": torch.__version__, "threads": torch.get_num_threads(), "cpu": cpu_model(),
    }
    with open(os.path.join(a.out, "result.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    lo = sub.add_parser("loss", help="summed NLL and perplexity of an exported model on parallel files")
    lo.add_argument("--model", required=True, help="folder written by spark-rnn export")
    lo.add_argument("--data", required=True, help="prefix of the files PREFIX.SOURCE and PREFIX.TARGET")
    lo.add_argument("--source", required=True)
    lo.add_argument("--target", required=True)
    lo.add_argument("--batch", type=int, default=64)
    lo.add_argument("--threads", type=int, default=2)
    lo.set_defaults(run=cmd_loss)

    tr = sub.add_parser("train", help="train from scratch, evaluate, decode and export")
    tr.add_argument("--data-dir", required=True, help="folder with train, valid and test .SOURCE/.TARGET")
    tr.add_argument("--source", required=True)
    tr.add_argument("--target", required=True)
    tr.add_argument("--minutes", type=float, required=True, help="training time (evaluation not counted)")
    tr.add_argument("--out", required=True)
    tr.add_argument("--embed", type=int, default=256)
    tr.add_argument("--hidden", type=int, default=256)
    tr.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    tr.add_argument("--attention", choices=["dot", "general", "additive"], default="general")
    tr.add_argument("--attn-size", type=int, default=0, help="additive score's hidden size (0: --hidden)")
    tr.add_argument("--encoder-layers", type=int, default=1)
    tr.add_argument("--decoder-layers", type=int, default=1)
    tr.add_argument("--unidirectional", action="store_true", help="forward-only encoder")
    tr.add_argument("--batch", type=int, default=64)
    tr.add_argument("--lr", type=float, default=2e-3)
    tr.add_argument("--clip", type=float, default=5.0)
    tr.add_argument("--min-count", type=int, default=1)
    tr.add_argument("--beam", type=int, default=5)
    tr.add_argument("--alpha", type=float, default=1.0)
    tr.add_argument("--decode-batch", type=int, default=32, help="sentences decoded together")
    tr.add_argument("--threads", type=int, default=2)
    tr.add_argument("--seed", type=int, default=1)
    tr.set_defaults(run=cmd_train)
    a = p.parse_args()
    a.run(a)


if __name__ == "__main__":
    main()
