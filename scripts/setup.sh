#!/usr/bin/env bash
# Installs the Debian 12 packages crimp needs, then configures and builds a Release build in build/.
# Safe to rerun: installed packages are skipped and the build is incremental (ccache when present).
#
# Usage: scripts/setup.sh [--no-install] [--with-bench] [--build-dir DIR] [--jobs N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$root/build"
jobs=$(nproc)
install=1
with_bench=0

while [[ $# -gt 0 ]]; do
    case $1 in
        --no-install) install=0 ;;
        --with-bench) with_bench=1 ;;
        --build-dir) build_dir=${2:?--build-dir needs a folder}; shift ;;
        --jobs) jobs=${2:?--jobs needs a number}; shift ;;
        -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "setup.sh: unknown option '$1'; run scripts/setup.sh --help" >&2; exit 2 ;;
    esac
    shift
done

packages=(
    build-essential cmake ccache pkg-config
    libtorch-dev
    libboost-program-options-dev libspdlog-dev nlohmann-json3-dev libtbb-dev libhdf5-dev zlib1g-dev
    # the search: pagmo2's NSGA-II, whose checkpoints use Boost.Serialization
    libpagmo-dev libboost-serialization-dev
    # distributed evaluation: the MPI C API and mpirun
    libopenmpi-dev openmpi-bin
    # the corruptions: OpenCV and libjpeg-turbo, as the CIFAR-10-C reference used them
    libopencv-dev libjpeg62-turbo-dev
    doctest-dev
    # download_cifar.sh and its test, and the run-file check of the search test
    curl ca-certificates tar python3 python3-h5py
    # scripts/plot_front.py
    python3-matplotlib
)
if [[ $with_bench -eq 1 ]]; then
    # The benchmark compares crimp with the same networks in Debian's PyTorch (same LibTorch version).
    packages+=(python3-torch python3-numpy)
fi

if [[ $install -eq 1 ]]; then
    missing=()
    for package in "${packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        sudo_command=()
        if [[ $(id -u) -ne 0 ]]; then
            sudo_command=(sudo)
        fi
        echo "setup.sh: installing ${missing[*]}"
        "${sudo_command[@]}" apt-get update -qq
        "${sudo_command[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "setup.sh: all ${#packages[@]} packages are installed"
    fi
fi

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" --parallel "$jobs"
echo "setup.sh: built $build_dir/crimp"
