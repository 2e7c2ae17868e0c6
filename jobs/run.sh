#!/usr/bin/env bash
# Any command of the command line: jobs/run.sh COMMAND [options]; jobs/run.sh --help lists the commands.
#   jobs/run.sh export --run runs/brown-lstm --to export/      jobs/run.sh neighbours --run runs/brown-lstm man
#   jobs/run.sh task digits                                    jobs/run.sh keys
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_main "$@"
