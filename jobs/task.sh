#!/usr/bin/env bash
# Run a course exercise: jobs/task.sh addition | sine | digits [--hidden N] [--seed S]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_main task "$@"
