#!/usr/bin/env bash
# Fetches and unpacks inspect-evals (no dependencies) into CACHE_DIR, once:
#   fetch_inspect_evals.sh VERSION CACHE_DIR
# Prints the unpacked folder on success. Exit 3 means pip could not reach the index
# (the caller skips with that reason); any other failure is an error.
set -euo pipefail
version="$1"
cache="$2"
unpacked="$cache/inspect_evals-$version"
if [[ -f "$unpacked/.complete" ]]; then echo "$unpacked"; exit 0; fi
mkdir -p "$cache/wheels"
if ! ls "$cache/wheels"/inspect_evals-"$version"-*.whl >/dev/null 2>&1; then
  if ! out=$(python3 -m pip download --no-deps --disable-pip-version-check -q "inspect-evals==$version" -d "$cache/wheels" 2>&1); then
    if grep -qiE 'connection|network|resolve|timed out|temporary failure|proxy|unreachable' <<<"$out"; then
      echo "pip has no network: $(tail -n1 <<<"$out")" >&2
      exit 3
    fi
    echo "$out" >&2
    exit 1
  fi
fi
wheel=$(ls "$cache/wheels"/inspect_evals-"$version"-*.whl | head -n1)
rm -rf "$unpacked.tmp"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$unpacked.tmp"
rm -rf "$unpacked"
mv "$unpacked.tmp" "$unpacked"
touch "$unpacked/.complete"
echo "$unpacked"
