#!/usr/bin/env bash
# Installs every build and test dependency of onefirewall-flowd from Debian 12
# packages. Nothing is downloaded from anywhere else.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config
  # libraries
  libboost-dev libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev
  libsqlite3-dev libpcap-dev libsystemd-dev
  # tests and benchmarks; clang with its runtimes builds the libFuzzer targets
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  # the delivery tests' local HTTPS API (Boost.Beast over OpenSSL, certificate made by the CLI)
  libssl-dev openssl
  # the built-in service table is generated from netbase's /etc/services
  netbase
  # scdoc makes the man pages; systemd-analyze checks the shipped unit; lintian and rpm
  # check and build the packages
  scdoc systemd lintian rpm
  # promtool lints the /metrics text in the tests
  prometheus
  # real exporters for the integration tests, and peers for benchmarks
  softflowd pmacct nfdump
  # an IPFIX encoder not ours, exporting over TCP in the integration tests
  python3-ipfix
)

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

export DEBIAN_FRONTEND=noninteractive
run_as_root apt-get update
run_as_root apt-get install -y --no-install-recommends "${packages[@]}"
