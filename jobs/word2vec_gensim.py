"""gensim's Word2Vec, the reference side of jobs/word2vec-bench.sh: trains on a text (one sentence per line,
space-separated tokens), writes the vectors in the word2vec text format and prints one JSON line.

word2vec_gensim.py TEXT --out VECTORS [--cbow] [--workers 2] [--epochs 5] [--dim 100] [--window 5]
                        [--negative 5] [--sample 1e-3] [--alpha 0.025] [--min-count 5]

Only model.train() is timed: the text is read into memory and the vocabulary (with gensim's noise table) built
before, as the C tool builds both before its threads start. "words" counts every whitespace token of the text,
the numerator all the benchmark's sides share.
"""
import argparse, json, sys, time

import gensim
from gensim.models import word2vec

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("text")
p.add_argument("--out", required=True)
p.add_argument("--cbow", action="store_true", help="CBOW (mean of the context) instead of skip-gram")
p.add_argument("--workers", type=int, default=2)
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--dim", type=int, default=100)
p.add_argument("--window", type=int, default=5)
p.add_argument("--negative", type=int, default=5)
p.add_argument("--sample", type=float, default=1e-3)
p.add_argument("--alpha", type=float, default=0.025)
p.add_argument("--min-count", type=int, default=5)
a = p.parse_args()

# FAST_VERSION is -1 when gensim falls back to its pure-Python loops (about 100x slower): no benchmark then.
if word2vec.FAST_VERSION < 0:
    sys.exit("gensim's compiled word2vec routines are missing (FAST_VERSION -1); this would not be gensim's speed")

with open(a.text, encoding="utf-8") as f:
    sentences = [line.split() for line in f]
words = sum(len(s) for s in sentences)

model = word2vec.Word2Vec(sg=0 if a.cbow else 1, hs=0, negative=a.negative, sample=a.sample, alpha=a.alpha,
                          min_alpha=0.0001, window=a.window, vector_size=a.dim, min_count=a.min_count,
                          workers=a.workers, epochs=a.epochs, seed=1)
model.build_vocab(sentences)
start = time.perf_counter()
trained, raw = model.train(sentences, total_examples=model.corpus_count, epochs=a.epochs)
seconds = time.perf_counter() - start
model.wv.save_word2vec_format(a.out, binary=False)
print(f"gensim: {len(model.wv):,} words in the vocabulary, {raw:,} words read and {trained:,} trained"
      f" (after min count and subsampling) in {seconds:.1f} s", file=sys.stderr)
print(json.dumps({"side": f"gensim {gensim.__version__}", "version": gensim.__version__,
                  "method": "cbow" if a.cbow else "skipgram", "fast_version": word2vec.FAST_VERSION,
                  "words": words, "epochs": a.epochs, "seconds": seconds, "words_per_s": words * a.epochs / seconds,
                  "threads": a.workers, "vocab": len(model.wv), "vectors": a.out}))
