#!/usr/bin/env bash
# Checks the shipped unit: `systemd-analyze verify` is clean and the offline
# security exposure is at most the limit. The unit's /usr/bin paths are
# pointed at the built binary so that verify can check the commands exist.
set -euo pipefail
unit="$1"
binary="$2"
limit="$3"

if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed"
  exit 77
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/bin/onefirewall-flowd|$binary|g" "$unit" >"$dir/onefirewall-flowd.service"

if ! verify=$(systemd-analyze verify "$dir/onefirewall-flowd.service" 2>&1) || [ -n "$verify" ]; then
  echo "systemd-analyze verify is not clean:"
  echo "$verify"
  exit 1
fi

score=$(systemd-analyze security --offline=true --no-pager "$dir/onefirewall-flowd.service" |
  sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -z "$score" ]; then
  echo "could not read the exposure score"
  exit 1
fi
echo "exposure $score (limit $limit)"
awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s <= l) }' || { echo "exposure $score is above $limit"; exit 1; }
