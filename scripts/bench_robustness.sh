#!/usr/bin/env bash
# Times the scoring of one model against its baseline on the 15 benchmark corruptions with N sampled
# images per (corruption, severity), and reports the width of the 95 % mCE interval at each N, as a
# Markdown table for docs/benchmarks.md. The corruption cache is filled first and timed apart.
#
# Usage: scripts/bench_robustness.sh --model FILE.pt --baseline FILE.pt [--data-dir DIR]
#                                    [--sizes "100 250 1000"] [--threads N] [--crimp PATH]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${CRIMP_DATA:-}
if [[ -z $data_dir ]]; then
    if [[ -d $root/../shared/data ]]; then data_dir=$root/../shared/data; else data_dir=$root/data; fi
fi
model=""
baseline=""
sizes="100 250 1000"
threads=0
crimp=$root/build/crimp

while [[ $# -gt 0 ]]; do
    case $1 in
        --model) model=${2:?--model needs a file}; shift ;;
        --baseline) baseline=${2:?--baseline needs a file}; shift ;;
        --data-dir) data_dir=${2:?--data-dir needs a folder}; shift ;;
        --sizes) sizes=${2:?--sizes needs a list}; shift ;;
        --threads) threads=${2:?--threads needs a number}; shift ;;
        --crimp) crimp=${2:?--crimp needs a path}; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench_robustness.sh: unknown option '$1'; run with --help" >&2; exit 2 ;;
    esac
    shift
done
if [[ -z $model || -z $baseline ]]; then
    echo "bench_robustness.sh: --model and --baseline are required; run with --help" >&2
    exit 2
fi
[[ -x $crimp ]] || { echo "bench_robustness.sh: crimp not found at '$crimp'; build it with scripts/setup.sh" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OMP_WAIT_POLICY=PASSIVE

seconds_of() {
    local start=$1 end=$2
    /usr/bin/python3 -c "print(f'{$end - $start:.1f}')"
}

echo "- Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) logical CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "- Model: $model, baseline: $baseline, threads: $threads"

start=$(date +%s.%N)
"$crimp" corrupt --data-dir "$data_dir" --split test --corruptions benchmark --threads "$threads" \
    --cache "$scratch/cache.h5" --quiet
end=$(date +%s.%N)
echo "- Filling the corruption cache (15 corruptions × 5 severities × the test split): $(seconds_of "$start" "$end") s"
echo
echo "| images per cell | images scored per model | seconds | mCE | 95 % interval | interval width |"
echo "|---:|---:|---:|---:|---|---:|"
for size in $sizes; do
    start=$(date +%s.%N)
    "$crimp" evaluate --model "$model" --baseline "$baseline" --data-dir "$data_dir" --corruptions benchmark \
        --corrupt-images "$size" --cache "$scratch/cache.h5" --threads "$threads" --device cpu \
        --json "$scratch/result-$size.json" --quiet
    end=$(date +%s.%N)
    /usr/bin/python3 - "$scratch/result-$size.json" "$size" "$(seconds_of "$start" "$end")" <<'PY'
import json, sys
result, size, seconds = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
low, high = result["mce_interval_95"]
print(f"| {size} | {size * 75} | {seconds} | {result['mce']:.2f} | {low:.2f} to {high:.2f} | {high - low:.2f} |")
PY
done
echo
echo "- Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
