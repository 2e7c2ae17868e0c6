#!/usr/bin/env bash
# A large synthetic corpus for the scale runs: 100 million tokens (by default) as 100 gzip files, sampled from a
# bigram model fitted on the bundled Brown training text, with a Zipf-like tail of spellings (about 180,000 word
# types); prints the generator's own entropy per token, the lowest perplexity any model can reach on it (see
# io.sparkrnn.data.SyntheticCorpus for how it is computed). Deterministic for a seed and a file count.
#   jobs/make-corpus.sh --out data/synthetic-100m [--tokens N] [--files F] [--seed S] [--from TEXT]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_main corpus "$@"
