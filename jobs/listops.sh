#!/usr/bin/env bash
# The ListOps task (Nangia and Bowman 2018) as bracketed expressions with their values, 90,000 / 10,000 / 10,000 by
# default, deterministic for a seed; then train on it with jobs/train.sh conf/listops.properties.
#   jobs/listops.sh [--out data/listops] [--seed S] [--train N] [--valid N] [--test N]
set -euo pipefail
source "$(dirname "$0")/common.sh"
args=("$@")
[[ " $* " == *" --out "* ]] || args+=(--out data/listops)
run_main listops "${args[@]}"
