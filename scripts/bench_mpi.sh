#!/usr/bin/env bash
# Parallel efficiency of distributed searches. Every genome evaluation is simulated (--simulate-eval-ms):
# it sleeps a fixed time, so that the benchmark measures the scheduling, messaging and run-file work of
# rank 0 rather than the cores of this machine. The same search runs on one process and under mpirun on
# each rank count. Per run, the script prints the time of generations 1 to G (generation 0 includes
# every rank's set-up), the speed-up over one process and the efficiency per worker rank, since rank 0
# only coordinates. It also prints the ideal time: whole rounds of evaluations, Σ ceil(new genomes / workers)
# · eval-ms over the generations, with no cost for messages or rank 0. It checks that every run made the
# same evaluations. The data are a tiny random CIFAR-10, since simulated evaluations do not look at
# them. New random data can change the search path, and so the evaluation count, from call to call.
#
# It needs mpirun and /usr/bin/python3 with h5py, takes about 2 minutes with the defaults, and exits
# with status 1 when a run's evaluations differ from the one-process run's.
#
# Usage: scripts/bench_mpi.sh [--eval-ms 400] [--population 24] [--generations 3] [--ranks "2 4 8"]
#                             [--crimp build/crimp]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
crimp=$root/build/crimp
eval_ms=400
population=24
generations=3
rank_counts="2 4 8"

while [[ $# -gt 0 ]]; do
    case $1 in
        --eval-ms) eval_ms=${2:?--eval-ms needs milliseconds}; shift ;;
        --population) population=${2:?--population needs a number}; shift ;;
        --generations) generations=${2:?--generations needs a number}; shift ;;
        --ranks) rank_counts=${2:?--ranks needs a list such as \"2 4 8\"}; shift ;;
        --crimp) crimp=${2:?--crimp needs a path}; shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench_mpi.sh: unknown option '$1'; run with --help" >&2; exit 2 ;;
    esac
    shift
done
[[ -x $crimp ]] || { echo "bench_mpi.sh: crimp not found at '$crimp'; build it with scripts/setup.sh" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "bench_mpi.sh: mpirun not found; install openmpi-bin" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
search_population=$population
source "$root/tests/synthetic_search.sh"
search_args+=(--generations "$generations" --threads 1 --workers 1
    --simulate-eval-ms "$eval_ms" --quiet)
launch=(mpirun --oversubscribe)
[[ $(id -u) -eq 0 ]] && launch+=(--allow-run-as-root)
export OMPI_MCA_btl_vader_single_copy_mechanism=none

# generation_time RUN: seconds from the end of generation 0 to the end of the last generation.
generation_time() {
    /usr/bin/python3 -c 'import sys, h5py; e = h5py.File(sys.argv[1], "r")["generations/elapsed_seconds"][:]; print(e[-1] - e[0])' "$1"
}

# ideal_time RUN WORKERS: seconds of whole evaluation rounds in generations 1 to G.
ideal_time() {
    /usr/bin/python3 - "$1" "$2" "$eval_ms" <<'PY'
import math, sys, h5py
counts = h5py.File(sys.argv[1], "r")["generations/evaluations"][:]
workers, seconds = int(sys.argv[2]), float(sys.argv[3]) / 1000
print(sum(math.ceil((after - before) / workers) * seconds for before, after in zip(counts[:-1], counts[1:])))
PY
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $eval_ms ms per evaluation," \
    "population $population, $generations generations"
"$crimp" search --out "$scratch/reference.h5" "${search_args[@]}"
front "$scratch/reference.h5" reference
single=$(generation_time "$scratch/reference.h5")
evaluations=$(($(wc -l <"$scratch/reference-all.csv") - 1))
printf "%-14s %8s %12s %8s %10s %12s\n" "processes" "workers" "generations" "ideal" "speed-up" "efficiency"
printf "%-14s %8d %11.2fs %7.2fs %10s %12s\n" "1 (no MPI)" 1 "$single" "$(ideal_time "$scratch/reference.h5" 1)" "1.00" "1.00"
for ranks in $rank_counts; do
    run=$scratch/ranks$ranks.h5
    "${launch[@]}" -np "$ranks" "$crimp" search --mpi --out "$run" "${search_args[@]}"
    front "$run" ranks$ranks
    same_as_reference ranks$ranks >/dev/null
    time=$(generation_time "$run")
    ideal=$(ideal_time "$run" $((ranks - 1)))
    awk -v ranks="$ranks" -v single="$single" -v time="$time" -v ideal="$ideal" 'BEGIN {
        workers = ranks - 1
        printf "%-14s %8d %11.2fs %7.2fs %10.2f %12.2f\n", ranks " ranks", workers, time, ideal, single / time, single / time / workers }'
done
echo "$evaluations evaluations in every run; $failures run(s) differed from the one-process run"
[[ $failures -eq 0 ]]
