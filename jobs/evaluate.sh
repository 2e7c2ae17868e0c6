#!/usr/bin/env bash
# Perplexity of text files under a trained model:
#   jobs/evaluate.sh --run runs/brown-lstm data/brown/test.txt [more files] [spark.master=none] [eval.batch=1]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_main evaluate "$@"
