#!/usr/bin/env bash
# End-to-end checks of distributed searches (`crimp search --mpi` under mpirun) on a tiny synthetic
# CIFAR-10. One process, 2 ranks and 3 ranks end with the same evaluations and front, as does a run
# continued with `crimp resume --mpi`. A single rank falls back to local evaluation. A killed worker
# rank and a worker rank that times out both end the job with a resumable run file.
set -u
crimp=${1:?usage: mpi_test.sh PATH_TO_CRIMP [PATH_TO_MPIRUN]}
mpirun=${2:-mpirun}
scratch=$(mktemp -d)
background=""
trap '[[ -n $background ]] && kill -9 "$background" 2>/dev/null; rm -rf "$scratch"' EXIT

# 1. Synthetic CIFAR-10, its baseline and the search options.
source "$(dirname "$0")/synthetic_search.sh"

# More ranks than cores is the point here. Open MPI rejects root without --allow-run-as-root, and
# shared-memory single-copy transfers need ptrace rights that containers often lack.
launch=("$mpirun" --oversubscribe)
[[ $(id -u) -eq 0 ]] && launch+=(--allow-run-as-root)
export OMPI_MCA_btl_vader_single_copy_mechanism=none

# same_order_as_reference NAME: the run file NAME.h5 lists the reference's evaluations in the same order,
# each requested by the same generation and batch position (checked when h5py is installed).
same_order_as_reference() {
    /usr/bin/python3 -c "import h5py" 2>/dev/null || return 0
    /usr/bin/python3 - "$scratch/reference.h5" "$scratch/$1.h5" <<'PY' || fail "$1 lists its evaluations in another order"
import sys, h5py
reference, run = (h5py.File(name, "r")["evaluations"] for name in sys.argv[1:])
assert list(reference["key"][:]) == list(run["key"][:])
assert (reference["requested_by"][:] == run["requested_by"][:]).all()
PY
}

# 2. The reference: one process, no MPI.
"$crimp" search --quiet --out "$scratch/reference.h5" "${search_args[@]}" --generations 2 --threads 1 \
    || { echo "FAIL: reference search"; exit 1; }
front "$scratch/reference.h5" reference

# 3. 2 and 3 ranks, and a run of 3 ranks stopped after generation 1 and resumed on 2 ranks.
for ranks in 2 3; do
    "${launch[@]}" -np $ranks "$crimp" search --mpi --quiet --out "$scratch/ranks$ranks.h5" "${search_args[@]}" \
        --generations 2 --threads 1 || fail "search on $ranks ranks"
    front "$scratch/ranks$ranks.h5" ranks$ranks
    same_as_reference ranks$ranks
    same_order_as_reference ranks$ranks
done
"${launch[@]}" -np 3 "$crimp" search --mpi --quiet --out "$scratch/resumed.h5" "${search_args[@]}" \
    --generations 1 --threads 1 || fail "search on 3 ranks for 1 generation"
"${launch[@]}" -np 2 "$crimp" resume --mpi --quiet "$scratch/resumed.h5" --generations 2 || fail "resume --mpi on 2 ranks"
front "$scratch/resumed.h5" resumed
same_as_reference resumed
same_order_as_reference resumed

# 4. One rank evaluates on its own workers, with a warning.
output=$("${launch[@]}" -np 1 "$crimp" search --mpi --out "$scratch/single.h5" "${search_args[@]}" --generations 2 \
    --threads 1 2>&1) || fail "search --mpi on one rank: $output"
[[ $output == *"job of one process"* ]] || fail "one rank gave no fallback warning: $output"
front "$scratch/single.h5" single
same_as_reference single

# An invalid timeout is rejected before MPI starts, on every rank alike.
output=$("${launch[@]}" -np 2 "$crimp" search --mpi --out "$scratch/invalid.h5" "${search_args[@]}" --mpi-timeout 0 2>&1)
[[ $? -ne 0 && $output == *"invalid --mpi-timeout 0"* && ! -e $scratch/invalid.h5 ]] \
    || fail "--mpi-timeout 0 was not rejected: $output"

# worker_pid RUN: the process id of worker rank 1 of the job writing RUN, once it exists.
worker_pid() {
    local pid
    for pid in $(pgrep -f -- "--out $1"); do
        if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1"; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

# 5. A worker rank killed during generation 1 ends the job; the run resumes, here on one process.
run=$scratch/killed.h5
"${launch[@]}" -np 3 "$crimp" search --mpi --quiet --out "$run" "${search_args[@]}" --generations 2 --threads 1 \
    >"$scratch/killed.log" 2>&1 &
background=$!
for _ in $(seq 1 600); do
    "$crimp" status "$run" 2>/dev/null | grep -q "^generation:   0" && break
    sleep 0.1
done
pid=$(worker_pid "$run") && kill -9 "$pid" || fail "no worker rank to kill"
for _ in $(seq 1 600); do kill -0 "$background" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$background" 2>/dev/null; then
    fail "the job went on for a minute after a worker rank died"
    kill -9 "$background"
fi
wait "$background"
status=$?
background=""
[[ $status -ne 0 ]] || fail "a job whose worker rank died exited with status 0"
"$crimp" status "$run" >/dev/null || fail "the run file of the killed job does not open"
"$crimp" resume --quiet "$run" || fail "resume after a killed worker rank"
front "$run" killed
same_as_reference killed
same_order_as_reference killed

# 6. A worker rank that gives no result within --mpi-timeout ends the job, which resumes. (On a slow
# machine the worker's set-up may be what times out; both end the same way.)
run=$scratch/timeout.h5
output=$("${launch[@]}" -np 2 "$crimp" search --mpi --out "$run" "${search_args[@]}" --generations 0 --threads 1 \
    --simulate-eval-ms 2500 --mpi-timeout 2 2>&1)
status=$?
[[ $status -ne 0 && $output == *"within 2 s. The run file keeps"*"crimp resume $run"* ]] \
    || fail "a timed-out worker rank: status $status, output: $output"
"$crimp" resume --quiet "$run" || fail "resume after a timed-out worker rank"
[[ $("$crimp" status "$run" | grep "^evaluations:") == "evaluations:  8 "* ]] \
    || fail "the resumed run does not hold 8 evaluations: $("$crimp" status "$run")"
output=$("$crimp" export "$run" --out "$scratch/exported" 2>&1)
[[ $? -eq 2 && $output == *"simulated evaluations"* ]] || fail "export of a simulated run: $output"

if [[ $failures -gt 0 ]]; then
    echo "$failures MPI check(s) failed"
    exit 1
fi
echo "all MPI checks passed"
