#!/usr/bin/env bash
# A larger English training text for word2vec (about 6.5 million tokens, Brown's format), built on demand and
# never committed: see jobs/english_corpus.py for the sources, licences and tokenisation. Needs python3, and npm
# and apt-get the first time (archives are cached in ~/.cache/spark-rnn/). Does not build the Java code.
#   jobs/english-corpus.sh [--out runs/english-corpus] [--held-out] [--no-shuffle] [--seed 1] [--sources a,b]
set -euo pipefail
exec python3 "$(dirname "$0")/english_corpus.py" "$@"
