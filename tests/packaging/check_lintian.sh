#!/usr/bin/env bash
# Builds the .deb with CPack and checks it with lintian: 0 errors and 0
# warnings (lintian's own defaults, no overrides). Needs no root.
set -euo pipefail
build_dir="$1"

if ! command -v lintian >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "SKIP: lintian and dpkg-deb are needed (packaging/install-deps.sh installs them)"
  exit 77
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build_dir" && cpack -G DEB -B "$out" >"$out/cpack.log") || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb)
echo "built $(basename "$deb")"
lintian --fail-on error,warning --suppress-tags-from-file /dev/null "$deb"
echo "lintian: no errors, no warnings"
