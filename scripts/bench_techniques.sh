#!/usr/bin/env bash
# Runs the 16 compression techniques of arXiv 2512.24971 on one trained baseline and prints a Markdown
# table for docs/techniques.md: validation and test accuracy, packed and deflate compression ratios,
# and the time each compression took. The packed models and their JSON reports stay in --out.
#
# Usage: scripts/bench_techniques.sh --baseline FILE.pt [--data-dir DIR] [--out DIR]
#                                    [--finetune-epochs E] [--techniques "1 2 ... 16"] [--threads N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${CRIMP_DATA:-}
if [[ -z $data_dir ]]; then
    if [[ -d $root/../shared/data ]]; then data_dir=$root/../shared/data; else data_dir=$root/data; fi
fi
baseline=""
out=$root/results/techniques
epochs=2
techniques=$(seq -s ' ' 1 16)
threads=0
crimp=$root/build/crimp

while [[ $# -gt 0 ]]; do
    case $1 in
        --baseline) baseline=${2:?--baseline needs a file}; shift ;;
        --data-dir) data_dir=${2:?--data-dir needs a folder}; shift ;;
        --out) out=${2:?--out needs a folder}; shift ;;
        --finetune-epochs) epochs=${2:?--finetune-epochs needs a number}; shift ;;
        --techniques) techniques=${2:?--techniques needs a list}; shift ;;
        --threads) threads=${2:?--threads needs a number}; shift ;;
        --crimp) crimp=${2:?--crimp needs a path}; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench_techniques.sh: unknown option '$1'; run with --help" >&2; exit 2 ;;
    esac
    shift
done
if [[ -z $baseline ]]; then
    echo "bench_techniques.sh: --baseline is required; run with --help" >&2
    exit 2
fi
[[ -x $crimp ]] || { echo "bench_techniques.sh: crimp not found at '$crimp'; build it with scripts/setup.sh" >&2; exit 1; }
mkdir -p "$out"

for technique in $techniques; do
    "$crimp" compress --quiet --baseline "$baseline" --data-dir "$data_dir" --technique "$technique" \
        --finetune-epochs "$epochs" --threads "$threads" --out "$out/technique$technique.crimp" \
        --json "$out/technique$technique.json"
    "$crimp" evaluate --quiet --model "$out/technique$technique.crimp" --data-dir "$data_dir" --split test \
        --threads "$threads" --json "$out/technique$technique-test.json"
done

echo "| # | technique | fine-tuning epochs (best) | validation accuracy | test accuracy | packed bytes | compression ratio | deflate ratio | time |"
echo "|---|---|---|---|---|---|---|---|---|"
for technique in $techniques; do
    /usr/bin/python3 - "$out/technique$technique.json" "$out/technique$technique-test.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
test = json.load(open(sys.argv[2]))
epochs = report["genome"]["finetune_epochs"]
budget = f"{epochs} ({report['finetuning_best_epoch']})" if epochs else "0"
print(f"| {report['technique']} | {report['technique_name']} | {budget} | "
      f"{100 * report['validation_accuracy']:.2f} % | {100 * test['accuracy']:.2f} % | {report['packed_bytes']} | "
      f"{report['compression_ratio']:.2f} | {report['deflate_ratio']:.2f} | {report['seconds']:.0f} s |")
PY
done
