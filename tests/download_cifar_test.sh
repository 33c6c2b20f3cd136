#!/usr/bin/env bash
# Test scripts/download_cifar.sh against small fake CIFAR archives served from
# file:// URLs and from a loopback HTTP server. The fake archives cannot match the
# official MD5 sums, so the cases pass the expected sums in CRIMP_CIFAR10_MD5 and
# CRIMP_CIFAR100_MD5. Exit status 0 means every case passed; failures are printed.
set -uo pipefail

SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/download_cifar.sh"
readonly SCRIPT
readonly WRONG_MD5=00000000000000000000000000000000
readonly CIFAR10_FILES=(data_batch_1.bin data_batch_2.bin data_batch_3.bin
                        data_batch_4.bin data_batch_5.bin test_batch.bin)
readonly CIFAR100_FILES=(train.bin test.bin)
readonly FROST_FILES=(frost1.png frost2.png frost3.png frost4.jpg frost5.jpg frost6.jpg)

# The script must see only the variables that a case sets.
unset CRIMP_DATA CRIMP_CIFAR10_MD5 CRIMP_CIFAR100_MD5

WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/download_cifar_test.XXXXXX")
SERVER_PID=
SERVER_URL=

stop_server_and_clean_up() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2> /dev/null
    wait "$SERVER_PID" 2> /dev/null
  fi
  rm -rf -- "$WORK_DIR"
}
trap stop_server_and_clean_up EXIT

CURRENT_CASE=
FAILED_CASES=()
CASE_FAILED=0

fail() {
  printf 'FAIL %s: %s\n' "$CURRENT_CASE" "$*"
  CASE_FAILED=1
}

# Run the script with arguments "$@" and store its exit status and its combined
# stdout and stderr in STATUS and OUTPUT. Environment variables come from the
# caller, e.g. `CRIMP_CIFAR10_MD5=... run_script ...`.
run_script() {
  OUTPUT=$(bash "$SCRIPT" "$@" 2>&1)
  STATUS=$?
}

# Print the script output once per failed case, after the failed checks.
print_output_on_failure() {
  if (( CASE_FAILED )); then
    printf -- '--- output of the last run (exit status %s) ---\n%s\n---\n' "$STATUS" "$OUTPUT"
  fi
}

expect_status() {
  if [[ $STATUS != "$1" ]]; then
    fail "expected exit status $1, got $STATUS"
  fi
}

expect_output_contains() {
  if [[ $OUTPUT != *"$1"* ]]; then
    fail "output does not contain '$1'"
  fi
}

expect_same_file() {
  local expected=$1 actual=$2
  if [[ ! -f $actual ]]; then
    fail "missing file $actual"
  elif ! cmp -s -- "$expected" "$actual"; then
    fail "$actual differs from $expected"
  fi
}

expect_absent() {
  if [[ -e $1 || -L $1 ]]; then
    fail "$1 exists but should not"
  fi
}

# Temporary downloads and unpack folders are hidden entries in the data folder.
expect_no_hidden_entries() {
  local leftovers
  leftovers=$(find "$1" -mindepth 1 -maxdepth 1 -name '.*' 2> /dev/null)
  if [[ -n $leftovers ]]; then
    fail "temporary entries left in $1: $leftovers"
  fi
}

expect_cifar10_unpacked() {
  local folder=$1/cifar-10-batches-bin
  local file
  for file in "${CIFAR10_FILES[@]}"; do
    expect_same_file "$WORK_DIR/build/cifar-10-batches-bin/$file" "$folder/$file"
  done
  if ! grep -qx "archive_md5 $CIFAR10_MD5" "$folder/.complete" 2> /dev/null; then
    fail "$folder/.complete does not record archive_md5 $CIFAR10_MD5"
  fi
}

expect_cifar100_unpacked() {
  local folder=$1/cifar-100-binary
  local file
  for file in "${CIFAR100_FILES[@]}"; do
    expect_same_file "$WORK_DIR/build/cifar-100-binary/$file" "$folder/$file"
  done
}

# Write tiny stand-ins for the data files of folder $1 under build directory $2.
write_fake_files() {
  local build=$1 folder=$2
  shift 2
  mkdir -p "$build/$folder"
  local file
  for file in "$@"; do
    printf 'fake %s of %s in %s\n' "$file" "$folder" "$build" > "$build/$folder/$file"
  done
}

file_md5() {
  local sum
  sum=$(md5sum < "$1")
  printf '%s' "${sum%% *}"
}

# Build the fake archives with the member layout of the official ones:
#   mirror/             complete archives for both datasets
#   mirror_v2/          a CIFAR-10 archive with other contents, so another MD5
#   mirror_incomplete/  a CIFAR-10 archive without test_batch.bin
#   frost_mirror/       files that start with the PNG or JPEG signature
#   frost_error_page/   frost1.png is an HTML page
build_fixtures() {
  local build=$WORK_DIR/build
  write_fake_files "$build" cifar-10-batches-bin "${CIFAR10_FILES[@]}" batches.meta.txt
  write_fake_files "$build" cifar-100-binary "${CIFAR100_FILES[@]}" fine_label_names.txt
  write_fake_files "$WORK_DIR/build_v2" cifar-10-batches-bin "${CIFAR10_FILES[@]}"
  write_fake_files "$WORK_DIR/build_incomplete" cifar-10-batches-bin \
    data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin

  mkdir -p "$WORK_DIR/mirror" "$WORK_DIR/mirror_v2" "$WORK_DIR/mirror_incomplete"
  tar -czf "$WORK_DIR/mirror/cifar-10-binary.tar.gz" -C "$build" cifar-10-batches-bin
  tar -czf "$WORK_DIR/mirror/cifar-100-binary.tar.gz" -C "$build" cifar-100-binary
  tar -czf "$WORK_DIR/mirror_v2/cifar-10-binary.tar.gz" -C "$WORK_DIR/build_v2" cifar-10-batches-bin
  tar -czf "$WORK_DIR/mirror_incomplete/cifar-10-binary.tar.gz" \
    -C "$WORK_DIR/build_incomplete" cifar-10-batches-bin

  CIFAR10_MD5=$(file_md5 "$WORK_DIR/mirror/cifar-10-binary.tar.gz")
  CIFAR100_MD5=$(file_md5 "$WORK_DIR/mirror/cifar-100-binary.tar.gz")
  CIFAR10_V2_MD5=$(file_md5 "$WORK_DIR/mirror_v2/cifar-10-binary.tar.gz")
  INCOMPLETE_MD5=$(file_md5 "$WORK_DIR/mirror_incomplete/cifar-10-binary.tar.gz")

  mkdir -p "$WORK_DIR/frost_mirror" "$WORK_DIR/frost_error_page"
  local name
  for name in "${FROST_FILES[@]}"; do
    case $name in
      *.png) printf '\x89PNG\r\n\x1a\nfake %s\n' "$name" > "$WORK_DIR/frost_mirror/$name" ;;
      *.jpg) printf '\xff\xd8\xff\xe0fake %s\n' "$name" > "$WORK_DIR/frost_mirror/$name" ;;
    esac
    cp "$WORK_DIR/frost_mirror/$name" "$WORK_DIR/frost_error_page/$name"
  done
  printf '<html><body>Not Found</body></html>\n' > "$WORK_DIR/frost_error_page/frost1.png"
}

# Serve WORK_DIR over HTTP on a free loopback port and set SERVER_URL.
start_server() {
  local python=/usr/bin/python3
  if [[ ! -x $python ]]; then
    python=$(command -v python3)
  fi
  if [[ -z $python ]]; then
    echo "FAIL setup: python3 not found, and the HTTP cases need it for the server"
    exit 1
  fi
  # Port 0 lets the kernel pick a free port, which http.server then prints.
  (cd "$WORK_DIR" && exec "$python" -u -m http.server --bind 127.0.0.1 0) \
    > "$WORK_DIR/server.log" 2>&1 &
  SERVER_PID=$!

  local port='' attempt
  for attempt in $(seq 1 100); do
    port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$WORK_DIR/server.log" | head -n 1)
    if [[ -n $port ]]; then
      break
    fi
    sleep 0.1
  done
  if [[ -z $port ]]; then
    echo "FAIL setup: HTTP server printed no port within $attempt checks 0.1 s apart. Server log:"
    cat "$WORK_DIR/server.log"
    exit 1
  fi
  SERVER_URL=http://127.0.0.1:$port
}

test_file_url_success() {
  local data=$WORK_DIR/file_url/data
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --data-dir "$data" --base-url "file://$WORK_DIR/mirror"
  expect_status 0
  expect_cifar10_unpacked "$data"
  expect_absent "$data/cifar-10-binary.tar.gz"
  expect_absent "$data/cifar-100-binary"
  expect_no_hidden_entries "$data"
}

test_rerun_skips_download() {
  local data=$WORK_DIR/file_url/data
  # The base URL does not exist, so the run passes only if nothing is downloaded.
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --data-dir "$data" --base-url "file://$WORK_DIR/no_such_mirror"
  expect_status 0
  expect_output_contains "already complete"
  expect_cifar10_unpacked "$data"
}

test_http_all_datasets() {
  local data=$WORK_DIR/http/data
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 CRIMP_CIFAR100_MD5=$CIFAR100_MD5 \
    run_script --dataset all --keep-archive --data-dir "$data" --base-url "$SERVER_URL/mirror/"
  expect_status 0
  expect_output_contains "$SERVER_URL/mirror/cifar-10-binary.tar.gz"
  expect_cifar10_unpacked "$data"
  expect_cifar100_unpacked "$data"
  expect_same_file "$WORK_DIR/mirror/cifar-10-binary.tar.gz" "$data/cifar-10-binary.tar.gz"
  expect_same_file "$WORK_DIR/mirror/cifar-100-binary.tar.gz" "$data/cifar-100-binary.tar.gz"
  expect_no_hidden_entries "$data"
}

test_kept_archive_reused() {
  local data=$WORK_DIR/http/data
  rm -rf "$data/cifar-10-batches-bin"
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --data-dir "$data" --base-url "file://$WORK_DIR/no_such_mirror"
  expect_status 0
  expect_output_contains "reusing"
  expect_cifar10_unpacked "$data"
  # Without --keep-archive the reused archive is deleted after unpacking.
  expect_absent "$data/cifar-10-binary.tar.gz"
}

test_checksum_mismatch() {
  local data=$WORK_DIR/mismatch/data
  local url=$SERVER_URL/mirror/cifar-10-binary.tar.gz
  CRIMP_CIFAR10_MD5=$WRONG_MD5 run_script --data-dir "$data" --base-url "$SERVER_URL/mirror"
  expect_status 1
  expect_output_contains "MD5 mismatch"
  expect_output_contains "expected: $WRONG_MD5"
  expect_output_contains "found:    $CIFAR10_MD5"
  expect_output_contains "$url"
  expect_absent "$data/cifar-10-binary.tar.gz"
  expect_absent "$data/cifar-10-batches-bin"
  expect_no_hidden_entries "$data"
}

test_official_checksum_rejects_fake() {
  local data=$WORK_DIR/official_md5/data
  run_script --data-dir "$data" --base-url "file://$WORK_DIR/mirror"
  expect_status 1
  expect_output_contains "expected: c32a1d4ab5d03f1284b67883e8d87530"
  expect_absent "$data/cifar-10-batches-bin"
  expect_no_hidden_entries "$data"
}

test_http_missing_archive() {
  local data=$WORK_DIR/http_missing/data
  local url=$SERVER_URL/no_such_mirror/cifar-10-binary.tar.gz
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --data-dir "$data" --base-url "$SERVER_URL/no_such_mirror"
  expect_status 1
  expect_output_contains "download failed"
  expect_output_contains "404"
  expect_output_contains "$url"
  expect_absent "$data/cifar-10-batches-bin"
  expect_no_hidden_entries "$data"
}

test_file_url_missing_archive() {
  local data=$WORK_DIR/file_missing/data
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --data-dir "$data" --base-url "file://$WORK_DIR/no_such_mirror"
  expect_status 1
  expect_output_contains "download failed"
  expect_output_contains "file://$WORK_DIR/no_such_mirror/cifar-10-binary.tar.gz"
  expect_no_hidden_entries "$data"
}

test_archive_missing_member() {
  local data=$WORK_DIR/incomplete_archive/data
  CRIMP_CIFAR10_MD5=$INCOMPLETE_MD5 run_script --data-dir "$data" --base-url "file://$WORK_DIR/mirror_incomplete"
  expect_status 1
  expect_output_contains "does not contain cifar-10-batches-bin/test_batch.bin"
  expect_absent "$data/cifar-10-batches-bin"
  expect_no_hidden_entries "$data"
}

test_incomplete_folder_replaced() {
  local data=$WORK_DIR/replace/data
  mkdir -p "$data/cifar-10-batches-bin"
  printf 'truncated\n' > "$data/cifar-10-batches-bin/data_batch_1.bin"
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --data-dir "$data" --base-url "file://$WORK_DIR/mirror"
  expect_status 0
  expect_output_contains "replacing incomplete"
  expect_cifar10_unpacked "$data"
  expect_no_hidden_entries "$data"
}

test_marker_with_other_md5_replaced() {
  local data=$WORK_DIR/replace/data
  # The folder from the previous case records CIFAR10_MD5, so expecting the
  # archive from mirror_v2 must download and unpack that one.
  CRIMP_CIFAR10_MD5=$CIFAR10_V2_MD5 run_script --data-dir "$data" --base-url "file://$WORK_DIR/mirror_v2"
  expect_status 0
  expect_same_file "$WORK_DIR/build_v2/cifar-10-batches-bin/test_batch.bin" \
    "$data/cifar-10-batches-bin/test_batch.bin"
  expect_no_hidden_entries "$data"
}

test_official_sizes_skip() {
  local data=$WORK_DIR/official_sizes/data
  local file
  mkdir -p "$data/cifar-10-batches-bin"
  # Sparse files with the official sizes take no disk space.
  for file in "${CIFAR10_FILES[@]}"; do
    truncate -s 30730000 "$data/cifar-10-batches-bin/$file"
  done
  run_script --data-dir "$data" --base-url "file://$WORK_DIR/no_such_mirror"
  expect_status 0
  expect_output_contains "official sizes"

  # One file of the wrong size makes the folder incomplete again.
  truncate -s 100 "$data/cifar-10-batches-bin/test_batch.bin"
  run_script --data-dir "$data" --base-url "file://$WORK_DIR/no_such_mirror"
  expect_status 1
  expect_output_contains "download failed"
}

test_crimp_data_variable() {
  local data=$WORK_DIR/crimp_data/data
  CRIMP_DATA=$data CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --base-url "file://$WORK_DIR/mirror"
  expect_status 0
  expect_cifar10_unpacked "$data"
}

test_data_dir_overrides_variable() {
  local data=$WORK_DIR/data_dir_option/data
  local ignored=$WORK_DIR/data_dir_option/ignored
  CRIMP_DATA=$ignored CRIMP_CIFAR10_MD5=$CIFAR10_MD5 \
    run_script --data-dir="$data" --base-url="file://$WORK_DIR/mirror"
  expect_status 0
  expect_cifar10_unpacked "$data"
  expect_absent "$ignored"
}

test_default_data_dir() {
  local cwd=$WORK_DIR/default_dir
  mkdir -p "$cwd"
  OUTPUT=$(cd "$cwd" && CRIMP_CIFAR10_MD5=$CIFAR10_MD5 bash "$SCRIPT" --base-url "file://$WORK_DIR/mirror" 2>&1)
  STATUS=$?
  expect_status 0
  expect_cifar10_unpacked "$cwd/data"
}

test_frost_textures() {
  local data=$WORK_DIR/frost/data
  local name
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --frost --data-dir "$data" \
    --base-url "file://$WORK_DIR/mirror" --frost-base-url "$SERVER_URL/frost_mirror"
  expect_status 0
  for name in "${FROST_FILES[@]}"; do
    expect_same_file "$WORK_DIR/frost_mirror/$name" "$data/frost/$name"
  done
  expect_no_hidden_entries "$data/frost"

  # A rerun keeps the textures and downloads nothing.
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --frost --data-dir "$data" \
    --base-url "file://$WORK_DIR/no_such_mirror" --frost-base-url "file://$WORK_DIR/no_such_mirror"
  expect_status 0
  expect_output_contains "frost1.png is already present"
}

test_frost_error_page_rejected() {
  local data=$WORK_DIR/frost_error/data
  CRIMP_CIFAR10_MD5=$CIFAR10_MD5 run_script --frost --data-dir "$data" \
    --base-url "file://$WORK_DIR/mirror" --frost-base-url "file://$WORK_DIR/frost_error_page"
  expect_status 1
  expect_output_contains "did not return a png image"
  expect_absent "$data/frost/frost1.png"
  expect_no_hidden_entries "$data/frost"
}

test_unknown_dataset() {
  local data=$WORK_DIR/usage/data
  run_script --dataset cifar1000 --data-dir "$data"
  expect_status 2
  expect_output_contains "invalid --dataset 'cifar1000'"
  expect_absent "$data"
}

test_usage_errors() {
  local data=$WORK_DIR/usage/data
  run_script --shuffle
  expect_status 2
  expect_output_contains "unknown option '--shuffle'"

  run_script --data-dir
  expect_status 2
  expect_output_contains "option --data-dir requires a value"

  run_script --data-dir --keep-archive
  expect_status 2
  expect_output_contains "got option '--keep-archive'"

  run_script --data-dir ""
  expect_status 2
  expect_output_contains "invalid --data-dir ''"

  run_script --data-dir "$data" --base-url example.com/cifar
  expect_status 2
  expect_output_contains "invalid --base-url 'example.com/cifar'"

  CRIMP_CIFAR100_MD5=not-a-checksum run_script --data-dir "$data"
  expect_status 2
  expect_output_contains "invalid CRIMP_CIFAR100_MD5 'not-a-checksum'"

  expect_absent "$data"
}

test_help_lists_environment() {
  run_script --help
  expect_status 0
  expect_output_contains "--dataset NAME"
  expect_output_contains "--frost-base-url URL"
  expect_output_contains "CRIMP_DATA"
  expect_output_contains "CRIMP_CIFAR10_MD5"
  expect_output_contains "CRIMP_CIFAR100_MD5"
}

run_case() {
  CURRENT_CASE=$1
  CASE_FAILED=0
  OUTPUT=
  STATUS=
  "$1"
  print_output_on_failure
  if (( CASE_FAILED )); then
    FAILED_CASES+=("$1")
  else
    printf 'PASS %s\n' "$1"
  fi
}

main() {
  if [[ ! -f $SCRIPT ]]; then
    echo "FAIL setup: $SCRIPT not found"
    exit 1
  fi
  build_fixtures
  start_server

  # Some cases reuse the data folder of the case before them, so the order matters.
  run_case test_file_url_success
  run_case test_rerun_skips_download
  run_case test_http_all_datasets
  run_case test_kept_archive_reused
  run_case test_checksum_mismatch
  run_case test_official_checksum_rejects_fake
  run_case test_http_missing_archive
  run_case test_file_url_missing_archive
  run_case test_archive_missing_member
  run_case test_incomplete_folder_replaced
  run_case test_marker_with_other_md5_replaced
  run_case test_official_sizes_skip
  run_case test_crimp_data_variable
  run_case test_data_dir_overrides_variable
  run_case test_default_data_dir
  run_case test_frost_textures
  run_case test_frost_error_page_rejected
  run_case test_unknown_dataset
  run_case test_usage_errors
  run_case test_help_lists_environment

  if (( ${#FAILED_CASES[@]} > 0 )); then
    printf '%d case(s) failed: %s\n' "${#FAILED_CASES[@]}" "${FAILED_CASES[*]}"
    exit 1
  fi
  echo "all download_cifar.sh cases passed"
}

main
