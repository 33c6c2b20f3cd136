#!/usr/bin/env bash
# Checks the exit status and messages of crimp's command line for help, usage errors and bad input.
set -u
crimp=${1:?usage: cli_test.sh PATH_TO_CRIMP}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0

# expect STATUS PATTERN ARGS...: runs crimp with ARGS, checks its exit status and that the
# combined output matches the extended regular expression PATTERN.
expect() {
    local status=$1 pattern=$2
    shift 2
    local output actual
    output=$("$crimp" "$@" 2>&1)
    actual=$?
    if [[ $actual -ne $status ]]; then
        echo "FAIL: crimp $* exited with $actual, expected $status. Output:"
        echo "$output"
        failures=$((failures + 1))
    elif ! grep -Eq -- "$pattern" <<<"$output"; then
        echo "FAIL: crimp $* output does not match '$pattern'. Output:"
        echo "$output"
        failures=$((failures + 1))
    else
        echo "ok: crimp $*"
    fi
}

expect 0 "Commands:" --help
expect 2 "Usage: crimp" 
expect 2 "unknown command 'frobnicate'" frobnicate
expect 0 "--epochs" train --help
expect 0 "--split" evaluate --help
expect 0 "resnet20 +269722" models
expect 2 "invalid" train --epochs abc --out "$scratch/m.pt"
expect 2 "unrecognised option|unrecognized option" train --no-such-option
expect 2 "--out" train --model resnet20
expect 2 "unknown model 'resnet21'.*mobilenetv2" train --model resnet21 --out "$scratch/m.pt"
expect 2 "invalid dataset 'mnist'" train --dataset mnist --out "$scratch/m.pt"
expect 2 "contradict" models --verbose --quiet
expect 2 "invalid class count 1" models --classes 1
expect 2 "configuration file '$scratch/absent.ini' not found" models --config "$scratch/absent.ini"
expect 1 "missing data file '$scratch/empty/cifar-10-batches-bin/data_batch_1.bin'" \
    train --data-dir "$scratch/empty" --out "$scratch/m.pt" --epochs 1
expect 1 "model file '$scratch/absent.pt' not found" evaluate --model "$scratch/absent.pt"

# crimp compress: the genome is checked before anything is read.
expect 0 "--technique" compress --help
expect 2 "invalid sparsity 1.5" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp" --sparsity 1.5
expect 2 "invalid bits 9" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp" --bits 9
expect 2 "invalid clusters 1:" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp" --clusters 1
expect 2 "invalid clusters 257" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp" --clusters 257
expect 2 "invalid route 'qat'" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp" --route qat
expect 2 "invalid technique 17" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp" --technique 17
expect 2 "leave out --bits" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp" --technique 3 --bits 4
expect 1 "model file '$scratch/absent.pt' not found" compress --baseline "$scratch/absent.pt" --out "$scratch/m.crimp"

# Damaged packed models: an unknown version, and a body shorter than its header states.
printf '\x89CRIMP\r\n\x07\x00\x00\x00' >"$scratch/newer.crimp"
expect 1 "unknown format version 7" evaluate --model "$scratch/newer.crimp"
printf '\x89CRIMP\r\n\x01\x00\x00\x00\x00\x00\x00\x00\xff\x00\x00\x00\x00\x00\x00\x00' >"$scratch/short.crimp"
expect 1 "truncated packed model" evaluate --model "$scratch/short.crimp"

# crimp search and its companions: settings are checked before any data is read.
expect 0 "--population" search --help
expect 0 "Usage: crimp resume RUN" resume --help
expect 2 "invalid population 6" search --out "$scratch/run.h5" --baseline "$scratch/absent.pt" --population 6
expect 2 "invalid population 10" search --out "$scratch/run.h5" --baseline "$scratch/absent.pt" --population 10
expect 2 "invalid clusters-max 48" search --out "$scratch/run.h5" --baseline "$scratch/absent.pt" --clusters-max 48
expect 2 "invalid route 'qat'" search --out "$scratch/run.h5" --baseline "$scratch/absent.pt" --routes ptq,qat
expect 1 "run file '$scratch/absent.h5' not found" resume "$scratch/absent.h5"
expect 1 "run file '$scratch/absent.h5' not found" status "$scratch/absent.h5"
expect 2 "invalid --rank 'zero'" front "$scratch/absent.h5" --rank zero

expect 2 "invalid technique 17" techniques --baseline "$scratch/absent.pt" --out "$scratch/t.csv" --techniques 1,17
expect 1 "model file '$scratch/absent.pt' not found" techniques --baseline "$scratch/absent.pt" --out "$scratch/t.csv"

expect 2 "unrecognised option|unrecognized option" search --out "$scratch/run.h5" --baseline "$scratch/absent.pt" --generation 2
expect 1 "packed model '$scratch/absent.crimp' not found: write one with .crimp compress" evaluate --model "$scratch/absent.crimp"
if [[ -e $scratch/absent.h5.lock ]]; then
    echo "FAIL: resuming a missing run file left a lock file"
    failures=$((failures + 1))
fi

# A configuration file supplies options, and the command line overrides them.
cat >"$scratch/models.ini" <<'INI'
classes = 100
INI
expect 0 "resnet20 +275572" models --config "$scratch/models.ini"
expect 0 "resnet20 +269722" models --config "$scratch/models.ini" --classes 10
cat >"$scratch/bad.ini" <<'INI'
colours = 3
INI
expect 2 "colours" models --config "$scratch/bad.ini"

# crimp corrupt: requests are validated before any data is read.
expect 2 "nothing to do" corrupt
expect 2 "unknown corruption 'hail'.*elastic_transform" corrupt --corruptions fog,hail --out "$scratch/c"
expect 2 "invalid severity '6'" corrupt --severities 1,6 --out "$scratch/c"
expect 1 "cannot create output folder '/dev/null/c'" corrupt --out /dev/null/c
expect 1 "frost texture '$scratch/no-frost/frost1.png' not found" \
    corrupt --corruptions frost --frost-dir "$scratch/no-frost" --data-dir "$scratch/empty" --out "$scratch/c"

# With the exact CIFAR-10 test images, corrupted sets land in the CIFAR-10-C layout.
shared_data=$(cd "$(dirname "$0")/../.." && pwd)/shared/data
if [[ -f $shared_data/cifar-10-exact/test_batch.first1000.bin ]]; then
    mkdir -p "$scratch/exact/cifar-10-batches-bin"
    cp "$shared_data/cifar-10-exact/test_batch.first1000.bin" "$scratch/exact/cifar-10-batches-bin/test_batch.bin"
    expect 0 "wrote 2 corruption\(s\) of 4 images" corrupt --data-dir "$scratch/exact" --images 4 \
        --corruptions fog,contrast --severities 1,3 --out "$scratch/c"
    # 2 severities × 4 images × 3072 bytes plus a 128-byte header; labels are 8 int64 values.
    for file in fog.npy contrast.npy; do
        size=$(stat -c %s "$scratch/c/$file")
        if [[ $size -ne $((128 + 8 * 3072)) ]]; then
            echo "FAIL: $file has $size bytes, expected $((128 + 8 * 3072))"
            failures=$((failures + 1))
        fi
    done
    if [[ $(stat -c %s "$scratch/c/labels.npy") -ne $((128 + 8 * 8)) ]]; then
        echo "FAIL: labels.npy has the wrong size"
        failures=$((failures + 1))
    fi
    expect 0 "wrote $scratch/p.png" corrupt --data-dir "$scratch/exact" --images 2 --image 1 \
        --corruptions frost,snow --frost-dir "$shared_data/frost" --preview "$scratch/p.png"
    expect 2 "invalid --image 5: the split has 2 images" corrupt --data-dir "$scratch/exact" --images 2 --image 5 \
        --corruptions fog --preview "$scratch/p.png"
else
    echo "skipped: corrupted set checks need the exact CIFAR-10 test file at $shared_data"
fi

# crimp mce: error tables measured elsewhere.
expect 0 "--baseline-variant NAME" mce --help
expect 2 "invalid rounding 'banker': expected none or paper" \
    mce --errors "$scratch/e.csv" --baseline-variant base --rounding banker
expect 1 "'$scratch/absent.csv' not found or unreadable" mce --errors "$scratch/absent.csv" --baseline-variant base
reference=$(cd "$(dirname "$0")/../.." && pwd)/shared/reference/paper-errors/cifar10-resnet50
if [[ -f $reference/errors.csv ]]; then
    expect 0 "t16_pruning_50_clustering_16_qat_full_integer,92.67,76.7,85.8,8.131,1" \
        mce --errors "$reference/errors.csv" --sizes "$reference/sizes.csv" --baseline-variant t01_original \
        --rounding paper
fi

if [[ $failures -ne 0 ]]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all command-line checks passed"
