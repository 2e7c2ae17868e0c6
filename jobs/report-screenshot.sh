#!/usr/bin/env bash
# A run's report.html as a headless Chromium shows it, saved as a PNG (Debian's chromium; installed when missing
# and running as root). The browser reads the local file only and is kept off the network.
#   jobs/report-screenshot.sh RUN_FOLDER [OUT.png]     # default OUT: RUN_FOLDER/report.png
set -euo pipefail
RUN=${1:?usage: jobs/report-screenshot.sh RUN_FOLDER [OUT.png]}
OUT=${2:-$RUN/report.png}
[ -f "$RUN/report.html" ] || { echo "$RUN/report.html does not exist: is $RUN a finished run folder?" >&2; exit 2; }
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's chromium..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  CHROMIUM=$(command -v chromium)
fi
[ -n "$CHROMIUM" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
OUT_ABS="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
# Tall enough for the results, five charts and the changed settings; the page is 60em wide.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --disable-quic --user-data-dir="$PROFILE" \
  --hide-scrollbars --window-size=1000,3600 --screenshot="$OUT_ABS" \
  "file://$(cd "$RUN" && pwd)/report.html" >/dev/null 2>&1
[ -s "$OUT_ABS" ] || { echo "chromium wrote no screenshot" >&2; exit 1; }
echo "$OUT_ABS"
