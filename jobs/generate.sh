#!/usr/bin/env bash
# jobs/generate.sh --run runs/brown-lstm [options] PREFIX...   (--help lists the options)
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_main generate "$@"
