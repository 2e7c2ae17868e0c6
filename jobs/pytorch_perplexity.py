"""Perplexity of a text file under a model exported by `spark-rnn export`, computed by PyTorch itself.

    python3 jobs/pytorch_perplexity.py EXPORT_DIR TEXT_FILE

Loads model.npz with load_state_dict into nn.Embedding + nn.LSTM/GRU/RNN + nn.Linear (or
nn.AdaptiveLogSoftmaxWithLoss when spec.json has cutoffs; with "tie", nn.Linear's weight is the embedding's,
behind proj = nn.Linear(H, E, bias=False) when E differs from H), reads the text as
one stream (whitespace tokens, </s> after every line, unknown words as <unk>), carries the state through
it in windows of 35 and prints exp(mean NLL) over every predicted token: the same quantity as
`spark-rnn evaluate ... eval.batch=1`.
"""
import json, math, sys

import numpy as np
import torch
import torch.nn as nn

export, text = sys.argv[1], sys.argv[2]
spec = json.load(open(f"{export}/spec.json"))
vocab = open(f"{export}/vocab.txt", encoding="utf-8").read().splitlines()
ids = {w: i for i, w in enumerate(vocab)}


class LM(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.emb = nn.Embedding(s["vocab"], s["embed"])
        cells = {"lstm": nn.LSTM, "gru": nn.GRU}
        self.rnn = (cells[s["cell"]](s["embed"], s["hidden"], s["layers"]) if s["cell"] in cells
                    else nn.RNN(s["embed"], s["hidden"], s["layers"], nonlinearity=s["nonlinearity"]))
        self.adaptive = "cutoffs" in s
        self.out = (nn.AdaptiveLogSoftmaxWithLoss(s["hidden"], s["vocab"], s["cutoffs"], div_value=float(s["div_value"]),
                                                  head_bias=True) if self.adaptive
                    else nn.Linear(s["embed"] if s.get("tie") else s["hidden"], s["vocab"]))
        self.proj = (nn.Linear(s["hidden"], s["embed"], bias=False) if s.get("tie") and s["embed"] != s["hidden"]
                     else nn.Identity())
        if s.get("tie"):
            self.out.weight = self.emb.weight

    def forward(self, x, h=None):
        """log p (T·B, V) of the next word at every position, and the state."""
        y, h = self.rnn(self.emb(x), h)
        y = self.proj(y.reshape(-1, y.shape[-1]))
        return (self.out.log_prob(y) if self.adaptive else nn.functional.log_softmax(self.out(y), -1)), h


model = LM(spec)
model.load_state_dict({k: torch.from_numpy(v) for k, v in np.load(f"{export}/model.npz").items()})
model.eval()
tokens = [ids.get(w, 1) for line in open(text, encoding="utf-8") if line.split() for w in line.split() + ["</s>"]]
data = torch.tensor(tokens, dtype=torch.long).view(-1, 1)
nll, count, h = 0.0, 0, None
with torch.no_grad():
    for i in range(0, len(tokens) - 1, 35):
        x, y = data[i:i + 35], data[i + 1:i + 36]
        x = x[: len(y)]
        log_probs, h = model(x, h)
        nll += nn.functional.nll_loss(log_probs, y.view(-1), reduction="sum").item()
        count += y.numel()
print(json.dumps({"tokens": count, "perplexity": math.exp(nll / count)}))
