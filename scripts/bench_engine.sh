#!/usr/bin/env bash
# Compare crimp's training and inference throughput on the CPU with the same networks in
# Python PyTorch, and print a Markdown table for docs/benchmarks.md. Run with --help for
# the options.
set -euo pipefail

readonly PROGRAM_NAME=${0##*/}
SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd)
readonly SCRIPT_DIR REPO_ROOT

# Debian's python3-torch. A `python3` earlier on PATH (pyenv, a virtual environment) may
# lack torch or carry a different LibTorch version than the one crimp links.
readonly PYTHON=/usr/bin/python3
readonly TORCH_SCRIPT=$SCRIPT_DIR/bench_engine_torch.py

readonly BATCH_SIZE=128
readonly ALL_MODELS=resnet20,resnet18,vgg11,mobilenetv2

# LibTorch from Debian uses GNU OpenMP (libgomp). With OMP_WAIT_POLICY unset, its idle
# threads spin for up to 300,000 iterations before they sleep (GOMP_SPINCOUNT in the
# libgomp manual), which takes CPU time from other threads and processes.
export OMP_WAIT_POLICY=PASSIVE

WORK_DIR=
clean_up() {
  if [[ -n $WORK_DIR ]]; then
    rm -rf -- "$WORK_DIR"
  fi
}
trap clean_up EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

print_usage() {
  cat <<EOF
Usage: $PROGRAM_NAME [OPTIONS]

Measure training and inference images/s at batch size $BATCH_SIZE on the CPU, for crimp and
for the same networks in Python PyTorch ($PYTHON with Debian's python3-torch).
For each model the script runs crimp training, PyTorch training, crimp inference and
PyTorch inference in turn, so both sides see the same machine load. It prints the
machine, the versions, the command and a Markdown table on standard output; progress
goes to standard error.

Training images/s is the last epoch's rate over the training loop: shuffling, batch
selection, random crop and flip, normalisation, forward, backward and SGD step. Use at
least 2 epochs, because the first epoch includes warm-up. Inference images/s covers the
10,000 CIFAR-10 test images, including normalisation and excluding file loading.

Options:
  --data-dir DIR      Folder with cifar-10-batches-bin/ (default: \$CRIMP_DATA if set,
                      else ../shared/data next to the repository if it exists, else data/
                      in the repository).
  --threads T         Threads for LibTorch on both sides (default: 1). On a 2-core
                      machine that was busy with another job, 2 OpenMP threads ran much
                      slower than 1, so compare at 1 thread unless the machine is idle.
  --train-images N    Training images per epoch (default: 10000).
  --epochs E          Training epochs; the last one is reported (default: 2).
  --models LIST       Comma-separated models (default: $ALL_MODELS).
  --crimp PATH        crimp binary (default: build/crimp in the repository).
  -h, --help          Print this help and exit.

Both sides run with OMP_WAIT_POLICY=PASSIVE, so idle OpenMP threads sleep instead of
spinning.
EOF
}

die() {
  echo "$PROGRAM_NAME: $*" >&2
  exit 1
}

require_value() {
  if [[ $# -lt 2 || -z $2 ]]; then
    die "missing value for $1; run $PROGRAM_NAME --help"
  fi
}

require_positive_int() {
  if ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
    die "invalid $1 '$2': expected a positive integer"
  fi
}

# Print the value at a dotted key path (e.g. training.history.-1.images_per_second) of a JSON file.
json_value() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys

value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value)
EOF
}

# Print a/b with 2 decimals, or n/a when b is not positive.
format_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'
}

# Print an images/s value with 1 decimal.
format_rate() {
  awk -v x="$1" 'BEGIN { printf "%.1f", x }'
}

load_average() {
  cut -d ' ' -f 1-3 /proc/loadavg
}

# Run a command with its output in a log file. On failure, show the end of the log and exit.
run_logged() {
  local log=$1
  shift
  if ! "$@" > "$log" 2>&1; then
    echo "$PROGRAM_NAME: command failed: $*" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}

# ---------------------------------------------------------------------------
# Options.

COMMAND_LINE=$(printf '%q ' "$0" "$@")
if [[ -n ${CRIMP_DATA:-} ]]; then
  data_dir=$CRIMP_DATA
elif [[ -d $REPO_ROOT/../shared/data ]]; then
  data_dir=$REPO_ROOT/../shared/data
else
  data_dir=$REPO_ROOT/data
fi
threads=1
train_images=10000
epochs=2
models=$ALL_MODELS
crimp=$REPO_ROOT/build/crimp

while [[ $# -gt 0 ]]; do
  case $1 in
    --data-dir) require_value "$@"; data_dir=$2; shift 2 ;;
    --threads) require_value "$@"; threads=$2; shift 2 ;;
    --train-images) require_value "$@"; train_images=$2; shift 2 ;;
    --epochs) require_value "$@"; epochs=$2; shift 2 ;;
    --models) require_value "$@"; models=$2; shift 2 ;;
    --crimp) require_value "$@"; crimp=$2; shift 2 ;;
    -h | --help) print_usage; exit 0 ;;
    *) die "unknown option '$1'; run $PROGRAM_NAME --help" ;;
  esac
done

require_positive_int --threads "$threads"
require_positive_int --train-images "$train_images"
require_positive_int --epochs "$epochs"
if (( train_images < 2 )); then
  die "invalid --train-images $train_images: expected 2 or more, because batch norm needs two images per batch"
fi

IFS=, read -r -a model_list <<< "$models"
for model in "${model_list[@]}"; do
  case $model in
    resnet20 | resnet18 | vgg11 | mobilenetv2) ;;
    *) die "invalid model '$model' in --models: expected a comma-separated subset of $ALL_MODELS" ;;
  esac
done

[[ -x $crimp ]] || die "crimp binary not found or not executable: $crimp; build it or pass --crimp PATH"
[[ -x $PYTHON ]] || die "$PYTHON not found; install Debian's python3-torch"
"$PYTHON" -c 'import numpy, torch' 2> /dev/null \
  || die "$PYTHON cannot import torch and numpy; install python3-torch and python3-numpy"
[[ -f $data_dir/cifar-10-batches-bin/test_batch.bin ]] \
  || die "CIFAR-10 not found in $data_dir/cifar-10-batches-bin; run scripts/download_cifar.sh or pass --data-dir"

WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bench_engine.XXXXXX")

# ---------------------------------------------------------------------------
# Machine and versions.

load_at_start=$(load_average)
cpu_model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
torch_version=$("$PYTHON" -c 'import torch; print(torch.__version__)')
python_version=$("$PYTHON" -c 'import platform; print(platform.python_version())')
libtorch_library=$(ldd "$crimp" | awk '/libtorch_cpu/ { print $3 }')
libtorch_package=$(dpkg-query -W -f '${Package} ${Version}' libtorch1.13 2> /dev/null || echo unknown)
crimp_commit=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
if [[ -n $(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2> /dev/null) ]]; then
  crimp_commit+=" (with uncommitted changes)"
fi

# Parameter counts from crimp's model zoo, to check that both sides build the same network.
"$crimp" models > "$WORK_DIR/models.txt"

# ---------------------------------------------------------------------------
# Measurements, one model at a time, alternating between crimp and PyTorch.

table_rows=()
for model in "${model_list[@]}"; do
  echo "$model: crimp training" >&2
  run_logged "$WORK_DIR/$model.crimp-train.log" \
    "$crimp" train --model "$model" --data-dir "$data_dir" --device cpu \
    --epochs "$epochs" --train-images "$train_images" --validation-images 0 \
    --batch-size "$BATCH_SIZE" --threads "$threads" --patience 0 \
    --out "$WORK_DIR/$model.pt" --json "$WORK_DIR/$model.crimp-train.json" --quiet

  echo "$model: PyTorch training" >&2
  run_logged "$WORK_DIR/$model.torch-train.log" \
    "$PYTHON" "$TORCH_SCRIPT" train --model "$model" --data-dir "$data_dir" \
    --epochs "$epochs" --train-images "$train_images" \
    --batch-size "$BATCH_SIZE" --threads "$threads" \
    --out "$WORK_DIR/$model.torch.pt" --json "$WORK_DIR/$model.torch-train.json"

  crimp_parameters=$(awk -v name="$model" '$1 == name { print $2 }' "$WORK_DIR/models.txt")
  torch_parameters=$(json_value "$WORK_DIR/$model.torch-train.json" parameters)
  if [[ $crimp_parameters != "$torch_parameters" ]]; then
    die "$model has $crimp_parameters parameters in crimp but $torch_parameters in $TORCH_SCRIPT"
  fi

  echo "$model: crimp inference" >&2
  run_logged "$WORK_DIR/$model.crimp-infer.log" \
    "$crimp" evaluate --model "$WORK_DIR/$model.pt" --data-dir "$data_dir" --device cpu \
    --split test --batch-size "$BATCH_SIZE" --threads "$threads" \
    --json "$WORK_DIR/$model.crimp-infer.json" --quiet

  echo "$model: PyTorch inference" >&2
  run_logged "$WORK_DIR/$model.torch-infer.log" \
    "$PYTHON" "$TORCH_SCRIPT" infer --model "$model" --data-dir "$data_dir" \
    --batch-size "$BATCH_SIZE" --threads "$threads" \
    --weights "$WORK_DIR/$model.torch.pt" --json "$WORK_DIR/$model.torch-infer.json"

  crimp_train=$(json_value "$WORK_DIR/$model.crimp-train.json" training.history.-1.images_per_second)
  torch_train=$(json_value "$WORK_DIR/$model.torch-train.json" images_per_second)
  crimp_infer=$(json_value "$WORK_DIR/$model.crimp-infer.json" images_per_second)
  torch_infer=$(json_value "$WORK_DIR/$model.torch-infer.json" images_per_second)
  table_rows+=("| $model | $(format_rate "$crimp_train") | $(format_rate "$torch_train") | $(format_ratio "$crimp_train" "$torch_train") | $(format_rate "$crimp_infer") | $(format_rate "$torch_infer") | $(format_ratio "$crimp_infer" "$torch_infer") |")
done

load_at_end=$(load_average)

# ---------------------------------------------------------------------------
# Report.

cat <<EOF
- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $cpu_model, $(nproc) logical CPUs, load average (1, 5, 15 min) $load_at_start at start and $load_at_end at end
- crimp: commit $crimp_commit, linked to $libtorch_library ($libtorch_package)
- PyTorch: $torch_version on Python $python_version ($PYTHON)
- Settings: CPU, $threads thread(s), OMP_WAIT_POLICY=PASSIVE, batch size $BATCH_SIZE, training on $train_images images for $epochs epoch(s) (last epoch reported), inference on the 10,000 test images
- Command: \`${COMMAND_LINE% }\`

| model | crimp train img/s | PyTorch train img/s | ratio | crimp inference img/s | PyTorch inference img/s | ratio |
|---|---:|---:|---:|---:|---:|---:|
EOF
printf '%s\n' "${table_rows[@]}"
