# Sourced by the search tests: a tiny synthetic CIFAR-10, a baseline trained on it, the search options
# that keep a search on it short, and helpers that compare runs by their CSV tables.
# Needs $crimp and $scratch, and takes $search_population (default 8); defines $search_args, fail, front
# and same_as_reference.

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# 5 training batches of 60 random images and a test batch of 100, in the CIFAR-10 binary format.
make_synthetic_cifar() { # FOLDER
    local data=$1/cifar-10-batches-bin batch i
    mkdir -p "$data"
    make_batch() { # FILE COUNT
        for ((i = 0; i < $2; i++)); do
            printf "\\x0$((i % 10))"
            head -c 3072 /dev/urandom
        done >"$1"
    }
    for batch in 1 2 3 4 5; do make_batch "$data/data_batch_$batch.bin" 60; done
    make_batch "$data/test_batch.bin" 100
}

make_synthetic_cifar "$scratch/data"
"$crimp" train --quiet --data-dir "$scratch/data" --out "$scratch/baseline.pt" --epochs 1 --batch-size 32 \
    --validation-images 50 --threads 1 || { echo "FAIL: training the baseline"; exit 1; }

search_args=(--baseline "$scratch/baseline.pt" --data-dir "$scratch/data" --population "${search_population:-8}"
    --validation-images 0 --corrupt-images 5 --corruptions gaussian_noise,contrast --routes ptq --bits-max 8
    --clusters-max 16 --sparsity-max 0.9 --seed 5)

# front RUN NAME: writes the Pareto front and every evaluation as CSV files NAME-front.csv and NAME-all.csv.
front() {
    "$crimp" front "$1" --csv "$scratch/$2-front.csv" --quiet && "$crimp" front "$1" --rank all --csv "$scratch/$2-all.csv" --quiet
}

same_as_reference() { # NAME
    if cmp -s "$scratch/reference-front.csv" "$scratch/$1-front.csv" && cmp -s "$scratch/reference-all.csv" "$scratch/$1-all.csv"; then
        echo "ok: $1 ends with the reference evaluations and front"
    else
        fail "$1 differs from the reference run"
        diff "$scratch/reference-all.csv" "$scratch/$1-all.csv" | head -20
    fi
}
