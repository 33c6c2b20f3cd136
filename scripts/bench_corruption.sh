#!/usr/bin/env bash
# Times `crimp corrupt` on the full CIFAR-10-C test set (15 benchmark corruptions × 5 severities ×
# 10,000 images) and compares the time per image with the reference implementation's single-thread
# times, printing a Markdown table for docs/benchmarks.md.
#
# Usage: scripts/bench_corruption.sh [--data-dir DIR] [--frost-dir DIR] [--threads N] [--images N]
#                                    [--reference FILE] [--crimp PATH]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${CRIMP_DATA:-}
if [[ -z $data_dir ]]; then
    if [[ -d $root/../shared/data ]]; then data_dir=$root/../shared/data; else data_dir=$root/data; fi
fi
frost_dir=""
threads=0
images=0
reference=""
crimp=$root/build/crimp

while [[ $# -gt 0 ]]; do
    case $1 in
        --data-dir) data_dir=${2:?--data-dir needs a folder}; shift ;;
        --frost-dir) frost_dir=${2:?--frost-dir needs a folder}; shift ;;
        --threads) threads=${2:?--threads needs a number}; shift ;;
        --images) images=${2:?--images needs a number}; shift ;;
        --reference) reference=${2:?--reference needs a file}; shift ;;
        --crimp) crimp=${2:?--crimp needs a path}; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench_corruption.sh: unknown option '$1'; run with --help" >&2; exit 2 ;;
    esac
    shift
done
[[ -n $frost_dir ]] || frost_dir=$data_dir/frost
if [[ -z $reference && -f $root/../shared/reference/corruptions/stochastic_stats.json ]]; then
    reference=$root/../shared/reference/corruptions/stochastic_stats.json
fi
[[ -x $crimp ]] || { echo "bench_corruption.sh: crimp not found at '$crimp'; build it with scripts/setup.sh" >&2; exit 1; }

benchmark="gaussian_noise,shot_noise,impulse_noise,defocus_blur,glass_blur,motion_blur,zoom_blur,snow,frost,fog,brightness,contrast,elastic_transform,pixelate,jpeg_compression"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "- Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) logical CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "- Command: $crimp corrupt --split test --corruptions <the 15 benchmark corruptions> --threads $threads --images $images --out DIR"
start=$(date +%s.%N)
"$crimp" corrupt --data-dir "$data_dir" --frost-dir "$frost_dir" --split test --images "$images" \
    --corruptions "$benchmark" --threads "$threads" --out "$scratch/out" 2>"$scratch/log"
end=$(date +%s.%N)
echo "- Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- Wall time, loading and writing included: $(/usr/bin/python3 -c "print(f'{$end - $start:.1f}')") s"
echo

# crimp logs "<name>: <rows> images in <s> s (<ms> ms per image)" for every corruption.
/usr/bin/python3 - "$scratch/log" "$reference" <<'PY'
import json, re, sys
log, reference_file = sys.argv[1], sys.argv[2]
reference = {}
if reference_file:
    # The file's "reference_ms_per_image" values are seconds per image: the 15 benchmark ones add up
    # to about 0.033, the 33 ms per image that the reference implementation needs.
    reference = json.load(open(reference_file)).get("reference_ms_per_image", {})
rows = []
for line in open(log):
    match = re.search(r"\] (\w+): (\d+) images in ([\d.]+) s \(([\d.]+) ms per image\)", line)
    if match:
        rows.append((match.group(1), int(match.group(2)), float(match.group(3))))
print("| corruption | images | crimp s | crimp ms/image | reference ms/image (1 thread) | speed-up |")
print("|---|---:|---:|---:|---:|---:|")
total_crimp = total_reference = 0.0
for name, count, seconds in rows:
    per_image = 1000.0 * seconds / count
    reference_ms = 1000.0 * reference[name] if name in reference else float("nan")
    total_crimp += per_image
    total_reference += reference_ms
    print(f"| {name} | {count} | {seconds:.2f} | {per_image:.4f} | {reference_ms:.3f} | {reference_ms / per_image:.0f}× |")
print(f"| all 15 | | | {total_crimp:.4f} | {total_reference:.3f} | {total_reference / total_crimp:.0f}× |")
PY
