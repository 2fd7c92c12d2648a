#!/usr/bin/env bash
# Builds the packages with CPack, checks the .deb with lintian, installs it
# with dpkg, runs the installed binary against the installed config, and
# removes it again. Installing needs root: elsewhere the test is skipped.
set -euo pipefail
build_dir="$1"

if [ "$(id -u)" -ne 0 ] || ! command -v dpkg >/dev/null; then
  echo "SKIP: installing a package needs root and dpkg"
  exit 77
fi
if dpkg -s onefirewall-flowd >/dev/null 2>&1; then
  echo "SKIP: onefirewall-flowd is already installed here; not touching it"
  exit 77
fi

out=$(mktemp -d)
trap 'dpkg --purge onefirewall-flowd >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
(cd "$build_dir" && cpack -B "$out" >"$out/cpack.log") || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb)
echo "built $(basename "$deb")"
ls "$out"/*.rpm 2>/dev/null | sed 's|.*/|built |' || true

contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/onefirewall-flowd ./lib/systemd/system/onefirewall-flowd.service \
            ./etc/onefirewall-flowd/onefirewall-flowd.yaml \
            ./usr/share/onefirewall-flowd/grafana/onefirewall-flowd.json; do
  grep -q " $path\$" <<<"$contents" || { echo "missing from the package: $path"; exit 1; }
done
dpkg-deb --info "$deb" conffiles | grep -qx /etc/onefirewall-flowd/onefirewall-flowd.yaml ||
  { echo "the config is not a conffile"; exit 1; }

if command -v lintian >/dev/null; then
  lintian --fail-on error --suppress-tags-from-file /dev/null "$deb"
else
  echo "lintian is not installed: not run"
fi

dpkg -i "$deb"
/usr/bin/onefirewall-flowd --version
/usr/bin/onefirewall-flowd --check-config --config /etc/onefirewall-flowd/onefirewall-flowd.yaml
getent passwd onefirewall-flowd >/dev/null || { echo "postinst did not create the user"; exit 1; }
[ -d /var/lib/onefirewall-flowd ] || { echo "postinst did not create the state directory"; exit 1; }
[ "$(stat -c %U /var/lib/onefirewall-flowd)" = onefirewall-flowd ] ||
  { echo "the state directory is not owned by the service user"; exit 1; }
echo "package installs and runs"
