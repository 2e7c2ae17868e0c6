#!/usr/bin/env python3
"""English→German sentence pairs from the machine's gettext catalogues (/usr/share/locale/de/LC_MESSAGES/*.mo),
for the sequence-to-sequence model. Writes OUT/{train,valid,test}.{en,de} (one message per line, the same line
in both files) and OUT/catalogues.tsv (each catalogue's split and pair count). Deterministic: the same
catalogues give the same files, byte for byte.

    jobs/gettext_corpus.py [--locale-dir /usr/share/locale] [--lang de] [--out data/messages-de]

Policy (each message pair, after reading the binary .mo format directly):
- the header (empty msgid) is skipped; an untranslated message (empty msgstr) is skipped;
- a context ("ctx\\x04msgid") is dropped and the message kept;
- plural forms: the singular pairs with the first form and the plural with the second (German has two),
  other form counts keep the singular only;
- mnemonics: where the English message has one "_" or "&", before a letter that starts a word ("_File",
  "&Open"), it is removed, and so is the German side's one marker before a letter, which may sit inside a word
  ("Ö_ffnen"); a side with another "_" or "&" keeps everything (identifiers such as file_name stay);
- placeholders (%s, %1$d, %(name)s, {name}, ${var}) stay as they are: the tokenizer keeps them whole;
- whitespace: runs of spaces, tabs and newlines become one space, ends stripped; messages longer than
  MAX_WORDS words on either side, or with no letter, are skipped (help texts, format strings alone);
- split by whole project (gtk20, gtk30 and gtk30-properties are one; see project()), so that near duplicates
  from one project never straddle train and test: in the order of a hash of their names, projects fill test
  and then valid to 5 % of the pairs each; the ISO code lists (iso_*: names of countries, languages,
  currencies) and any project above 10 % always train;
- duplicates: the first occurrence of an English message wins within a split (catalogues in name order), and an
  English message that is in test is removed from valid and train, one in valid from train.
"""
import argparse
import hashlib
import os
import re
import struct
import sys

MAX_WORDS = 40
HELD_OUT = 0.05
MNEMONIC = re.compile(r"(?:^|(?<=[\s(\"'\[]))[_&](?=[^\W\d_])(?!\w+;)")  # not an entity such as &amp;
ANY_MNEMONIC = re.compile(r"[_&](?=[^\W\d_])(?!\w+;)")


def read_mo(path):
    """(msgid, msgstr) byte strings of a GNU .mo file, either byte order."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if order is None:
        raise ValueError(f"{path} is not a .mo file")
    _, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    for i in range(count):
        n, at = struct.unpack(order + "2I", data[originals + 8 * i: originals + 8 * i + 8])
        m, bt = struct.unpack(order + "2I", data[translations + 8 * i: translations + 8 * i + 8])
        yield data[at: at + n], data[bt: bt + m]


def normalise(text):
    return " ".join(text.split())


def strip_mnemonics(en, de):
    """Removes a GTK or Qt mnemonic: en's marker before a word's first letter, and de's single marker, which may
    sit inside a word ("_Open" is "Ö_ffnen"); left alone unless each side has exactly one marker."""
    if len(MNEMONIC.findall(en)) == 1 and en.count("_") + en.count("&") == 1:
        markers = ANY_MNEMONIC.findall(de)
        if len(markers) == 1 and de.count(markers[0]) == 1:
            return MNEMONIC.sub("", en), ANY_MNEMONIC.sub("", de)
    return en, de


def pairs(path):
    for msgid, msgstr in read_mo(path):
        if not msgid or not msgstr:
            continue
        try:
            en, de = msgid.decode("utf-8"), msgstr.decode("utf-8")
        except UnicodeDecodeError:
            continue
        en = en.split("\x04", 1)[-1]
        ens, des = en.split("\0"), de.split("\0")
        candidates = [(ens[0], des[0])]
        if len(ens) == 2 and len(des) == 2:
            candidates.append((ens[1], des[1]))
        for e, d in candidates:
            e, d = strip_mnemonics(normalise(e), normalise(d))
            if e and d and re.search(r"[^\W\d_]", e) and max(len(e.split()), len(d.split())) <= MAX_WORDS:
                yield e, d


# Catalogues of one project that a version or part suffix does not tell apart.
PROJECTS = {"ld": "binutils", "opcodes": "binutils", "gprof": "binutils", "dpkg-dev": "dpkg",
            "libapt-pkg6.0": "apt", "python-apt": "apt", "gettext-runtime": "gettext", "gettext-tools": "gettext",
            "gst-plugins-base-1.0": "gstreamer", "gstreamer-1.0": "gstreamer", "libgphoto2_port-12": "libgphoto2"}


def project(name):
    """The project a catalogue belongs to: gtk20, gtk30 and gtk30-properties are gtk; PostgreSQL's tools (-15)
    are postgresql; the ISO code lists are iso."""
    if name in PROJECTS:
        return PROJECTS[name]
    if name.endswith("-15"):
        return "postgresql"
    if name.startswith("iso_"):
        return "iso"
    return re.sub(r"[-_]?[\d.]+$", "", re.sub(r"-(properties|gnulib)$", "", name))


def assign(sizes):
    """Catalogue -> split, a whole project at a time: in the order of a hash of their names, projects fill test,
    then valid, to HELD_OUT of all pairs each (one larger than twice that trains, so that no single project is a
    split); the ISO code lists and the rest train."""
    target = HELD_OUT * sum(sizes.values())
    groups = {}
    for name, n in sizes.items():
        groups.setdefault(project(name), []).append(name)
    held = {"test": 0, "valid": 0}
    out = {}
    for g in sorted(groups, key=lambda n: hashlib.sha1(n.encode()).hexdigest()):
        size = sum(sizes[n] for n in groups[g])
        s = next((h for h in ("test", "valid") if held[h] < target), "train")
        if g == "iso" or size > 2 * target:
            s = "train"
        out.update({n: s for n in groups[g]})
        if s != "train":
            held[s] += size
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--locale-dir", default="/usr/share/locale")
    ap.add_argument("--lang", default="de")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "messages-de"))
    a = ap.parse_args()
    folder = os.path.join(a.locale_dir, a.lang, "LC_MESSAGES")
    if not os.path.isdir(folder):
        sys.exit(f"no {a.lang} catalogues: {folder} does not exist")
    names = sorted(f for f in os.listdir(folder) if f.endswith(".mo"))
    if not names:
        sys.exit(f"no .mo file in {folder}")
    found = {f[:-3]: list(pairs(os.path.join(folder, f))) for f in names}
    where = assign({name: len(dict(p)) for name, p in found.items()})
    splits = {"train": {}, "valid": {}, "test": {}}
    table = []
    for name, found_pairs in found.items():
        s = where[name]
        kept = 0
        for e, d in found_pairs:
            if e not in splits[s]:
                splits[s][e] = d
                kept += 1
        table.append((name, project(name), s, kept))
    for e in splits["test"]:
        splits["valid"].pop(e, None)
        splits["train"].pop(e, None)
    for e in splits["valid"]:
        splits["train"].pop(e, None)
    os.makedirs(a.out, exist_ok=True)
    for s, d in splits.items():
        with open(os.path.join(a.out, f"{s}.en"), "w", encoding="utf-8") as fe, \
                open(os.path.join(a.out, f"{s}.de"), "w", encoding="utf-8") as fd:
            for e, g in d.items():
                fe.write(e + "\n")
                fd.write(g + "\n")
    with open(os.path.join(a.out, "catalogues.tsv"), "w", encoding="utf-8") as t:
        t.write("catalogue\tproject\tsplit\tpairs before cross-split removal\n")
        for row in table:
            t.write("\t".join(map(str, row)) + "\n")
    for s, d in splits.items():
        words = sum(len(e.split()) for e in d)
        print(f"{s}: {len(d):,} pairs, {words:,} English words, "
              f"{sum(1 for row in table if row[2] == s)} catalogues")


if __name__ == "__main__":
    main()
