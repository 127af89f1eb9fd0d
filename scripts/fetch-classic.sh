#!/bin/sh
# Fetches the source of the classic programs forklab runs unmodified (test/cc/classic.test.ts,
# docs/libc.md "Classic programs") from Debian's source packages into a cache that git
# ignores, and checks each against the checksum the tests were written for:
#
#   stress 1.0.7 (Amos Waterland's stress: forks cpu, io, vm and hdd hogs, alarm(2)
#   timeout, wait(2), kill(-pgrp, SIGUSR1) on failure) -> .cache/classic/stress-1.0.7/
#
#   posixtestsuite 1.5.2 (the Open POSIX Test Suite, later merged into LTP;
#   test/cc/posix-suite.test.ts, docs/posix-suite.md) -> .cache/classic/posixtestsuite/
#
#   scripts/fetch-classic.sh [DIR]      (default .cache/classic)
#
# Needs a deb-src line for Debian's main archive in apt's sources (.ci/run adds one) and
# `apt-get update` after it. Exit 0 when every source is there, 1 when one could not be
# fetched (no network or no deb-src: the tests skip, saying so, except in CI).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir="${1:-$root/.cache/classic}"
mkdir -p "$dir"
cd "$dir"

# fetch PACKAGE ORIG-TARBALL SHA256 UNPACKED-DIR
fetch() {
  [ -d "$4" ] && return 0
  if [ ! -f "$2" ]; then
    command -v apt-get >/dev/null 2>&1 || { echo "fetch-classic: apt-get is missing: $1's source cannot be fetched" >&2; return 1; }
    apt-get source --download-only "$1" > "$dir/apt-$1.log" 2>&1 || {
      echo "fetch-classic: apt-get source $1 failed (no network, or no deb-src line in apt's sources?):" >&2
      tail -n 3 "$dir/apt-$1.log" >&2
      return 1
    }
  fi
  sum=$(sha256sum "$2" | cut -d' ' -f1)
  [ "$sum" = "$3" ] || { echo "fetch-classic: $2 has sha256 $sum, not $3 (the version the tests expect)" >&2; return 1; }
  tar -xzf "$2"
  [ -d "$4" ] || { echo "fetch-classic: $2 did not unpack to $4" >&2; return 1; }
}

status=0
fetch stress stress_1.0.7.orig.tar.gz cdaa56671506133e2ed8e1e318d793c2a21c4a00adc53f31ffdef1ece8ace0b1 stress-1.0.7 || status=1
fetch posixtestsuite posixtestsuite_1.5.2.orig.tar.gz 15a2185672127cba851d35ec9d538ff6148defdbb75f99c7e9c50aeba0f94757 posixtestsuite || status=1
[ "$status" -eq 0 ] || exit 1
echo "fetch-classic: sources in $dir"
