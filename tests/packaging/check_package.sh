#!/usr/bin/env bash
# Builds the packages with CPack, checks what they hold, installs the .deb
# with dpkg, runs the installed binary against the installed config, and
# removes it again. Installing needs root: elsewhere the test is skipped.
# check_lintian.sh runs lintian on the .deb.
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

man_pages=(/usr/share/man/man8/onefirewall-flowd.8.gz /usr/share/man/man5/onefirewall-flowd.yaml.5.gz)
contents=$(dpkg-deb --contents "$deb")
for path in /usr/bin/onefirewall-flowd /lib/systemd/system/onefirewall-flowd.service \
            /etc/onefirewall-flowd/onefirewall-flowd.yaml \
            /usr/share/onefirewall-flowd/grafana/onefirewall-flowd.json "${man_pages[@]}"; do
  grep -q " \.$path\$" <<<"$contents" || { echo "missing from the .deb: $path"; exit 1; }
done
if rpm=$(ls "$out"/*.rpm 2>/dev/null); then
  rpm_files=$(rpm -qlp "$rpm")
  for path in /usr/bin/onefirewall-flowd "${man_pages[@]}"; do
    grep -qx "$path" <<<"$rpm_files" || { echo "missing from the .rpm: $path"; exit 1; }
  done
  # The man directories belong to the distribution's filesystem package.
  ! grep -qx /usr/share/man <<<"$rpm_files" || { echo "the .rpm owns /usr/share/man"; exit 1; }
fi
dpkg-deb --info "$deb" conffiles | grep -qx /etc/onefirewall-flowd/onefirewall-flowd.yaml ||
  { echo "the config is not a conffile"; exit 1; }

dpkg -i "$deb"
/usr/bin/onefirewall-flowd --version
/usr/bin/onefirewall-flowd --check-config --config /etc/onefirewall-flowd/onefirewall-flowd.yaml
# Minimal images tell dpkg to leave out /usr/share/man; elsewhere man finds both pages.
if command -v man >/dev/null && ! grep -qrs 'path-exclude=*/usr/share/man' /etc/dpkg/dpkg.cfg.d; then
  man -P cat 8 onefirewall-flowd | grep -q '^NAME' || { echo "man 8 onefirewall-flowd failed"; exit 1; }
  man -P cat 5 onefirewall-flowd.yaml | grep -q '^NAME' || { echo "man 5 onefirewall-flowd.yaml failed"; exit 1; }
fi
getent passwd onefirewall-flowd >/dev/null || { echo "postinst did not create the user"; exit 1; }
[ -d /var/lib/onefirewall-flowd ] || { echo "postinst did not create the state directory"; exit 1; }
[ "$(stat -c %U /var/lib/onefirewall-flowd)" = onefirewall-flowd ] ||
  { echo "the state directory is not owned by the service user"; exit 1; }
echo "package installs and runs"
