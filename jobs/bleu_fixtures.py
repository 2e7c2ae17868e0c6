#!/usr/bin/env python3
"""Writes the BLEU test fixtures (src/test/resources/bleu/) and sacreBLEU's BLEU and chrF scores for them, which
BleuTest and ChrFTest compare the project's with: hand-written edge cases of the 13a tokenisation and the smoothing, and
deterministic perturbations of the German test messages (words dropped, swapped and repeated).

    pip install sacrebleu && jobs/bleu_fixtures.py
"""
import os
import random

import sacrebleu
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "src", "test", "resources", "bleu")

EDGE = [  # (reference, hypothesis)
    ("The cat sat on the mat.", "The cat sat on the mat."),
    ("Version 3.14, released 2020-01-02, costs $1,000.", "Version 3.14 released 2020 - 01-02 costs $ 1,000 ."),
    ("Use &quot;--force&quot; &amp; retry <skipped>", "Use \"--force\" & retry"),
    ("a\u00a0b\u2009c", "a b c"),
    ("Can't open %s: %m", "Cannot open %s : %m"),
    ("{name} [x] (y) @z #1 ~/path", "{name} [x] (y) @z # 1 ~/path"),
    ("Short", "Short"),
    ("", "nothing expected"),
    ("Something", ""),
    ("Ein Fehler ist aufgetreten.", "Ein Fehler trat auf."),
]


def perturb(sentence, rng):
    words = sentence.split()
    if len(words) > 2 and rng.random() < 0.5:
        del words[rng.randrange(len(words))]
    if len(words) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if words and rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(words))
    return " ".join(words)


def write(name, refs, hyps):
    with open(os.path.join(OUT, name + ".ref"), "w", encoding="utf-8") as r, \
            open(os.path.join(OUT, name + ".hyp"), "w", encoding="utf-8") as h:
        r.writelines(x + "\n" for x in refs)
        h.writelines(x + "\n" for x in hyps)
    return sacrebleu.corpus_bleu(hyps, [refs])


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(1)
    german = open(os.path.join(ROOT, "data", "messages-de", "test.de"), encoding="utf-8").read().splitlines()[:500]
    sets = {"edge": ([r for r, _ in EDGE], [h for _, h in EDGE]),
            "messages": (german, [perturb(s, rng) for s in german]),
            "short": (["Ja", "Nein", "OK"], ["Ja", "Nein", "Abbrechen"])}
    tok = Tokenizer13a()
    with open(os.path.join(OUT, "sacrebleu.tsv"), "w", encoding="utf-8") as out, \
            open(os.path.join(OUT, "chrf.tsv"), "w", encoding="utf-8") as chrf:
        out.write(f"# sacreBLEU {sacrebleu.__version__}: corpus_bleu(hypotheses, [references]) with its defaults\n")
        chrf.write(f"# sacreBLEU {sacrebleu.__version__}: corpus_chrf(hypotheses, [references]) with its defaults\n")
        for name, (refs, hyps) in sets.items():
            b = write(name, refs, hyps)
            out.write(f"{name}\t{b.score!r}\t{b.sys_len}\t{b.ref_len}\t{b}\n")
            c = sacrebleu.corpus_chrf(hyps, [refs])
            chrf.write(f"{name}\t{c.score!r}\t{c}\n")
        with open(os.path.join(OUT, "tokens.tsv"), "w", encoding="utf-8") as t:
            for line in [x for pair in EDGE for x in pair] + german[:100]:
                t.write(line.replace("\t", " ") + "\t" + tok(line) + "\n")


if __name__ == "__main__":
    main()
