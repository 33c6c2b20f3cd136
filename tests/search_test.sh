#!/usr/bin/env bash
# End-to-end checks of `crimp search` on a tiny synthetic CIFAR-10. A run killed with SIGKILL at random
# moments and resumed ends with the same evaluations and front as a run left alone, and two workers give
# the same front as one. An existing run file is never overwritten, and a locked run file is reported with
# the process that locked it. Ctrl-C (SIGINT) exits with status 130, and the run then resumes.
set -u
crimp=${1:?usage: search_test.sh PATH_TO_CRIMP}
scratch=$(mktemp -d)
background=""
trap '[[ -n $background ]] && kill -9 "$background" 2>/dev/null; rm -rf "$scratch"' EXIT

# 1. Synthetic CIFAR-10, its baseline and the search options.
source "$(dirname "$0")/synthetic_search.sh"

# 2. The reference run, left alone.
start=$(date +%s.%N)
"$crimp" search --quiet --out "$scratch/reference.h5" "${search_args[@]}" --generations 3 --threads 1 || { echo "FAIL: reference search"; exit 1; }
duration=$(awk -v start="$start" -v end="$(date +%s.%N)" 'BEGIN { print end - start }')
# random_delay FRACTION: a random number of seconds between 0 and FRACTION of the reference duration.
random_delay() { awk -v limit="$duration" -v fraction="$1" -v draw="$RANDOM" 'BEGIN { print limit * fraction * draw / 32767 }'; }
front "$scratch/reference.h5" reference
[[ $(wc -l <"$scratch/reference-front.csv") -ge 2 ]] || fail "the reference front is empty"

# The run file opens with h5py (when it is installed) and has the documented layout.
if /usr/bin/python3 -c "import h5py" 2>/dev/null; then
    /usr/bin/python3 - "$scratch/reference.h5" <<'PY' || fail "the run file does not have the documented layout"
import sys, h5py
run = h5py.File(sys.argv[1], "r")
assert run.attrs["format"] == "crimp-run"
assert run.attrs["version"] == 1
count = run["evaluations/key"].shape[0]
assert count > 0
assert run["evaluations/genome"].shape == (count, 6)
assert run["evaluations/objectives"].shape == (count, 3)
assert run["evaluations/severity_errors"].shape == (count, 2, 5)
generations = run["generations/generation"][:]
assert list(generations) == [0, 1, 2, 3]
assert run["generations/population"].shape[:2] == (4, 8)
assert run["checkpoint"].attrs["generation"] == 3
assert run["test_front/key"].shape[0] > 0
PY
    echo "ok: the run file has the documented layout"
else
    echo "skip: h5py is not installed, so the run-file layout is not checked"
fi

# 3. Two workers give the same evaluations and front.
"$crimp" search --quiet --out "$scratch/workers.h5" "${search_args[@]}" --generations 3 --workers 2 --threads 2 || fail "two-worker search"
front "$scratch/workers.h5" workers
same_as_reference workers

# 4. SIGKILL at random moments, then resume until the run completes.
for trial in 1 2 3; do
    run=$scratch/killed$trial.h5
    "$crimp" search --quiet --out "$run" "${search_args[@]}" --generations 3 --threads 1 &
    background=$!
    sleep "$(random_delay 1)"
    kill -9 "$background" 2>/dev/null
    wait "$background" 2>/dev/null
    background=""
    for attempt in 1 2 3; do
        if [[ ! -f $run ]]; then
            "$crimp" search --quiet --out "$run" "${search_args[@]}" --generations 3 --threads 1 && break
        elif [[ $trial -eq 3 && $attempt -eq 1 ]]; then
            # The third trial is killed a second time, during the resume.
            "$crimp" resume --quiet "$run" &
            background=$!
            sleep "$(random_delay 0.5)"
            kill -9 "$background" 2>/dev/null
            wait "$background" 2>/dev/null
            background=""
        else
            "$crimp" resume --quiet "$run" && break
        fi
    done
    front "$run" killed$trial
    same_as_reference killed$trial
done

# The 16-technique table compares with the front, on the same scoring images.
"$crimp" techniques --quiet --baseline "$scratch/baseline.pt" --data-dir "$scratch/data" --out "$scratch/techniques.csv" \
    --techniques 1,2,3 --finetune-epochs 1 --validation-images 0 --corrupt-images 5 \
    --corruptions gaussian_noise,contrast --seed 5 --threads 1 || fail "crimp techniques"
[[ $(wc -l <"$scratch/techniques.csv") -eq 4 ]] || fail "the technique table does not have 3 rows"
output=$("$crimp" front "$scratch/reference.h5" --csv "$scratch/compared.csv" --reference "$scratch/techniques.csv" 2>&1)
[[ $output == *"the front dominates "*" of the 3 reference models"* ]] || fail "front --reference: $output"
cmp -s "$scratch/compared.csv" "$scratch/reference-front.csv" || fail "front --reference changed the front table"

# The HTML report shows the numbers of `crimp front`; it renders in Chromium and plots in Python when
# those are installed.
"$crimp" report --quiet "$scratch/reference.h5" --reference "$scratch/techniques.csv" --out "$scratch/report.html" \
    || fail "crimp report"
while IFS=, read -r name key _ _ _ _ _ _ accuracy mce ratio _; do
    for value in "$key" "$accuracy" "$mce" "$ratio"; do
        grep -q -- ">$value<" "$scratch/report.html" || fail "the report lacks $value of $name"
    done
done < <(tail -n +2 "$scratch/reference-front.csv")
grep -q "of the 3</b> reference models" "$scratch/report.html" || fail "the report lacks the dominance count"
if command -v chromium >/dev/null; then
    bash "$(dirname "$0")/../scripts/report_screenshot.sh" "$scratch/report.html" "$scratch/report.png" >/dev/null \
        && echo "ok: the report renders in Chromium" || fail "Chromium could not render the report"
else
    echo "skip: chromium is not installed, so the report is not rendered"
fi
if /usr/bin/python3 -c "import h5py, matplotlib" 2>/dev/null; then
    /usr/bin/python3 "$(dirname "$0")/../scripts/plot_front.py" "$scratch/reference.h5" --out "$scratch/plot" >/dev/null \
        && [[ -s $scratch/plot-accuracy-mce.png ]] && echo "ok: plot_front.py plots the run" || fail "plot_front.py"
else
    echo "skip: h5py or matplotlib is missing, so plot_front.py is not run"
fi

# 5. An existing run file is never overwritten.
before=$(md5sum <"$scratch/reference.h5")
output=$("$crimp" search --out "$scratch/reference.h5" "${search_args[@]}" --generations 3 --threads 1 2>&1)
status=$?
[[ $status -eq 2 && $output == *"exists"* ]] || fail "search over an existing run file exited with $status: $output"
[[ $(md5sum <"$scratch/reference.h5") == "$before" ]] || fail "the existing run file changed"

# 6. A run file held by another process is reported with that process.
"$crimp" search --quiet --out "$scratch/held.h5" "${search_args[@]}" --generations 40 --threads 1 &
background=$!
for _ in $(seq 1 100); do [[ -s $scratch/held.h5.lock ]] && break; sleep 0.1; done
output=$("$crimp" resume "$scratch/held.h5" 2>&1)
status=$?
[[ $status -eq 1 && $output == *"in use by process $background"* ]] || fail "resume of a held run exited with $status: $output"

# 7. SIGINT stops after the running evaluations with status 130, and the run resumes to the same end.
kill -INT "$background"
wait "$background"
status=$?
background=""
[[ $status -eq 130 ]] || fail "an interrupted search exited with $status, expected 130"
"$crimp" resume --quiet "$scratch/held.h5" --generations 3 || fail "resume after SIGINT"
front "$scratch/held.h5" interrupted
same_as_reference interrupted

if [[ $failures -gt 0 ]]; then
    echo "$failures search check(s) failed"
    exit 1
fi
echo "all search checks passed"
