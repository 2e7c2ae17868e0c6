#!/usr/bin/env bash
# Train a language model. With no arguments: the LSTM on the bundled Brown corpus (conf/brown-lstm.properties).
#   jobs/train.sh                                  # the default run, into runs/brown-lstm
#   jobs/train.sh model.cell=gru out=runs/gru      # any config key as key=value
#   jobs/train.sh --conf conf/tiny.properties      # another config file
set -euo pipefail
source "$(dirname "$0")/common.sh"
for a in "$@"; do
  case "$a" in -c|--conf|--conf=*|-h|--help) run_main train "$@" ;; esac
done
run_main train --conf conf/brown-lstm.properties "$@"
