#!/bin/sh
# Fetches the Open POSIX Test Suite (posixtestsuite 1.5.2, later merged into LTP) the way
# Debian ships it, as a source package, and unpacks it unmodified into a git-ignored
# cache (default .cache/posixtestsuite): conformance/interfaces/<name>/N-M.c,
# include/posixtest.h. apt checks the tarball against the signed .dsc. Needs a deb-src
# line in apt's sources (.ci/run writes one) and apt-get.
#
#   scripts/fetch-posixtests.sh [DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dest="${1:-$root/.cache/posixtestsuite}"
[ -f "$dest/include/posixtest.h" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
apt-get source --download-only posixtestsuite > apt.log 2>&1 \
  || { cat apt.log >&2; echo "fetch-posixtests: apt-get source failed (is there a deb-src line in /etc/apt/sources.list.d/?)" >&2; exit 1; }
tar xzf posixtestsuite_*.orig.tar.gz
[ -f posixtestsuite/include/posixtest.h ] || { echo "fetch-posixtests: the tarball has no posixtestsuite/include/posixtest.h" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv posixtestsuite "$dest"
echo "fetch-posixtests: $(ls posixtestsuite_*.orig.tar.gz) unpacked into $dest"
