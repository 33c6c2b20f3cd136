#!/usr/bin/env bash
# Runs a search preset twice on the same baseline, with 1 worker and with 2 workers over the same
# threads. For each run it prints the wall time, the evaluations, the genomes per minute, the share of
# wall time spent outside genome evaluation and the hypervolume per generation. It ends with the speed-up
# of 2 workers over 1. The baseline named in the preset is trained first when it is absent: the process
# wall time of the first run includes that training, the search's elapsed time does not.
#
# Usage: scripts/bench_search.sh [--config experiments/quick.ini] [--out DIR] [--threads N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config=$root/experiments/quick.ini
out=$root/results/bench-search
threads=$(nproc)
crimp=$root/build/crimp

while [[ $# -gt 0 ]]; do
    case $1 in
        --config) config=${2:?--config needs a file}; shift ;;
        --out) out=${2:?--out needs a folder}; shift ;;
        --threads) threads=${2:?--threads needs a number}; shift ;;
        --crimp) crimp=${2:?--crimp needs a path}; shift ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench_search.sh: unknown option '$1'; run with --help" >&2; exit 2 ;;
    esac
    shift
done
[[ -x $crimp ]] || { echo "bench_search.sh: crimp not found at '$crimp'; build it with scripts/setup.sh" >&2; exit 1; }
mkdir -p "$out"

for workers in 1 2; do
    run=$out/workers$workers.h5
    start=$(date +%s.%N)
    "$crimp" search --config "$config" --out "$run" --force --threads "$threads" --workers "$workers"
    end=$(date +%s.%N)
    /usr/bin/python3 - "$run" "$start" "$end" "$workers" <<'PY'
import sys, h5py
run = h5py.File(sys.argv[1], "r")
wall = float(sys.argv[3]) - float(sys.argv[2])
elapsed = run.attrs["elapsed_seconds"][0]
inside = run.attrs["evaluation_seconds"][0]
evaluations = run["evaluations/key"].shape[0]
print(f"workers {sys.argv[4]}: process wall time {wall:.0f} s, search elapsed {elapsed:.0f} s, "
      f"{evaluations} evaluations ({60 * evaluations / elapsed:.2f} per minute), "
      f"{100 * (elapsed - inside) / elapsed:.2f} % outside genome evaluation")
for generation, volume in zip(run["generations/generation"][:], run["generations/hypervolume"][:]):
    print(f"  generation {generation}: hypervolume {volume:.4f}")
with open(sys.argv[1] + ".elapsed", "w") as out:
    out.write(f"{elapsed}\n")
PY
done
awk -v one="$(cat "$out/workers1.h5.elapsed")" -v two="$(cat "$out/workers2.h5.elapsed")" \
    'BEGIN { printf "speed-up of 2 workers over 1: %.2f (search elapsed time)\n", one / two }'
