#!/usr/bin/env bash
# Renders a crimp HTML report in headless Chromium (Debian package chromium) and saves a PNG screenshot,
# to check that the report displays without network access or scripts.
#
# Usage: scripts/report_screenshot.sh REPORT.html OUT.png [--width PIXELS] [--height PIXELS]
set -euo pipefail

report=${1:?usage: scripts/report_screenshot.sh REPORT.html OUT.png [--width PIXELS] [--height PIXELS]}
out=${2:?usage: scripts/report_screenshot.sh REPORT.html OUT.png [--width PIXELS] [--height PIXELS]}
shift 2
width=1160
height=2400
while [[ $# -gt 0 ]]; do
    case $1 in
        --width) width=${2:?--width needs a number}; shift ;;
        --height) height=${2:?--height needs a number}; shift ;;
        *) echo "report_screenshot.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done
command -v chromium >/dev/null || { echo "report_screenshot.sh: chromium not found; install it with apt-get install chromium" >&2; exit 1; }
[[ -f $report ]] || { echo "report_screenshot.sh: report '$report' not found; write one with crimp report" >&2; exit 1; }

# --no-sandbox lets Chromium run as root in containers; the page is a local file without scripts.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,$height" \
    --screenshot="$(realpath -m "$out")" "file://$(realpath "$report")" 2>/dev/null
[[ -s $out ]] || { echo "report_screenshot.sh: chromium wrote no screenshot" >&2; exit 1; }
echo "wrote $out"
