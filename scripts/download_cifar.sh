#!/usr/bin/env bash
# Download the CIFAR-10 and CIFAR-100 binary archives, verify their MD5 sums and
# unpack them into a data folder. Run with --help for the options.
set -euo pipefail

readonly PROGRAM_NAME=${0##*/}

readonly OFFICIAL_BASE_URL=https://www.cs.toronto.edu/~kriz
readonly OFFICIAL_CIFAR10_MD5=c32a1d4ab5d03f1284b67883e8d87530
readonly OFFICIAL_CIFAR100_MD5=03b5dce01913d631647c71ecec9e9cb8

# The frost corruption of CIFAR-10-C blends crops of these photos into the images.
# hendrycks/robustness publishes no checksums for them, so a download is only
# checked for a PNG or JPEG file signature.
readonly DEFAULT_FROST_BASE_URL=https://raw.githubusercontent.com/hendrycks/robustness/master/ImageNet-C/create_c/
readonly FROST_FILES=(frost1.png frost2.png frost3.png frost4.jpg frost5.jpg frost6.jpg)

# Written into an unpacked dataset folder after its archive passed the MD5 check.
# Each line is "KEY VALUE": "archive_md5 SUM", then "FILE SIZE_IN_BYTES" per data file.
readonly MARKER_NAME=.complete

# Abort a transfer that stays below 1 KiB/s for 60 s. curl reports that as a
# timeout, which its --retry option treats as transient (curl 7.88 manual).
readonly CURL_OPTIONS=(
  --fail --location --retry 3 --connect-timeout 30
  --speed-limit 1024 --speed-time 60
)

# Paths removed when the script exits, so an interrupted or failed run leaves no
# partial download or half-unpacked folder behind.
TEMP_PATHS=()
# Process ID of the running curl, which is stopped before its output is removed.
CURL_PID=

clean_up() {
  if [[ -n $CURL_PID ]]; then
    kill "$CURL_PID" 2> /dev/null || true
    wait "$CURL_PID" 2> /dev/null || true
  fi
  local path
  for path in ${TEMP_PATHS[@]+"${TEMP_PATHS[@]}"}; do
    rm -rf -- "$path"
  done
}
trap clean_up EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

print_usage() {
  cat <<EOF
Usage: $PROGRAM_NAME [OPTIONS]

Download the CIFAR binary archives, verify their MD5 sums and unpack them, so that
DIR/cifar-10-batches-bin/data_batch_1.bin and DIR/cifar-100-binary/train.bin exist.
A dataset whose folder is already complete is skipped, so reruns are cheap.

Options:
  --dataset NAME         cifar10, cifar100 or all (default: cifar10).
  --data-dir DIR         Folder to unpack into (default: \$CRIMP_DATA if set,
                         otherwise data/ in the current directory).
  --base-url URL         Mirror that serves cifar-10-binary.tar.gz and
                         cifar-100-binary.tar.gz; the archive name is appended to
                         URL. file:///some/dir and http://127.0.0.1:PORT work
                         (default: $OFFICIAL_BASE_URL).
  --frost                Also download the six frost textures used by the
                         CIFAR-10-C frost corruption into DIR/frost/. They have no
                         published checksums and are only checked to be images.
  --frost-base-url URL   Where the frost textures are fetched from (default:
                         $DEFAULT_FROST_BASE_URL).
  --keep-archive         Keep the verified .tar.gz in DIR after unpacking. A kept
                         archive is reused by later runs if its MD5 still matches.
  -h, --help             Print this help and exit.

Environment:
  CRIMP_DATA             Data folder used when --data-dir is not given.
  CRIMP_CIFAR10_MD5      Expected MD5 of cifar-10-binary.tar.gz, for mirrors that
                         repack the data (default: $OFFICIAL_CIFAR10_MD5).
  CRIMP_CIFAR100_MD5     Expected MD5 of cifar-100-binary.tar.gz
                         (default: $OFFICIAL_CIFAR100_MD5).

A dataset folder counts as complete when all its data files have the sizes of the
official release, or when its $MARKER_NAME file, written after a verified unpack,
records the expected archive MD5 and the current file sizes.

Exit status: 0 on success, 1 when a download, checksum or unpack fails, 2 on a
usage error. Requires curl, md5sum and tar.
EOF
}

log() {
  printf '%s: %s\n' "$PROGRAM_NAME" "$*"
}

die() {
  printf '%s: error: %s\n' "$PROGRAM_NAME" "$*" >&2
  exit 1
}

usage_error() {
  printf '%s: %s\n' "$PROGRAM_NAME" "$*" >&2
  printf "Run '%s --help' for usage.\n" "$PROGRAM_NAME" >&2
  exit 2
}

# Exit with status 2 unless option $1 is followed by a value in $2. The caller
# passes "$@".
require_value() {
  if (( $# < 2 )); then
    usage_error "option $1 requires a value"
  fi
  if [[ $2 == --* ]]; then
    usage_error "option $1 requires a value, got option '$2'"
  fi
}

validate_url() {
  local option=$1 url=$2
  if [[ ! $url =~ ^[A-Za-z][A-Za-z0-9+.-]*:// ]]; then
    usage_error "invalid $option '$url': expected a URL such as https://host/path or file:///dir"
  fi
}

# Exit with status 2 when environment variable $1 is set to anything other than
# an MD5 hex digest.
validate_md5_override() {
  local variable=$1
  local value=${!variable:-}
  if [[ -n $value && ! $value =~ ^[0-9A-Fa-f]{32}$ ]]; then
    usage_error "invalid $variable '$value': expected 32 hexadecimal digits"
  fi
}

join_url() {
  printf '%s/%s' "${1%/}" "$2"
}

file_md5() {
  local sum
  sum=$(md5sum < "$1")
  printf '%s' "${sum%% *}"
}

file_size() {
  stat -c %s -- "$1"
}

# Set the description of dataset $1 in global variables: DISPLAY_NAME,
# ARCHIVE_NAME, FOLDER_NAME, EXPECTED_MD5 with MD5_VARIABLE (its override),
# MEMBER_FILES and MEMBER_SIZES (bytes in the official release).
select_dataset() {
  case $1 in
    cifar10)
      DISPLAY_NAME=CIFAR-10
      ARCHIVE_NAME=cifar-10-binary.tar.gz
      FOLDER_NAME=cifar-10-batches-bin
      MD5_VARIABLE=CRIMP_CIFAR10_MD5
      EXPECTED_MD5=${CRIMP_CIFAR10_MD5:-$OFFICIAL_CIFAR10_MD5}
      MEMBER_FILES=(data_batch_1.bin data_batch_2.bin data_batch_3.bin
                    data_batch_4.bin data_batch_5.bin test_batch.bin)
      # 10000 records of 1 label byte and 3072 pixel bytes.
      MEMBER_SIZES=(30730000 30730000 30730000 30730000 30730000 30730000)
      ;;
    cifar100)
      DISPLAY_NAME=CIFAR-100
      ARCHIVE_NAME=cifar-100-binary.tar.gz
      FOLDER_NAME=cifar-100-binary
      MD5_VARIABLE=CRIMP_CIFAR100_MD5
      EXPECTED_MD5=${CRIMP_CIFAR100_MD5:-$OFFICIAL_CIFAR100_MD5}
      MEMBER_FILES=(train.bin test.bin)
      # 50000 and 10000 records of 2 label bytes and 3072 pixel bytes.
      MEMBER_SIZES=(153700000 30740000)
      ;;
    *)
      die "internal error: unknown dataset '$1'"
      ;;
  esac
  EXPECTED_MD5=${EXPECTED_MD5,,}
}

# Return 0 when dataset folder $1 is complete, and set COMPLETE_REASON.
dataset_is_complete() {
  local folder=$1
  local i file

  local official_sizes=1
  for i in "${!MEMBER_FILES[@]}"; do
    file=$folder/${MEMBER_FILES[i]}
    if [[ ! -f $file || $(file_size "$file") != "${MEMBER_SIZES[i]}" ]]; then
      official_sizes=0
      break
    fi
  done
  if (( official_sizes )); then
    COMPLETE_REASON="all data files have the official sizes"
    return 0
  fi

  local marker=$folder/$MARKER_NAME
  if [[ ! -f $marker ]]; then
    return 1
  fi
  local -A recorded=()
  local key value
  while read -r key value; do
    if [[ -n $key ]]; then
      recorded[$key]=$value
    fi
  done < "$marker"
  if [[ ${recorded[archive_md5]:-} != "$EXPECTED_MD5" ]]; then
    return 1
  fi
  for file in "${MEMBER_FILES[@]}"; do
    if [[ ! -f $folder/$file || $(file_size "$folder/$file") != "${recorded[$file]:-}" ]]; then
      return 1
    fi
  done
  COMPLETE_REASON="$MARKER_NAME records archive MD5 $EXPECTED_MD5 and the file sizes match"
  return 0
}

# Download URL $1 into a new temporary file in folder $2 and set DOWNLOADED_PATH.
# The file stays in TEMP_PATHS until the caller moves it into place. Option $3 is
# named in the error message as the way to pick another source.
download_to_temp_file() {
  local url=$1 folder=$2 source_option=$3
  local name=${url##*/}

  DOWNLOADED_PATH=$(mktemp "$folder/.$name.part.XXXXXX")
  TEMP_PATHS+=("$DOWNLOADED_PATH")

  local progress_options=(--silent --show-error)
  if [[ -t 2 ]]; then
    progress_options=(--progress-bar)
  fi

  log "downloading $url"
  # curl runs in the background because bash runs a signal trap only after the
  # foreground command ends, which for a stalled transfer can take minutes.
  curl "${CURL_OPTIONS[@]}" "${progress_options[@]}" --output "$DOWNLOADED_PATH" "$url" &
  CURL_PID=$!
  local status=0
  wait "$CURL_PID" || status=$?
  CURL_PID=
  if (( status != 0 )); then
    rm -f -- "$DOWNLOADED_PATH"
    die "download failed (curl exit status $status): $url." \
        "Check the URL and the network, or pass $source_option with a reachable mirror."
  fi
}

# Download the current dataset's archive to path $1, verify its MD5 and only then
# move it to $1.
download_archive() {
  local archive=$1
  local url
  url=$(join_url "$BASE_URL" "$ARCHIVE_NAME")

  download_to_temp_file "$url" "$DATA_DIR" --base-url
  local found_md5
  found_md5=$(file_md5 "$DOWNLOADED_PATH")
  if [[ $found_md5 != "$EXPECTED_MD5" ]]; then
    rm -f -- "$DOWNLOADED_PATH"
    printf '%s: error: MD5 mismatch for %s\n  expected: %s\n  found:    %s\n' \
      "$PROGRAM_NAME" "$url" "$EXPECTED_MD5" "$found_md5" >&2
    printf 'The download was deleted. Rerun to retry, or set %s if the mirror serves a different archive.\n' \
      "$MD5_VARIABLE" >&2
    exit 1
  fi
  mv -f -- "$DOWNLOADED_PATH" "$archive"
  log "verified MD5 $found_md5 of $ARCHIVE_NAME"
}

# Unpack verified archive $1 into a temporary folder inside DATA_DIR, check the
# data files, write the marker and rename the result to dataset folder $2.
unpack_archive() {
  local archive=$1 folder=$2

  local staging
  staging=$(mktemp -d "$DATA_DIR/.$FOLDER_NAME.unpack.XXXXXX")
  TEMP_PATHS+=("$staging")

  log "unpacking $archive"
  if ! tar -xzf "$archive" -C "$staging" --no-same-owner; then
    die "failed to unpack $archive. Delete it and rerun to download it again."
  fi

  local unpacked=$staging/$FOLDER_NAME
  local marker_text="archive_md5 $EXPECTED_MD5"$'\n'
  local file
  for file in "${MEMBER_FILES[@]}"; do
    if [[ ! -f $unpacked/$file ]]; then
      die "archive $archive does not contain $FOLDER_NAME/$file." \
          "It passed the MD5 check, so check the archive served by the mirror and $MD5_VARIABLE."
    fi
    marker_text+="$file $(file_size "$unpacked/$file")"$'\n'
  done
  printf '%s' "$marker_text" > "$unpacked/$MARKER_NAME"

  local previous=
  if [[ -e $folder ]]; then
    # Move the incomplete folder aside first, so the rename below cannot put the
    # new folder inside it.
    previous=$(mktemp -d "$DATA_DIR/.$FOLDER_NAME.previous.XXXXXX")
    TEMP_PATHS+=("$previous")
    log "replacing incomplete $folder"
    mv -- "$folder" "$previous/"
  fi
  mv -T -- "$unpacked" "$folder"
  rm -rf -- "$staging"
  if [[ -n $previous ]]; then
    rm -rf -- "$previous"
  fi
}

fetch_dataset() {
  select_dataset "$1"
  local folder=$DATA_DIR/$FOLDER_NAME
  local archive=$DATA_DIR/$ARCHIVE_NAME

  if dataset_is_complete "$folder"; then
    log "$DISPLAY_NAME is already complete in $folder ($COMPLETE_REASON), skipping"
    return
  fi
  # Replacing a link with a real folder would move the data off the disk that the
  # link points to.
  if [[ -L $folder ]]; then
    die "$folder is a symbolic link to an incomplete folder, and this script does not" \
        "replace links. Remove the link or pass --data-dir with the folder it points into."
  fi

  if [[ -f $archive ]]; then
    local kept_md5
    kept_md5=$(file_md5 "$archive")
    if [[ $kept_md5 == "$EXPECTED_MD5" ]]; then
      log "reusing $archive, its MD5 $kept_md5 matches"
    else
      log "deleting $archive, its MD5 $kept_md5 differs from the expected $EXPECTED_MD5"
      rm -f -- "$archive"
    fi
  fi
  if [[ ! -f $archive ]]; then
    download_archive "$archive"
  fi

  unpack_archive "$archive" "$folder"
  if (( ! KEEP_ARCHIVE )); then
    rm -f -- "$archive"
  fi
  log "$DISPLAY_NAME is ready in $folder"
}

# Return 0 when file $1 starts with the PNG or JPEG signature that the extension
# of texture name $2 implies.
has_image_signature() {
  local file=$1 name=$2
  local signature
  signature=$(head -c 8 -- "$file" | od -An -tx1 | tr -d ' \n')
  case $name in
    *.png) [[ $signature == 89504e470d0a1a0a ]] ;;
    *.jpg) [[ $signature == ffd8ff* ]] ;;
    *) return 1 ;;
  esac
}

fetch_frost_textures() {
  local frost_dir=$DATA_DIR/frost
  mkdir -p -- "$frost_dir" || die "failed to create $frost_dir"

  local name destination url
  for name in "${FROST_FILES[@]}"; do
    destination=$frost_dir/$name
    if [[ -f $destination ]] && has_image_signature "$destination" "$name"; then
      log "$destination is already present, skipping"
      continue
    fi

    url=$(join_url "$FROST_BASE_URL" "$name")
    download_to_temp_file "$url" "$frost_dir" --frost-base-url
    # An error page served with HTTP status 200 would otherwise pass as a texture.
    if ! has_image_signature "$DOWNLOADED_PATH" "$name"; then
      rm -f -- "$DOWNLOADED_PATH"
      die "$url did not return a ${name##*.} image. Check --frost-base-url."
    fi
    mv -f -- "$DOWNLOADED_PATH" "$destination"
  done
  log "frost textures are ready in $frost_dir"
}

main() {
  local dataset=cifar10
  local data_dir=
  local data_dir_given=0
  BASE_URL=$OFFICIAL_BASE_URL
  FROST_BASE_URL=$DEFAULT_FROST_BASE_URL
  KEEP_ARCHIVE=0
  local frost=0

  while (( $# > 0 )); do
    case $1 in
      --dataset) require_value "$@"; dataset=$2; shift 2 ;;
      --dataset=*) dataset=${1#*=}; shift ;;
      --data-dir) require_value "$@"; data_dir=$2; data_dir_given=1; shift 2 ;;
      --data-dir=*) data_dir=${1#*=}; data_dir_given=1; shift ;;
      --base-url) require_value "$@"; BASE_URL=$2; shift 2 ;;
      --base-url=*) BASE_URL=${1#*=}; shift ;;
      --frost-base-url) require_value "$@"; FROST_BASE_URL=$2; shift 2 ;;
      --frost-base-url=*) FROST_BASE_URL=${1#*=}; shift ;;
      --frost) frost=1; shift ;;
      --keep-archive) KEEP_ARCHIVE=1; shift ;;
      -h|--help) print_usage; exit 0 ;;
      -*) usage_error "unknown option '$1'" ;;
      *) usage_error "unexpected argument '$1'" ;;
    esac
  done

  local datasets
  case $dataset in
    cifar10|cifar100) datasets=("$dataset") ;;
    all) datasets=(cifar10 cifar100) ;;
    *) usage_error "invalid --dataset '$dataset': expected cifar10, cifar100 or all" ;;
  esac

  if (( ! data_dir_given )); then
    data_dir=${CRIMP_DATA:-data}
  elif [[ -z $data_dir ]]; then
    usage_error "invalid --data-dir '': expected a folder path"
  fi
  validate_url --base-url "$BASE_URL"
  validate_url --frost-base-url "$FROST_BASE_URL"
  validate_md5_override CRIMP_CIFAR10_MD5
  validate_md5_override CRIMP_CIFAR100_MD5

  local tool
  for tool in curl md5sum tar; do
    command -v "$tool" > /dev/null || die "$tool not found. Install it and rerun."
  done

  DATA_DIR=$data_dir
  mkdir -p -- "$DATA_DIR" || die "failed to create data folder $DATA_DIR"

  local name
  for name in "${datasets[@]}"; do
    fetch_dataset "$name"
  done
  if (( frost )); then
    fetch_frost_textures
  fi
}

main "$@"
