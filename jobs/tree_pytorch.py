"""The PyTorch sides of jobs/tree-bench.sh: the binary Tree-LSTM (Tai et al. 2015, N = 2) of the Java side, the
same sizes, batches, loss, clipping and optimizer, in two styles.

  --mode pernode: the way most public Tree-LSTMs are written: a recursive function over each tree, one small
                  product per node, the batch's losses summed before one backward pass.
  --mode level:   batched by level as the Java side is (DGL's Tree-LSTM works so): every node of the batch
                  numbered by height, the input projection once over all nodes, one product per level over the
                  concatenated children; each batch's schedule is made before the timed pass, as a DataLoader
                  would make it (the Java side makes its own inside each step).

Trees: the ListOps lines of --data, binarised as the Java side reads them (the operator, the arguments and the
closing bracket folded from the left); batches of --batch trees sorted by (height, nodes, line), unshuffled, the
rule the Java bench uses, so both sides see the same batches. Loss: cross-entropy at the roots, mean over the
batch; clip to global norm 5; Adam. Prints one JSON line with nodes per second over the measured batches.
"""
import argparse, json, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_mm import mm_gflops

p = argparse.ArgumentParser()
p.add_argument("--data", default="data/listops/train.txt")
p.add_argument("--mode", choices=["pernode", "level"], required=True)
p.add_argument("--embed", type=int, default=128)
p.add_argument("--hidden", type=int, default=128)
p.add_argument("--batch", type=int, default=128)
p.add_argument("--warmup", type=int, default=3, help="untimed batches first")
p.add_argument("--stride", type=int, default=1, help="time every stride-th batch of the pass (the per-node side is slow)")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--lr", type=float, default=0.002)
p.add_argument("--gather", choices=["levels", "cat"], default="levels",
               help="by level: read the children from each level's own tensor, or from all states concatenated anew"
                    " at each level (as DGL's frame updates copy them)")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)


def parse(line):
    """(label, tree) of a ListOps line; a tree is a word (str) or (left, right)."""
    label, text = line.rstrip("\n").split("\t")
    toks = [t for t in text.split() if t not in ("(", ")")]
    pos = 0

    def expr():
        nonlocal pos
        t = toks[pos]
        pos += 1
        if not t.startswith("["):
            return t
        items = [t]
        while toks[pos] != "]":
            items.append(expr())
        pos += 1
        items.append("]")
        node = (items[0], items[1])
        for it in items[2:]:
            node = (node, it)
        return node

    return int(label), expr()


def shape(tree):
    """(height, nodes)."""
    if isinstance(tree, str):
        return 0, 1
    (hl, nl), (hr, nr) = shape(tree[0]), shape(tree[1])
    return max(hl, hr) + 1, nl + nr + 1


sys.setrecursionlimit(100000)
examples = [parse(l) for l in open(a.data) if l.strip()]
vocab = {}
for _, t in examples:
    stack = [t]
    while stack:
        n = stack.pop()
        if isinstance(n, str):
            vocab.setdefault(n, len(vocab))
        else:
            stack.extend(n)
shapes = [shape(t) for _, t in examples]
order = sorted(range(len(examples)), key=lambda i: (shapes[i][0], shapes[i][1], i))
batches = [order[i:i + a.batch] for i in range(0, len(order), a.batch)]

E, H = a.embed, a.hidden


class TreeLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(vocab), E)
        self.w = nn.Linear(E, 5 * H)  # gates i, f_left, f_right, o, u from the input
        self.u = nn.Linear(2 * H, 5 * H, bias=False)  # and from [h_left; h_right]
        self.out = nn.Linear(H, max(label for label, _ in examples) + 1)

    def cell(self, gates, c_left, c_right):
        i, fl, fr, o, u = gates.chunk(5, dim=-1)
        c = torch.sigmoid(i) * torch.tanh(u) + torch.sigmoid(fl) * c_left + torch.sigmoid(fr) * c_right
        return torch.sigmoid(o) * torch.tanh(c), c

    # Per node: recursion, as most public implementations are written.
    def node(self, tree):
        if isinstance(tree, str):
            x = self.emb(torch.tensor([vocab[tree]]))
            zero = torch.zeros(1, H)
            return self.cell(self.w(x), zero, zero)
        hl, cl = self.node(tree[0])
        hr, cr = self.node(tree[1])
        return self.cell(self.w.bias.unsqueeze(0) + self.u(torch.cat([hl, hr], dim=1)), cl, cr)

    def pernode_roots(self, trees):
        return torch.cat([self.node(t)[0] for t in trees])

    # By level: every node numbered by height, one product per level, over a schedule made before the step (as a
    # DataLoader's collate function would; the Java side builds its schedule inside the timed step).
    def level_roots(self, sched):
        wid, is_leaf, levels, children, roots = sched
        x = self.emb(wid) * is_leaf  # inner nodes have no input
        gx = self.w(x)  # (N, 5H), once over every node
        hs, cs = [], []
        for l in range(len(levels) - 1):
            lo, hi = levels[l], levels[l + 1]
            if l == 0:
                zero = torch.zeros(hi - lo, H)
                h, c = self.cell(gx[lo:hi], zero, zero)
            elif a.gather == "cat":
                li, ri = children[l]
                hall, call = torch.cat(hs), torch.cat(cs)
                gates = gx[lo:hi] + self.u(torch.cat([hall[li], hall[ri]], dim=1))
                h, c = self.cell(gates, call[li], call[ri])
            else:
                left_groups, right_groups = children[l]
                gates = gx[lo:hi] + self.u(torch.cat([by_level(hs, left_groups, hi - lo),
                                                      by_level(hs, right_groups, hi - lo)], dim=1))
                h, c = self.cell(gates, by_level(cs, left_groups, hi - lo), by_level(cs, right_groups, hi - lo))
            hs.append(h); cs.append(c)
        return torch.cat(hs)[roots]


def by_level(states, groups, n):
    """Rows of the states of lower levels, each read from its level's own tensor: groups is (where, [(level,
    rows)...]), the rows' places in the output and, by source level, which rows."""
    where, parts = groups
    return torch.zeros(n, H).index_copy(0, where, torch.cat([states[lv][rows] for lv, rows in parts]))


def grouped(ids, level_of, levels):
    """The (where, [(level, rows)]) of by_level for the new node numbers ids."""
    groups = {}
    for pos, node in enumerate(ids):
        groups.setdefault(level_of[node], []).append((pos, node - levels[level_of[node]]))
    where = torch.tensor([pos for items in groups.values() for pos, _ in items])
    return where, [(lv, torch.tensor([r for _, r in items])) for lv, items in groups.items()]


def schedule(trees):
    """The level schedule of a batch: word ids and leaf mask by new node number, level bounds, each level's left
    and right children (new numbers), the roots."""
    words, height, left, right = [], [], [], []

    def walk(t):  # the node's index, post-order
        if isinstance(t, str):
            words.append(vocab[t]); height.append(0); left.append(-1); right.append(-1)
            return len(words) - 1
        li, ri = walk(t[0]), walk(t[1])
        words.append(-1); height.append(max(height[li], height[ri]) + 1); left.append(li); right.append(ri)
        return len(words) - 1

    roots = [walk(t) for t in trees]
    rank = sorted(range(len(words)), key=lambda j: (height[j], j))
    new = [0] * len(words)
    for k, j in enumerate(rank):
        new[j] = k
    levels = [0] * (max(height) + 2)
    for h in height:
        levels[h + 1] += 1
    for l in range(1, len(levels)):
        levels[l] += levels[l - 1]
    level_of = [height[j] for j in rank]
    children = [None]
    for l in range(1, len(levels) - 1):
        li = [new[left[rank[k]]] for k in range(levels[l], levels[l + 1])]
        ri = [new[right[rank[k]]] for k in range(levels[l], levels[l + 1])]
        children.append((torch.tensor(li), torch.tensor(ri)) if a.gather == "cat"
                        else (grouped(li, level_of, levels), grouped(ri, level_of, levels)))
    return (torch.tensor([max(words[j], 0) for j in rank]),
            torch.tensor([words[j] >= 0 for j in rank]).unsqueeze(1).float(), levels, children,
            torch.tensor([new[r] for r in roots]))


model = TreeLstm()
opt = torch.optim.Adam(model.parameters(), lr=a.lr)
schedules = {}


def step(b):
    ids = batches[b]
    if a.mode == "pernode":
        logits = model.out(model.pernode_roots([examples[i][1] for i in ids]))
    else:
        logits = model.out(model.level_roots(schedules[b]))
    loss = F.cross_entropy(logits, torch.tensor([examples[i][0] for i in ids]))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    return sum(shapes[i][1] for i in ids)


timed = list(range(0, len(batches), a.stride))
if a.mode == "level":
    for b in set(timed) | {b % len(batches) for b in range(a.warmup)}:
        schedules[b] = schedule([examples[i][1] for i in batches[b]])
for b in range(a.warmup):
    step(b % len(batches))
nodes = 0
start = time.perf_counter()
for b in timed:
    nodes += step(b)
seconds = time.perf_counter() - start
print(json.dumps({"side": "pytorch " + torch.__version__ + (" per node" if a.mode == "pernode" else " by level"),
                  "threads": a.threads, "torch_mm_gflops": mm_gflops(), "batches": len(timed), "trees": sum(len(batches[b]) for b in timed),
                  "nodes": nodes, "seconds": seconds, "nodes_per_s": nodes / seconds,
                  "ms_per_step": 1000 * seconds / len(timed)}))
